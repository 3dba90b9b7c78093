"""Live health: one line per probe with status, latency, value and a text sparkline.

A failure is shown by its class (TIMEOUT, REFUSED, HTTP 500...) in words, so the
coordinator can tell "production is down" from "my probe cannot reach it".

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

from collections.abc import Sequence
from datetime import datetime, timedelta

from msgspec import Struct
from rich.cells import cell_len
from rich.text import Text
from textual.geometry import Size
from textual.strip import Strip

from incident.core.phase_clocks import format_duration
from incident.core.samples import Outcome, Sample
from incident.core.state import IncidentState
from incident.core.text import counted, visible
from incident.health.poll_mark import Polling, PollMark, poll_words
from incident.health.readings import baseline_of, format_value
from runbooks.model import Probe, ProbeKind
from tui.app.widgets.lines import LineView

FAILING = "FAILING"
"""The word on every failing row: under NO_COLOR the red is gone, the word is not."""
SPARK_BARS = "▁▂▃▄▅▆▇█"
"""From lowest to highest: a value's bar is its place between the points' min and max."""
SPARK_WIDE = 16
SPARK_NARROW = 6
NARROW_BELOW = 50
"""Rows narrower than this (an 80-column terminal) get the short sparkline."""

STALE_AFTER_INTERVALS = 3
"""A probe's latest reading is stale once this many of its intervals have passed
without a newer one: polling is off (`--no-probes`), stuck, or done elsewhere and
stopped. Old readings must not pass for live ones."""

OUTCOME_WORDS: dict[Outcome, str] = {
    Outcome.OK: "OK",
    Outcome.NO_DATA: "NO DATA",
    Outcome.HTTP_STATUS: "HTTP",
    Outcome.REFUSED: "REFUSED",
    Outcome.DNS: "DNS",
    Outcome.TLS: "TLS",
    Outcome.TIMEOUT: "TIMEOUT",
    Outcome.BAD_JSON: "BAD JSON",
    Outcome.TOO_LARGE: "TOO LARGE",
    Outcome.ERROR: "ERROR",
}


NAME_COLUMN = 10
"""Cells a probe's name is padded to, so that the rows' values line up."""
NAME_AT_LEAST = 4
"""Cells a name is cut to at the least (three and an ellipsis) when the room is short."""


class Fit(Struct, frozen=True):
    """How much of a row's status is drawn. What goes first when the room is short: the
    sparkline (`HealthPanel.row_text`), then the baseline and the latency, the name's
    padding, the name's length, then the threshold the value is compared to; the state
    word and the value stay."""

    minor: bool = True
    """With the baseline and the latency."""
    compare: bool = True
    """With what the value is compared to: the threshold, the last good version."""
    name_cells: int | None = None
    """None: the name padded to `NAME_COLUMN`; else cut to this many cells, unpadded."""

    def shown_name(self, name: str) -> Text:
        if self.name_cells is None:
            return Text(f"{name:<{NAME_COLUMN}}")
        text = Text(name)
        text.truncate(self.name_cells, overflow="ellipsis")
        return text


WHOLE = Fit()


def reading(
    probe: Probe, sample: Sample, state: IncidentState, fit: Fit | None = None
) -> tuple[str, bool]:
    """The value column and whether it is a breach; `fit` says whether with what it is
    compared to (the threshold, the last good version) and the probe's baseline."""
    fit = fit or WHOLE
    if probe.kind == ProbeKind.VERSION:
        if sample.text is None:
            return "—", False
        want = state.last_good_version
        if want and sample.text != want:
            return (f"{sample.text} (want {want})" if fit.compare else sample.text), True
        return sample.text, False
    if sample.value is None:
        return "—", False
    shown = format_value(sample.value, probe.unit)
    if probe.threshold is not None:
        breach = sample.value > probe.threshold
        sign = ">" if breach else "≤"
        if fit.compare:
            shown = f"{shown} {sign} {format_value(probe.threshold, probe.unit)}"
        base = baseline_of(state, probe.name) if fit.minor else None
        if base is not None:
            shown += f" (base {format_value(base, probe.unit)})"
        return shown, breach
    return shown, False


