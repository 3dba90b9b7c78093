"""Everything recorded, newest at the bottom, as it lands in the log.

A Line API widget: each row is drawn once into a cached strip and only the rows
on show are asked for, so a new event costs one row, not a table. (A DataTable
re-rendered every visible cell on each event and each layout: about a third of
a key press's drawing.)

The name column is as wide as the longest name, but at most `MAX_ACTOR_CELLS` and a
fifth of the row: one long `--as` name once pushed every row's text out of sight,
at any width. Enter on a row shows it whole (`Timeline.Read`).

A probe trigger flipping again and again, with nothing else recorded between, is one
row that counts its flips (`Flaps`): a health check failing every ten seconds once
filled the panel with `Trigger health-failing met` and `cleared` rows, and pushed
everything else out of it (a fresh user's review). The report keeps every flip.
"""

from __future__ import annotations

from collections.abc import Iterable

from msgspec import Struct
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip

from incident.core.events import Event, Kind
from incident.core.payloads import TriggerChanged
from incident.core.phase_clocks import t_plus
from incident.core.state import IncidentState
from incident.reports.describe import describe
from tui.app.plain import plain
from tui.app.widgets.lines import LineView, set_line_count
from tui.app.widgets.timeline_marks import TimelineMarks

Row = tuple[str, Text, Text]
"""(T+ offset, who, what)."""
GAP = "  "
"""Between the columns."""
MAX_ACTOR_CELLS = 20
"""The widest the name column gets; a longer name ends in an ellipsis."""


class Flaps(Struct):
    """The flips of one probe trigger that the timeline's last row holds."""

    trigger: str
    since: str
    """The first flip's T+."""
    met: int = 0
    cleared: int = 0

    def add(self, change: TriggerChanged) -> None:
        if change.met:
            self.met += 1
        else:
            self.cleared += 1

    def says(self, change: TriggerChanged) -> str:
        """`Trigger health-failing met (flapping: met 5, cleared 4 times since T+00:03):
        3 failed checks in a row`: as its own row begins, where a narrow panel cuts it."""
        now = "met" if change.met else "cleared"
        detail = " ".join(change.detail.split())  # one line, as `describe` folds it
        detail = f": {detail}" if detail else ""
        counts = f"met {self.met}, cleared {self.cleared} times since {self.since}"
        return f"Trigger {change.trigger} {now} (flapping: {counts}){detail}"


