"""Live health: one line per probe with status, latency, value and a text sparkline
(each row's words: `tui.app.widgets.probe_rows`).

One widget draws every probe, and only the rows on show: with 200 probes polled
every second, a widget per probe (and a Sparkline each) cost a phase switch about
90 ms of layout and rendering; a Line API widget renders the six visible rows.

Under the rows, one line says who polls production when it is not this screen
(`incident.health.poll_mark`): `polled by Ada's monitor, last tick T+12:03`, or
`not polled since T+12:03 (Ada's monitor)` once its ticks stopped. No line: this
screen polls (or no tick yet, which the rows say). The panel grows by that line
rather than give a probe's row to it.
"""

from __future__ import annotations

from datetime import datetime

from rich.cells import cell_len
from rich.text import Text
from textual.geometry import Size
from textual.strip import Strip

from incident.core.state import IncidentState
from incident.core.text import counted
from incident.health.no_reading import NoReading, Polls, no_reading
from incident.health.poll_mark import Polling, PollMark, poll_words
from incident.health.reading_line import aged_at, stale_age
from runbooks.model import Probe
from tui.app.widgets.lines import LineView
from tui.app.widgets.probe_rows import (
    NARROW_BELOW,
    SPARK_NARROW,
    SPARK_WIDE,
    fitted_status,
    is_bad,
    sparkline,
    status_line,
    waiting_line,
)

TITLE = "Production"
TITLE_FRAME = 6
"""The cells of the top edge a title cannot have: each corner, and a line and a blank
on either side of it (`╭─ Production ──╮`)."""


def panel_title(shop_url: str, room: int) -> str:
    """The panel's title naming the shop, in `room` cells: its URL, else its address
    without the scheme (`127.0.0.1:PORT`, which curl takes as well), else no shop
    rather than half of one."""
    address = shop_url.removeprefix("http://")
    for title in (f"{TITLE} · {shop_url}", f"{TITLE} · {address}"):
        if cell_len(title) <= room:
            return title
    return TITLE