def is_bad(probe: Probe, sample: Sample, state: IncidentState) -> bool:
    """A failed poll or a reading past its threshold (or not the last good version)."""
    if not sample.ok:
        return True
    if probe.kind == ProbeKind.VERSION:
        want = state.last_good_version
        return bool(want) and sample.text is not None and sample.text != want
    return (
        probe.threshold is not None
        and sample.value is not None
        and (sample.value > probe.threshold)
    )


def stale_age(probe: Probe, sample: Sample, now: datetime | None) -> timedelta | None:
    """How old `sample` is, if it is too old to pass for live; None while it is fresh."""
    if now is None:
        return None
    age = now - sample.at
    return age if age > timedelta(seconds=probe.interval_s * STALE_AFTER_INTERVALS) else None


WAITING = "waiting for first poll"
NO_READING = "no reading recorded yet"
"""A read-only view's row before a reading (attach, replay): it polls nothing itself."""
NO_READING_CLOSED = "no reading recorded"
"""The same row on a closed incident, where no reading can come."""


def waiting_line(probe: Probe, fit: Fit = WHOLE, why: str = WAITING) -> Text:
    """A probe with no reading yet: waiting for its first poll, or `why` it is not
    polled at all."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append("? ", style="bold")
    name = fit.shown_name(visible(probe.name))
    name.stylize("bold")
    text.append_text(name)
    text.append(f" {why}")
    return text


def status_line(
    probe: Probe,
    samples: Sequence[Sample],
    state: IncidentState,
    now: datetime | None = None,
    fit: Fit = WHOLE,
) -> Text:
    """Mark, name, then what matters most first: the value, or what failed; a reading
    too old to be live says so, with its age, before its value."""
    if not samples:
        return waiting_line(probe, fit)
    text = Text(no_wrap=True, overflow="ellipsis")
    latest = samples[-1]
    value, breach = reading(probe, latest, state, fit)
    bad = not latest.ok or breach
    text.append("✖ " if bad else "● ", style="bold")
    name = fit.shown_name(visible(probe.name))
    name.stylize("bold")
    text.append_text(name)
    text.append(" ")
    if bad:
        text.append(FAILING, style="bold reverse")
        text.append(" ")
    age = stale_age(probe, latest, now)
    if age is not None:
        text.append(f"stale {format_duration(age)}", style="bold italic")
        text.append(" ")
    if not latest.ok:
        word = OUTCOME_WORDS[latest.outcome]
        if latest.outcome == Outcome.HTTP_STATUS and latest.http_status:
            word = f"HTTP {latest.http_status}"
        text.append(word, style="bold")
        if latest.detail:
            text.append(f" {visible(latest.detail)}")
        return text
    text.append(visible(value) if value != "—" else "OK", style="bold" if breach else "")
    if latest.latency_ms is not None and fit.minor:
        text.append(f"  {latest.latency_ms:.0f}ms", style="dim")
    return text


def fitted_status(
    probe: Probe,
    samples: Sequence[Sample],
    state: IncidentState,
    now: datetime | None,
    width: int,
) -> Text:
    """The status in `width` cells if it can be, giving up the least that makes it fit
    (`Fit`); a name is cut to `NAME_AT_LEAST` cells at the least."""
    status = status_line(probe, samples, state, now)
    if status.cell_len <= width:
        return status
    name = cell_len(visible(probe.name))
    for compare in (True, False):
        unpadded = Fit(minor=False, compare=compare, name_cells=name)
        for fit in (Fit(minor=False, compare=compare), unpadded):
            status = status_line(probe, samples, state, now, fit)
            if status.cell_len <= width:
                return status
        cells = name - (status.cell_len - width)
        if cells >= NAME_AT_LEAST or not compare:
            cut = Fit(minor=False, compare=compare, name_cells=max(cells, NAME_AT_LEAST))
            status = status_line(probe, samples, state, now, cut)
            if status.cell_len <= width or not compare:
                return status
    return status


def last_good_readings(samples: Sequence[Sample], width: int) -> list[float]:
    """The last `width` good readings (value, else latency), oldest first.

    Read from the newest back: a probe keeps 120 samples and shows 16 at most, and the
    rows on show are drawn again with each second's samples. Reading every sample
    was the largest share of the Python in a tick's frame."""
    points: list[float] = []
    for sample in reversed(samples):
        if len(points) >= width:
            break
        if sample.ok:
            points.append(sample.value if sample.value is not None else (sample.latency_ms or 0.0))
    points.reverse()
    return points


