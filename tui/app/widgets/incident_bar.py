"""The top line: which incident, how bad, how long, who is in command."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.widgets import Static

from incident.core.phase_clocks import elapsed, format_offset
from incident.core.state import IncidentState
from incident.core.text import visible


class IncidentBar(Static):
    """One line that answers "what incident is this and how long has it been?"."""

    DEFAULT_CSS = """
    IncidentBar {
        height: 1;
        background: $primary;
        color: $text;
        padding: 0 1;
    }
    """

    _shown: Text | None = None

    def show(self, state: IncidentState, now: datetime) -> None:
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(format_offset(elapsed(state, now)), style="bold")
        line.append(f"  {state.severity}  ", style="bold")
        line.append(visible(state.title))
        line.append(f"  ·  IC {visible(state.commander) or 'unassigned'}")
        line.append(f"  ·  {visible(state.id)}")
        if state.is_closed:
            line.append("  ·  CLOSED", style="bold")
        statuses = [d.status for d in state.deliveries.values()]
        if statuses:
            pending, failed = statuses.count("pending"), statuses.count("failed")
            parts = [f"{pending} pending"] if pending else []
            parts += [f"{failed} FAILED"] if failed else []
            line.append(f"  ·  ✉ {', '.join(parts) or 'all delivered'}")
        if line != self._shown:
            self._shown = line
            self.update(line, layout=False)  # one line: its size never changes
