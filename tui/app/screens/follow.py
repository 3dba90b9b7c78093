"""Following an incident from another terminal: live, read-only.

The coordinator's screen without its recording keys, fed by a read-only
connection; the once-a-second tick folds in whatever the coordinator's terminal
(or a pipeline) recorded, so a second terminal sees new events within a second.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from incident.core.events import Event
from incident.core.phase_clocks import elapsed, format_offset
from tui.app.screens.incident_view import IncidentView


class FollowBar(Static):
    DEFAULT_CSS = """
    FollowBar { height: 1; background: $success-muted; color: $text; padding: 0 1; }
    """


class FollowScreen(IncidentView, inherit_bindings=False):
    """Watch, don't touch: every recording action is unbound here."""

    BINDINGS = [
        Binding("left,[", "phase(-1)", "Prev phase"),
        Binding("right,]", "phase(1)", "Next phase"),
    ]

    def compose(self) -> ComposeResult:
        yield FollowBar(id="follow-bar")
        yield from super().compose()

    def record_background(self) -> list[Event]:
        """A follower sends nothing, offers nothing and records nothing."""
        return []

    def redraw_clocks(self) -> None:
        super().redraw_clocks()
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append("FOLLOWING ", style="bold")
        text.append(f"{self.state.id}  {format_offset(elapsed(self.state, self.now()))}")
        text.append(f"  {self.state.last_seq} events  read-only: nothing is recorded here")
        if self.session.damage is not None:
            text.append(f"  DAMAGED at event {self.session.damage.first_bad_seq}", style="bold")
        self.query_one(FollowBar).update(text)
