"""Where each phase's window falls on the T+ clock: placed from the declaration.

The guide's phase 1 is "the immediate response once a critical issue is detected",
so every window counts from the declaration, the moment the incident is detected
and declared. T+0 may be earlier: a back-dated impact start (`--started-at`), which
Impact and Detection measure from, moves the T+ clock and never the windows. A
runbook window `[0, 5]` is the declaration's second to five minutes after it, said
on the same T+ clock: an incident declared at T+20:00 has phase 1 at `T+20-25m`, one
declared at T+20:36.4 at `T+20:36-25:36`. Declared without an impact start, T+0 is
the declaration and the windows read as the runbook writes them.

Every face (the phase strip and heading, `status`, `brief`, the report's Phases
against targets and gantt, the timeline, a drill's score card, replay) reads a
window here, through `placed_window` or the phase clock built on it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from msgspec import Struct

from incident.core.state import IncidentState
from runbooks.model import Phase

_SECOND = timedelta(seconds=1)
_MINUTE = timedelta(minutes=1)


def windows_zero(state: IncidentState) -> datetime:
    """The moment every phase window counts from: the declaration, at the second the
    T+ clock prints it (T+0 itself for an incident declared without an impact start),
    so each window opens and closes on a whole second of T+, as the clock counts."""
    detected = max(state.declared_at - state.t0, timedelta(0))
    return state.t0 + (detected // _SECOND) * _SECOND


def detection_offset(state: IncidentState) -> timedelta:
    """How long after T+0 the windows start: 0 unless T+0 was back-dated."""
    return windows_zero(state) - state.t0


class PlacedWindow(Struct, frozen=True):
    """A phase's window placed on the incident's clock."""

    opens_at: datetime
    due_at: datetime | None
    """None for an open-ended window."""
    start: timedelta
    """`opens_at` after T+0."""
    end: timedelta | None
    """`due_at` after T+0."""

    @property
    def _whole(self) -> bool:
        return all(edge % _MINUTE == timedelta(0) for edge in (self.start, self.end) if edge)

    def _mark(self, edge: timedelta) -> str:
        if self._whole:
            return str(edge // _MINUTE)
        seconds = edge // _SECOND
        hours, rest = divmod(seconds, 3600)
        minutes, secs = divmod(rest, 60)
        return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"

    @property
    def unit(self) -> str:
        """`m` after whole minutes (`T+0-5m`); none after `MM:SS` (`T+20:36-25:36`)."""
        return "m" if self._whole else ""

    def span(self, dash: str = "–", *, unit: bool = True) -> str:
        """`T+0-5m`, `T+20-25m`, `T+20:36-25:36`; an open-ended one its start alone."""
        end = "" if self.end is None else f"{dash}{self._mark(self.end)}"
        return f"T+{self._mark(self.start)}{end}{self.unit if unit else ''}"

    @property
    def opens(self) -> str:
        """Its opening on the T+ clock: `T+0m`, `T+20m`, `T+20:36`."""
        return f"T+{self._mark(self.start)}{self.unit}"

    @property
    def closes(self) -> str | None:
        """Its end on the T+ clock (`T+5m`, `T+25:36`); None when open-ended."""
        return None if self.end is None else f"T+{self._mark(self.end)}{self.unit}"


def placed_window(state: IncidentState, phase: Phase) -> PlacedWindow | None:
    """`phase`'s window from the declaration (`windows_zero`); None when the runbook
    gives it none (close-out: "once the service is stable")."""
    window = phase.window
    if window is None:
        return None
    zero = windows_zero(state)
    offset = zero - state.t0
    start = offset + timedelta(minutes=window.start_min)
    end = None if window.end_min is None else offset + timedelta(minutes=window.end_min)
    return PlacedWindow(
        opens_at=state.t0 + start,
        due_at=None if end is None else state.t0 + end,
        start=start,
        end=end,
    )
