"""`lastgood brief ID`: the handoff brief, as text or (`--json`) as data; `--for
stakeholders`, the words for people outside the incident.

Through a pipe, the brief's lines as they always were (scripts read them); on a
terminal, fitted to its width and rows (`incident.reports.brief_screen`), one row
kept for the prompt that follows. The words for stakeholders are one line, for the
terminal to wrap and a pointer to copy whole.
"""

from __future__ import annotations

import sys

from incident.app.handoff import brief, brief_on_screen
from incident.app.params import machine_zone
from incident.app.stakeholder_brief import for_stakeholders
from incident.core.chain import damage_data
from tui.cli.arguments import Arguments
from tui.cli.context import incident_of, open_log, open_session
from tui.cli.damage_words import damage_warning
from tui.cli.fitted import MIN_WIDTH, fitted, terminal_size
from tui.cli.kept_here import kept_here
from tui.cli.shown_stream import json_for_stdout


def cmd_brief(args: Arguments) -> int:
    if args.audience == "stakeholders":
        return _for_stakeholders(args)
    with open_log(args, read_only=True) as log:
        session = open_session(log, incident_of(log, args))
        found = brief(session)
        kept = kept_here(session.state)  # this machine's spool: a screen ended in an outage
        if args.json:
            data = {**found.data, "damage": damage_data(session.damage), "kept_here": kept}
            print(json_for_stdout(data))
            return 0
        said = [damage_warning(session.damage)] if session.damage is not None else []
        after = [f"Not recorded yet: {kept}"] if kept is not None else []
        size = terminal_size()
        if size is None or size[0] < MIN_WIDTH:
            print("\n".join([*said, *found.lines, *after]))
            return 0
        said, after = [fitted(line) for line in said], [fitted(line) for line in after]
        rows = size[1] - 1 - sum(line.count("\n") + 1 for line in [*said, *after])
        print("\n".join([*said, *brief_on_screen(session, size[0], rows), *after]))
    return 0


def _for_stakeholders(args: Arguments) -> int:
    """The paragraph for stakeholders, plain text on one line: made to be pasted."""
    if args.json:
        print(
            "lastgood brief: --for stakeholders prints plain text; --json is the handoff brief's",
            file=sys.stderr,
        )
        return 2
    with open_log(args, read_only=True) as log:
        session = open_session(log, incident_of(log, args))
        if session.damage is not None:  # said, but not in the words to paste
            print(damage_warning(session.damage), file=sys.stderr)
        print(for_stakeholders(session, args.tz if args.tz is not None else machine_zone()))
    return 0
