"""Everything recorded, newest at the bottom, as it lands in the log."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.widgets import DataTable

from incident.core.events import Event, Kind
from incident.core.phase_clocks import format_offset
from incident.core.state import IncidentState
from incident.reports.describe import describe
from tui.app.plain import plain


class Timeline(DataTable[str | Text]):
    """The incident's events; rows are only ever appended, like the log."""

    DEFAULT_CSS = """
    Timeline {
        height: 1fr;
        border: round $primary-muted;
        scrollbar-size-vertical: 1;
        overflow-x: hidden;
    }
    Timeline:focus { border: round $primary; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True, show_header=False)
        self.shown_seq = 0

    def on_mount(self) -> None:
        self.add_column("T+", key="offset")
        self.add_column("who", key="actor")
        self.add_column("what", key="what")

    def reset(self) -> None:
        """Forget every row, for a replay that went back in time."""
        self.clear()
        self.shown_seq = 0

    def append(self, state: IncidentState, events: Iterable[Event]) -> None:
        added = False
        for event in events:
            if event.seq <= self.shown_seq:
                continue
            if event.kind == Kind.PROBE_SAMPLES:
                self.shown_seq = event.seq  # samples live in the health panels
                continue
            self.add_row(
                format_offset(event.at - state.started_at),
                plain(event.actor),
                plain(describe(event)),
                key=str(event.seq),
            )
            self.shown_seq = event.seq
            added = True
        if added:
            self.move_cursor(row=self.row_count - 1)