class HealthPanel(LineView, can_focus=True):
    """Every probe of the runbook, one line each; scrolls past 6, counts what fails.

    `show` takes the state and repaints; lines are built when Textual asks for
    them, so only the rows on show cost anything.
    """

    DEFAULT_CSS = """
    HealthPanel {
        height: auto;
        max-height: 8;
        overflow-x: hidden;
        scrollbar-size-vertical: 1;
        border: round $primary-muted;
        border-title-align: left;
        border-subtitle-align: right;
        /* In the border's colour they read 2.5:1, and 1.24:1 under NO_COLOR. */
        border-title-color: $foreground;
        border-title-style: bold;
        border-subtitle-color: $foreground;
        padding: 0 1;
    }
    HealthPanel:focus { border: round $primary; }
    /* The line saying who polls: one row more, so the probes keep their six. */
    HealthPanel.-marked { max-height: 9; }
    HealthPanel > .health-panel--bad { color: $text-error; }
    /* Not `App:nocolor HealthPanel ...`: in DEFAULT_CSS a rule that does not start with
       the widget's type is scoped under it (`HealthPanel App:nocolor ...`), which never
       matched, and failing rows came out a dim grey under NO_COLOR. */
    HealthPanel:nocolor > .health-panel--bad { color: $foreground; text-style: bold; }
    HealthPanel > .health-panel--spark { color: $accent; }
    """

    COMPONENT_CLASSES = {"health-panel--bad", "health-panel--spark"}
    MARK_ROW = -1
    """The key of the line saying who polls among the drawn lines."""

    def __init__(
        self, probes: tuple[Probe, ...], *, shop_url: str | None = None, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.probes = probes
        """The runbook's probes, one row each, in its order."""
        self.shop_url = shop_url
        """The demo's or the drill's shop (http://127.0.0.1:PORT), which the probes poll:
        named in the title, so that the player can curl it; None: no shop of ours."""
        self.state: IncidentState | None = None
        """What the rows show; None until the first `show`."""
        self.now: datetime | None = None
        """The moment the rows' ages are told at; None: ages are not told."""
        self.stale = 0
        """How many probes' latest reading is stale (counted on every `show` and `tick`)."""
        self.failing = 0
        """How many probes' latest sample is bad (counted on every `show`)."""
        self.polls = Polls.HERE
        """What the face drawing the panel does about the probes: a row without a
        reading says why by the one rule every face follows (`no_reading`): a bundled
        default address, polling off, not polled yet, never polled once closed."""
        self.unset: frozenset[str] = frozenset()
        """The probes this face leaves out, as its environment does not set a variable
        their URL or headers read (`runbooks.unset`): their rows say so."""
        self.poll_mark: PollMark | None = None
        """Who polls production, said under the rows (`mark_polling`); None: not said."""
        self._lines: dict[tuple[int, int], Strip] = {}
        self.border_title = TITLE
        self.border_subtitle = counted(len(probes), "probe")
        self.virtual_size = Size(0, len(probes))

    def on_resize(self) -> None:
        """The title names as much of the shop as the panel's width has room for."""
        if self.shop_url:
            self.border_title = panel_title(self.shop_url, self.size.width - TITLE_FRAME)

    def mark_polls(self, polls: Polls) -> None:
        """What the face does about the probes (`Polls`): the rows without a reading
        say why again."""
        if polls is self.polls:
            return
        self.polls = polls
        self._lines.clear()
        self.refresh()

    def mark_unset(self, names: frozenset[str]) -> None:
        """The probes this face leaves out for an unset variable (`unset`)."""
        if names == self.unset:
            return
        self.unset = names
        self._lines.clear()
        self.refresh()

    @property
    def marked(self) -> bool:
        """Whether the line saying who polls is drawn: when another poller polls, or
        nobody since the last one stopped. Not while this screen polls (the panel as it
        always was, the guidance below it keeping its rows at 80x24), nor before a
        first tick, when the rows say they wait for one; nor while ticks that name no
        poller come (an earlier release's, a script's, the demo scenarios'): the panel
        could only say "another poller" of them, which reads as news where there is
        none (`status` says it, and the screen's toast when it gives way to them)."""
        mark = self.poll_mark
        if mark is None or (mark.polling is Polling.ELSEWHERE and mark.poller is None):
            return False
        return mark.polling in (Polling.ELSEWHERE, Polling.LAPSED)

    def mark_polling(self, mark: PollMark | None) -> None:
        """Who polls production now (`incident.health.poll_mark`): the line under the
        rows is drawn again if it changed; the panel grows or shrinks by it."""
        if mark == self.poll_mark:
            return
        was_marked = self.marked
        self.poll_mark = mark
        if not was_marked and not self.marked:
            return  # nothing said before or now: nothing to draw
        for width in [w for (index, w) in self._lines if index == self.MARK_ROW]:
            del self._lines[(self.MARK_ROW, width)]
        if self.marked != was_marked:
            self.set_class(self.marked, "-marked", update=self.is_attached)
            if self.marked and self.is_attached:
                # Grown first, the line counted after: its height changes with the next
                # layout, its virtual size at once, and in between a scrollbar showed
                # for a frame and took a cell from every row (cutting the probes' names).
                self.call_after_refresh(self._count_rows)
            else:
                self._count_rows()
        self.refresh()

    def _count_rows(self) -> None:
        self.virtual_size = Size(0, len(self.probes) + int(self.marked))

    def show(self, state: IncidentState, now: datetime | None = None) -> None:
        """New samples (or baselines, versions): count the failing, repaint the rows."""
        self.state = state
        self.now = aged_at(state, now)
        self._count_failing()
        self._count_stale()
        self._lines.clear()
        self.refresh()

    def tick(self, now: datetime) -> None:
        """Time passed: the ages of stale readings move, and fresh ones may go stale."""
        was_stale = self.stale
        if self.state is None:
            self.now = now
            return
        self.now = aged_at(self.state, now)
        self._count_stale()  # only samples change what fails; time only what is stale
        if self.stale or was_stale:
            self._lines.clear()
            self.refresh()

    def _count_failing(self) -> None:
        state = self.state
        assert state is not None
        self.failing = sum(
            1
            for probe in self.probes
            if (samples := state.samples.get(probe.name)) and is_bad(probe, samples[-1], state)
        )

    def _count_stale(self) -> None:
        state = self.state
        assert state is not None
        self.stale = sum(
            1
            for probe in self.probes
            if (samples := state.samples.get(probe.name))
            and stale_age(probe, samples[-1], self.now) is not None
        )
        failing, stale, total = self.failing, self.stale, len(self.probes)
        subtitle = f"{failing} of {total} failing" if failing else counted(total, "probe")
        self.border_subtitle = subtitle + (f" · {stale} stale" if stale else "")

    def row_text(self, index: int, width: int) -> Text:
        """Row `index` as it reads at `width` cells: status, then the sparkline, which
        is the first to go when the room is short (then `fitted_status`)."""
        probe = self.probes[index]
        state = self.state
        samples = state.samples.get(probe.name, []) if state is not None else []
        live = bool(samples) and stale_age(probe, samples[-1], self.now) is None
        spark_widths = (SPARK_NARROW,) if width < NARROW_BELOW else (SPARK_WIDE, SPARK_NARROW)
        spark = ""
        if state is None or not samples:
            why = no_reading(state, probe, self.polls, self.unset) if state is not None else None
            status = waiting_line(probe, why=str(why or NoReading.WAITING))
        else:
            status = status_line(probe, samples, state, self.now)
            # A stale reading's trend stopped: its room goes to its age.
            sparks = [sparkline(samples, w, probe.threshold) for w in spark_widths] if live else []
            spark = next((s for s in sparks if status.cell_len + 1 + len(s) <= width), "")
            if not spark:
                status = fitted_status(probe, samples, state, self.now, width)
        room = max(width - (len(spark) + 1 if spark else 0), 0)
        status.truncate(room, overflow="ellipsis", pad=True)
        if state is not None and samples and is_bad(probe, samples[-1], state):
            status.stylize(self.get_component_rich_style("health-panel--bad"), 0, room)
        if spark:
            status.append(" ")
            status.append(spark, style=self.get_component_rich_style("health-panel--spark"))
        return status

    def mark_text(self, width: int) -> Text:
        """The line saying who polls, in `width` cells: the longest words that fit."""
        mark, state = self.poll_mark, self.state
        if mark is None or state is None:
            return Text()
        words = poll_words(mark, state, lambda words: cell_len(words) <= width)
        style = "bold italic" if mark.polling is Polling.LAPSED else "italic"
        text = Text(words, style=style, no_wrap=True, overflow="ellipsis")
        text.truncate(width, overflow="ellipsis", pad=True)
        return text

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        region = self.scrollable_content_region
        width = region.width
        base = self.base_style
        counted = self.virtual_size.height > len(self.probes)
        if self.marked and counted and y == region.height - 1 and width > 0:
            # The last row, wherever the probes' rows are scrolled; once it is counted
            # (`_count_rows`), so not over a probe's row before the panel has grown.
            index = self.MARK_ROW
        elif index >= len(self.probes) or width <= 0:
            return Strip.blank(width, base)
        line = self._lines.get((index, width))
        if line is None:
            text = self.mark_text(width) if index == self.MARK_ROW else self.row_text(index, width)
            line = Strip(list(text.render(self.app.console)), text.cell_len)
            line = line.crop_extend(0, width, base).apply_style(base)
            self._lines[(index, width)] = line
        return line.apply_offsets(scroll_x, scroll_y + y)
