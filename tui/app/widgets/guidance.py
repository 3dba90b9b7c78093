"""What the highlighted step asks for, in the runbook's words, and what was recorded."""

from __future__ import annotations

from datetime import datetime

from rich.text import Span, Text
from textual.cache import LRUCache
from textual.strip import Strip

from incident.app.next_key import next_key
from incident.core.phase_clocks import format_offset
from incident.core.state import IncidentState, StepStatus
from incident.core.text import visible, visible_block
from tui.app.widgets.lines import LineView, set_line_count

WRAPPED_KEPT = 32
"""Texts kept wrapped, by their text, spans and width: a phase switched back to (or a
step highlighted again) shows the same guidance, and wrapping it again was about a
tenth of a phase switch's work on the UI thread (py-spy, headless)."""

Wrapped = tuple[str, str, tuple[Span, ...], int]
"""A wrapped text's key: its text, its style, its spans and the width."""


class Guidance(LineView, can_focus=True):
    """The selected step's guidance, owner, gate and record.

    A Line API widget: its text is wrapped once per step shown and its lines drawn
    as they scroll into view, without a layout of the screen on every step.
    """

    DEFAULT_CSS = """
    Guidance {
        height: 1fr;
        border: round $primary-muted;
        padding: 0 1;
        scrollbar-size-vertical: 1;
        overflow-x: hidden;
    }
    Guidance:focus { border: round $primary; }
    """

    def __init__(self, *, key_hints: bool = True, id: str | None = None) -> None:
        super().__init__(id=id)
        self.key_hints = key_hints
        """Whether to name the key that moves the step forward: not in a read-only view
        (replay, attach), where that key does nothing, or something else."""
        self._text = Text()
        self._lines: list[Strip] = []
        self._width = 0
        self._wrapped: LRUCache[Wrapped, list[Strip]] = LRUCache(WRAPPED_KEPT)

    def set_text(self, text: Text) -> None:
        """Show `text` from its top, wrapped to the panel's width."""
        self._text = text
        self._width = 0  # wrap again at the next draw
        self.scroll_to(y=0, animate=False, immediate=True)
        self._wrap(self.scrollable_content_region.width)
        self.refresh()

    def _wrap(self, width: int) -> None:
        if width <= 0 or width == self._width:
            return
        self._width = width
        text = self._text
        key = (text.plain, str(text.style), tuple(text.spans), width)
        lines = self._wrapped.get(key)
        if lines is None:
            console = self.app.console
            wrapped = text.wrap(console, width)
            lines = [Strip(list(line.render(console)), line.cell_len) for line in wrapped]
            self._wrapped[key] = lines
        self._lines = lines
        set_line_count(self, len(lines))

    def on_resize(self) -> None:
        self._width = 0
        self._wrap(self.scrollable_content_region.width)

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        self._wrap(width)
        base = self.base_style
        if index >= len(self._lines) or width <= 0:
            return Strip.blank(width, base)
        return self._lines[index].crop_extend(0, width, base).apply_style(base)

    def show(self, state: IncidentState, step_id: str | None, now: datetime) -> None:
        if step_id is None or step_id not in state.steps:
            self.set_text(Text("No step selected."))
            return
        record = state.steps[step_id]
        step = record.step
        status = state.status_of(step_id)
        text = Text()
        text.append(visible(step.title), style="bold")
        key = next_key(state, step_id, now) if self.key_hints else None
        if key is not None:
            # Right under the title: at 80x24 the panel shows few lines. The hint may
            # quote a probed version and the typed last-good one.
            text.append(f"\n▸ {visible(key.hint)}", style="italic")
        text.append(f"\n{step.kind}")
        text.append(" · required" if step.required else " · optional")
        if step.owner:
            text.append(f" · owner {visible(step.owner)}")
        text.append("\n")
        if status == StepStatus.BLOCKED:
            text.append(f"BLOCKED: {visible(state.blocker(step_id) or '')}\n", style="bold")
        if (
            status in (StepStatus.DONE, StepStatus.SKIPPED)
            and record.at is not None
            and record.by is not None
        ):
            verb = "Done" if status == StepStatus.DONE else "Skipped"
            text.append(
                f"{verb} by {visible(record.by)} at {format_offset(record.at - state.started_at)}",
                style="bold",
            )
            detail = record.note or record.reason or record.evidence
            text.append(f": {visible(detail)}\n" if detail else "\n")
        text.append("\n")
        text.append(visible_block(step.guidance or "(no guidance in the runbook)"))
        self.set_text(text)
