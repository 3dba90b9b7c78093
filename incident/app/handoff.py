"""The handoff brief: what a new incident commander reads first (`brief`, a TUI key).

One use case for every face: the CLI prints it (or its JSON), the TUI shows it in a
dialog; both from the folded record at the session's now. Who polls production is
said as the face knows it: the CLI by this machine's knowledge of its pollers
(`incident.app.pollers.live_mark`), a screen by its own (it may be the poller).
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from incident.app.pollers import live_mark
from incident.app.session import Session
from incident.core.events import JSONValue
from incident.core.state import IncidentState
from incident.health.poll_mark import Marker
from incident.reports.brief import brief_data, brief_lines
from incident.reports.brief_screen import brief_screen


class HandoffBrief(NamedTuple):
    lines: list[str]
    """At most 20 lines, controls made visible: what a terminal shows."""
    data: dict[str, JSONValue]
    """The same as data, for `brief --json` (tui/cli/schemas/brief.schema.json)."""


def handoff_brief(state: IncidentState, now: datetime, marked: Marker = live_mark) -> HandoffBrief:
    """The brief of `state` at `now`: for a face that already holds the folded state;
    `marked` says who polls production (a screen's own reading, where it polls)."""
    return HandoffBrief(brief_lines(state, now, marked), brief_data(state, now, marked))


def brief(session: Session) -> HandoffBrief:
    """The brief of the session's incident, now."""
    return handoff_brief(session.state, session.clock.now())


def brief_on_screen(session: Session, width: int, rows: int) -> list[str]:
    """The brief now, fitted to a terminal `width` wide with `rows` rows to fill
    (`brief_screen`: what gives way first when it cannot fit)."""
    return brief_screen(session.state, session.clock.now(), width, rows, live_mark)
