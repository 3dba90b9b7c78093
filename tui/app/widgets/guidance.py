"""What the highlighted step asks for, in the runbook's words, and what was recorded."""

from __future__ import annotations

from functools import partial

from rich.segment import Segment
from rich.text import Span, Text
from textual.cache import LRUCache
from textual.strip import Strip

from incident.app.next_key import NextKey
from incident.app.verbs import BY_NAME
from incident.comms.status_page import step_page_words
from incident.core.phase_clocks import t_plus
from incident.core.state import IncidentState, StepStatus
from incident.core.text import visible, visible_block
from tui.app.widgets.lines import LineView, set_line_count

WRAPPED_KEPT = 32
"""Texts kept wrapped, by their text, spans and width: a phase switched back to (or a
step highlighted again) shows the same guidance, and wrapping it again was about a
tenth of a phase switch's work on the UI thread (py-spy, headless)."""

Wrapped = tuple[str, str, tuple[Span, ...], int]
"""A wrapped text's key: its text, its style, its spans and the width."""

Head = tuple[int, int]
"""Where the title and the key hint end in a text's plain characters (0, 0: no hint)."""


class Guidance(LineView, can_focus=True):
    """The selected step's guidance, owner, gate and record.

    A Line API widget: its text is wrapped once per step shown and its lines drawn
    as they scroll into view, without a layout of the screen on every step.

    The key that moves the step on is always in view: the title and the key hint stay
    at the top while the rest scrolls under them, and in a panel too short for both
    (60x20: two or three rows) the hint alone, the title being the checklist's
    highlighted row. It was cut to `▸ Press space:`, or not shown at all.
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

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._text = Text()
        self._head: Head = (0, 0)
        self._lines: list[Strip] = []
        self._heads = (0, 0)
        """How many of `_lines` are the title's and the key hint's."""
        self._rows: list[int] = []
        """Which of `_lines` the panel shows, in order: the pinned ones first."""
        self._pinned = 0
        self._cut_short = False
        """The panel is shorter than the key hint: its last row ends in `…`."""
        self._width = self._height = 0
        self._wrapped: LRUCache[Wrapped, tuple[list[Strip], tuple[int, int]]] = LRUCache(
            WRAPPED_KEPT
        )

    def set_text(self, text: Text, head: Head = (0, 0)) -> None:
        """Show `text` from its top, wrapped to the panel's width; `head`: where its
        title and its key hint end, kept in view (`Head`)."""
        self._text = text
        self._head = head
        self._width = 0  # wrap again at the next draw
        self.scroll_to(y=0, animate=False, immediate=True)
        region = self.scrollable_content_region
        self._wrap(region.width, region.height)
        self.refresh()

    def _wrap(self, width: int, height: int) -> None:
        if width <= 0 or (width, height) == (self._width, self._height):
            return
        if width != self._width:
            self._width = width
            text = self._text
            key = (text.plain, str(text.style), tuple(text.spans), width)
            wrapped = self._wrapped.get(key)
            if wrapped is None:
                wrapped = self._wrapped[key] = self._wrap_text(width)
            self._lines, self._heads = wrapped
        self._height = height
        title, hint = self._heads
        if not hint:
            self._rows, self._pinned = list(range(len(self._lines))), 0
        else:
            pinned = range(title + hint) if title + hint <= height else range(title, title + hint)
            self._rows = [*pinned[: max(height, 1)], *range(title + hint, len(self._lines))]
            self._pinned = min(len(pinned), max(height, 1))
        self._cut_short = bool(hint) and hint > height
        set_line_count(self, len(self._rows))

    def _wrap_text(self, width: int) -> tuple[list[Strip], tuple[int, int]]:
        console = self.app.console
        text = self._text
        lines = [
            Strip(list(line.render(console)), line.cell_len) for line in text.wrap(console, width)
        ]
        title_end, hint_end = self._head
        if not hint_end:
            return lines, (0, 0)
        title = len(text[:title_end].wrap(console, width))
        hint = len(text[title_end + 1 : hint_end].wrap(console, width))
        return lines, (title, hint)

    def on_resize(self) -> None:
        self._width = 0
        region = self.scrollable_content_region
        self._wrap(region.width, region.height)

    def render_line(self, y: int) -> Strip:
        region = self.scrollable_content_region
        width = region.width
        self._wrap(width, region.height)
        row = y if y < self._pinned else self.scroll_offset.y + y
        base = self.base_style
        if row >= len(self._rows) or width <= 0:
            return Strip.blank(width, base)
        line = self._lines[self._rows[row]]
        if y == self._pinned - 1 and self._cut_short:  # the hint goes on: say so
            line = Strip.join([line.crop_extend(0, width - 1, base), Strip([Segment("…")])])
        return line.crop_extend(0, width, base).apply_style(base)

    def show(
        self,
        state: IncidentState,
        step_id: str | None,
        key: NextKey | None,
        *,
        keyed: bool = True,
    ) -> None:
        """`step_id`'s guidance, under `key`: the one that moves it on, as the view found
        it (`incident.app.next_key`, asked once for the hint and the text); None where
        no key does, or in a read-only view (replay, attach) where keys do something
        else. Not `keyed` (replay, attach), a hand update of the status page is to be
        recorded with the command line's verb, not this screen's key."""
        if step_id is None or step_id not in state.steps:
            self.set_text(Text("No step selected."))
            return
        record = state.steps[step_id]
        step = record.step
        status = state.status_of(step_id)
        text = Text()
        text.append(visible(step.title), style="bold")
        head: Head = (0, 0)
        if key is not None:
            # Right under the title: at 80x24 the panel shows few lines. The hint may
            # quote a probed version and the typed last-good one.
            title_end = len(text)
            text.append(f"\n▸ {visible(key.hint)}", style="italic")
            head = (title_end, len(text))
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
                f"{verb} by {visible(record.by)} at {t_plus(state, record.at)}",
                style="bold",
            )
            detail = record.note or record.reason or record.evidence
            text.append(f": {visible(detail)}\n" if detail else "\n")
        text.append("\n")
        text.append(visible_block(step.guidance or "(no guidance in the runbook)"))
        recorder = BY_NAME["status-page"]
        record_it = f"key {recorder.key_display}" if keyed else f"lastgood {recorder.name}"
        offset = partial(t_plus, state)
        if (page := step_page_words(state, step, offset, record_it)) is not None:
            text.append(f"\n\n{visible(page)}")
        self.set_text(text, head)