class Timeline(LineView, can_focus=True):
    """The incident's events; rows are only ever appended, like the log."""

    DEFAULT_CSS = """
    Timeline {
        height: 1fr;
        border: round $primary-muted;
        scrollbar-size-vertical: 1;
        overflow-x: hidden;
        background: $surface;
    }
    Timeline:focus { border: round $primary; background-tint: $foreground 5%; }
    Timeline > .timeline--even-row { background: $surface-lighten-1 50%; }
    Timeline:dark > .timeline--even-row { background: $surface-darken-1 40%; }
    Timeline > .timeline--cursor {
        background: $block-cursor-blurred-background;
        color: $block-cursor-blurred-foreground;
        text-style: $block-cursor-blurred-text-style;
    }
    Timeline:focus > .timeline--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    """

    COMPONENT_CLASSES = {"timeline--even-row", "timeline--cursor"}

    BINDINGS = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "cursor_to(0)", "First", show=False),
        Binding("end", "cursor_to(-1)", "Last", show=False),
        Binding("enter", "read", "Read entry", show=False),
    ]

    cursor_row: reactive[int] = reactive(0, init=False)
    """The highlighted row: the newest, unless moved by hand."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.shown_seq = 0
        """The last event appended (or passed over): the log's seq, not a row number."""
        self._rows: list[Row] = []
        self._widths = (0, 0)
        self._strips: LRUCache[tuple[int, int, bool, bool], Strip] = LRUCache(1024)
        self._flaps: Flaps | None = None
        """The probe trigger whose flips the last row holds, if it holds one's."""
        self._described: list[Text] = []
        """Each row's description as `describe` gives it, before its marks."""
        self._marks = TimelineMarks()
        """The ⚠ marks and missed updates' outcomes, as `lastgood timeline` adds them."""
        self._marks_held = False
        """Whether the marks wait for `mark_from_now` (the live screen's first frame)."""

    @property
    def row_count(self) -> int:
        return len(self._rows)

    def get_row_at(self, index: int) -> list[str | Text]:
        """Row `index`'s cells: T+ offset, who, what."""
        return list(self._rows[index])

    def reset(self) -> None:
        """Forget every row, for a replay that went back in time."""
        self._rows.clear()
        self._widths = (0, 0)
        self._strips.clear()
        self._flaps = None
        self._described.clear()
        self._marks.reset()
        self.shown_seq = 0
        self.virtual_size = Size(0, 0)
        self.set_reactive(Timeline.cursor_row, 0)
        self.refresh()

    def append(self, state: IncidentState, events: Iterable[Event]) -> None:
        added = False
        for event in events:
            if event.seq <= self.shown_seq:
                continue
            self.shown_seq = event.seq
            if event.kind == Kind.PROBE_SAMPLES:
                continue  # samples live in the health panel
            row = (t_plus(state, event.at), plain(event.actor), plain(describe(event)))
            if self._flapped(state, event, row):
                self._strips.clear()  # the last row is drawn anew
            else:
                self._rows.append(row)
                self._described.append(row[2])
            self._marks.shown(event, len(self._rows) - 1)
            added = True
        if not added:
            return
        self._mark(state)
        widths = (
            max(len(offset) for offset, _, _ in self._rows),
            max(actor.cell_len for _, actor, _ in self._rows),
        )
        if widths != self._widths:
            self._widths = widths
            self._strips.clear()
        set_line_count(self, len(self._rows))
        self.cursor_row = len(self._rows) - 1
        # Forced: the row that first overflows the panel brings the scrollbar, which
        # Textual shows only at the next layout, and until then it refuses to scroll
        # a widget without one. That row stayed out of view until the next event
        # (at 80x24, the coordinator's own check under four notes: ux_review6 #6).
        height = self.scrollable_content_region.height
        self.scroll_end(animate=False, immediate=bool(height), force=True)

    def _flapped(self, state: IncidentState, event: Event, row: Row) -> bool:
        """Whether `event` is folded into the last row, as the same probe trigger's
        flip: the row then counts it, at its T+. Anything else ends the fold."""
        change = event.data
        if not isinstance(change, TriggerChanged) or change.source != "probe":
            self._flaps = None
            return False
        flaps = self._flaps
        if flaps is None or flaps.trigger != change.trigger:
            self._flaps = Flaps(change.trigger, row[0])
            self._flaps.add(change)
            return False
        flaps.add(change)
        self._rows[-1] = (row[0], row[1], plain(flaps.says(change)))
        self._described[-1] = self._rows[-1][2]
        return True

    def hold_marks(self) -> None:
        """Rows are shown without their marks until `mark_from_now`: the coordinator's
        screen draws its first frame without the rules that find them."""
        self._marks_held = True

    def mark_from_now(self, state: IncidentState) -> None:
        """The marks of every row so far, and of each row appended from now on."""
        self._marks_held = False
        self._mark(state)
        self.refresh()

    def _mark(self, state: IncidentState) -> None:
        """Each row whose marks or outcome changed with the new events, anew."""
        if self._marks_held:
            return
        changed = self._marks.changed(state)
        for index, added in changed.items():
            offset, actor, _ = self._rows[index]
            what = self._described[index]
            self._rows[index] = (offset, actor, what + plain(added) if added else what)
        if changed:
            self._strips.clear()

    def on_resize(self) -> None:
        """Sized (the first time, or the terminal changed): the cursor row in view."""
        self._strips.clear()
        self.watch_cursor_row()

    # --- moving ------------------------------------------------------------------------

    def action_cursor(self, delta: int) -> None:
        self.cursor_row = max(0, min(len(self._rows) - 1, self.cursor_row + delta))

    def action_page(self, direction: int) -> None:
        self.action_cursor(direction * max(1, self.scrollable_content_region.height - 1))

    def action_cursor_to(self, row: int) -> None:
        self.cursor_row = max(0, row if row >= 0 else len(self._rows) + row)

    class Read(Message):
        """Enter on a row: its screen shows the entry whole (`ReadsTimelineEntries`)."""

        def __init__(self, at: str, actor: Text, what: Text) -> None:
            super().__init__()
            self.at = at
            self.actor = actor
            self.what = what

    def action_read(self) -> None:
        if self._rows:
            self.post_message(Timeline.Read(*self._rows[self.cursor_row]))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None and self._rows:
            self.cursor_row = min(len(self._rows) - 1, int(self.scroll_y) + offset.y)

    def watch_cursor_row(self) -> None:
        top = int(self.scroll_y)
        height = self.scrollable_content_region.height
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False)
        elif height and self.cursor_row >= top + height:
            self.scroll_to(y=self.cursor_row - height + 1, animate=False)
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # --- drawing -----------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        base = self.base_style
        if index >= len(self._rows) or width <= 0:
            return Strip.blank(width, base)
        key = (index, width, index == self.cursor_row, self.has_focus)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._row_strip(index, width, key[2])
            self._strips[key] = strip
        return strip.apply_offsets(scroll_x, index)

    def _row_strip(self, index: int, width: int, cursor: bool) -> Strip:
        offset, actor, what = self._rows[index]
        offset_width, actor_width = self._widths
        actor_width = min(actor_width, MAX_ACTOR_CELLS, max(4, width // 5))
        if actor.cell_len > actor_width:
            actor = actor.copy()
            actor.truncate(actor_width, overflow="ellipsis")
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f" {offset:<{offset_width}}{GAP}")
        text.append_text(actor)
        text.append(" " * (actor_width - actor.cell_len) + GAP)
        text.append_text(what)
        text.truncate(width, overflow="ellipsis", pad=True)
        base = self.base_style
        if cursor:
            text.stylize(self.get_component_rich_style("timeline--cursor"))
        elif index % 2 == 0:
            text.stylize(self.get_component_rich_style("timeline--even-row"))
        strip = Strip(list(text.render(self.app.console)), text.cell_len)
        return strip.crop_extend(0, width, base).apply_style(base)
