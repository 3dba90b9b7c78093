"""`lastgood brief ID`: the handoff brief, as text or (`--json`) as data."""

from __future__ import annotations

from incident.app.handoff import brief
from incident.core.chain import damage_data
from tui.cli.arguments import Arguments
from tui.cli.context import incident_of, open_log, open_session
from tui.cli.kept_here import kept_here
from tui.cli.record_verbs import damage_warning
from tui.cli.shown_stream import json_for_stdout


def cmd_brief(args: Arguments) -> int:
    with open_log(args, read_only=True) as log:
        session = open_session(log, incident_of(log, args))
        found = brief(session)
        kept = kept_here(session.state)  # this machine's spool: a screen ended in an outage
        if args.json:
            data = {**found.data, "damage": damage_data(session.damage), "kept_here": kept}
            print(json_for_stdout(data))
            return 0
        if session.damage is not None:
            print(damage_warning(session.damage))
        print("\n".join(found.lines))
        if kept is not None:
            print(f"Not recorded yet: {kept}")
    return 0
