"""`status`: the incident now, as text, fitted to a terminal, or as data.

One use case for the CLI's `status` (and `--json`): the report reads the folded
record, and who polls production is said by this machine's knowledge of its pollers
(`incident.app.pollers.live_mark`), as `status --check-polled` and `brief` read it:
a `monitor` of this machine killed with `kill -9` is said to have stopped at once,
not "polled by" it until its turn lapses. Replay and the export ask the report
directly: a recorded moment, not now.
"""

from __future__ import annotations

from incident.app.pollers import live_mark
from incident.app.session import Session
from incident.core.events import JSONValue
from incident.reports.status import status_data, status_text
from incident.reports.status_screen import status_screen


def status_json(session: Session) -> dict[str, JSONValue]:
    """`status --json` of the session's incident, now (tui/cli/schemas/status.schema.json)."""
    return status_data(session.state, session.clock.now(), marked=live_mark)


def status_said(session: Session) -> str:
    """`status` of the session's incident now, as a pipe gets it."""
    return status_text(session.state, session.clock.now(), live_mark)


def status_on_screen(session: Session, width: int, rows: int) -> list[str]:
    """`status` now, fitted to a terminal `width` wide with `rows` rows
    (`incident.reports.status_screen`)."""
    return status_screen(session.state, session.clock.now(), width, rows, live_mark)
