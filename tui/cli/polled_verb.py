"""`lastgood status --check-polled`: is anyone polling? A line per incident and an exit
status a pager, a timer or a unit's `ExecStartPost=` reads without parsing JSON.

Given an ID, that incident; given none, every open incident (none open: nothing to
poll, exit 0). Exit `NOT_POLLED` when one is not polled, by the rule of
`incident.app.polled_check`.
"""

from __future__ import annotations

from pathlib import Path

from incident.app.polled_check import polled_check
from incident.core.text import visible
from tui.cli.arguments import Arguments
from tui.cli.context import db_location, incident_of, open_log, open_session, something_at
from tui.cli.errors import CliError

NOT_POLLED = 1
"""The exit status when an open incident's probes are not polled (a finding, as every
verb's 1); 2 stays a refusal (no such incident, a record that cannot be read)."""


def cmd_check_polled(args: Arguments) -> int:
    if args.json:
        raise CliError("--check-polled says one line per incident: leave out --json")
    location = db_location(args)
    if args.id is None and isinstance(location, Path) and not something_at(location):
        print(visible(f"no incident open: no database at {location} yet; nothing to poll"))
        return 0
    with open_log(args, read_only=True) as log:
        if args.id is not None:
            incidents = [incident_of(log, args)]
        else:
            incidents = log.open_incidents()
            if not incidents:
                print(visible(f"no incident open in {location}: nothing to poll"))
                return 0
        failed = False
        for incident_id in incidents:
            session = open_session(log, incident_id)
            polled = polled_check(session.state, session.clock.now())
            print(polled.line, flush=True)
            failed = failed or not polled.ok
    return NOT_POLLED if failed else 0