def sparkline(samples: Sequence[Sample], width: int) -> str:
    """The last `width` good readings as bars, each placed between their min and max;
    "" with none."""
    points = last_good_readings(samples, width)
    if not points:
        return ""
    low, high = min(points), max(points)
    if high == low:
        return SPARK_BARS[0] * len(points)
    top = len(SPARK_BARS) - 1
    return "".join(SPARK_BARS[round((p - low) / (high - low) * top)] for p in points)


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

    def __init__(self, probes: tuple[Probe, ...], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.probes = probes
        """The runbook's probes, one row each, in its order."""
        self.state: IncidentState | None = None
        """What the rows show; None until the first `show`."""
        self.now: datetime | None = None
        """The moment the rows' ages are told at; None: ages are not told."""
        self.stale = 0
        """How many probes' latest reading is stale (counted on every `show` and `tick`)."""
        self.failing = 0
        """How many probes' latest sample is bad (counted on every `show`)."""
        self.not_polled: dict[str, str] = {}
        """Why a probe is not polled in this session, by name (`--no-probes`, a bundled
        default address): its row says so instead of waiting for a poll that never
        comes."""
        self.poll_mark: PollMark | None = None
        """Who polls production, said under the rows (`mark_polling`); None: not said."""
        self._lines: dict[tuple[int, int], Strip] = {}
        self.border_title = "Production"
        self.border_subtitle = counted(len(probes), "probe")
        self.virtual_size = Size(0, len(probes))

    def mark_not_polled(self, why: dict[str, str]) -> None:
        """The probes this session does not poll, and why."""
        self.not_polled = why
        self._lines.clear()
        self.refresh()

    @property
    def marked(self) -> bool:
        """Whether the line saying who polls is drawn: when another poller polls, or
        nobody since the last one stopped. Not while this screen polls (the panel as it
        always was, the guidance below it keeping its rows at 80x24), nor before a
        first tick, when the rows say they wait for one."""
        mark = self.poll_mark
        return mark is not None and mark.polling in (Polling.ELSEWHERE, Polling.LAPSED)

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
            self.virtual_size = Size(0, len(self.probes) + int(self.marked))
        self.refresh()

    def show(self, state: IncidentState, now: datetime | None = None) -> None:
        """New samples (or baselines, versions): count the failing, repaint the rows."""
        self.state = state
        self.now = now
        self._count_failing()
        self._count_stale()
        self._lines.clear()
        self.refresh()

    def tick(self, now: datetime) -> None:
        """Time passed: the ages of stale readings move, and fresh ones may go stale."""
        was_stale = self.stale
        self.now = now
        if self.state is None:
            return
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
            status = waiting_line(probe, why=self.not_polled.get(probe.name, WAITING))
        else:
            status = status_line(probe, samples, state, self.now)
            # A stale reading's trend stopped: its room goes to its age.
            sparks = [sparkline(samples, w) for w in spark_widths] if live else []
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
        if self.marked and y == region.height - 1 and width > 0:
            index = self.MARK_ROW  # the last row, wherever the probes' rows are scrolled
        elif index >= len(self.probes) or width <= 0:
            return Strip.blank(width, base)
        line = self._lines.get((index, width))
        if line is None:
            text = self.mark_text(width) if index == self.MARK_ROW else self.row_text(index, width)
            line = Strip(list(text.render(self.app.console)), text.cell_len)
            line = line.crop_extend(0, width, base).apply_style(base)
            self._lines[(index, width)] = line
        return line.apply_offsets(scroll_x, scroll_y + y)
