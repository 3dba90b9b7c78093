"""One probe's row in words: its status, latency, value and a text sparkline, fitted
to the room the Production panel (`tui.app.widgets.health`) gives it.

A failure is shown by its class (TIMEOUT, REFUSED, HTTP 500...) in words, so the
coordinator can tell "production is down" from "my probe cannot reach it". Apart
from the panel because the words change for their own reasons (what a reading says,
when it is stale, how a name is cut), and the panel for its own (which rows are
drawn, scrolling, the line saying who polls).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from msgspec import Struct
from rich.cells import cell_len
from rich.text import Text

from incident.core.phase_clocks import format_duration
from incident.core.samples import Sample
from incident.core.state import IncidentState
from incident.core.text import visible
from incident.health.failure_words import beyond, failure_word
from incident.health.no_reading import NoReading
from incident.health.reading_line import stale_age
from incident.health.readings import baseline_of, format_value, version_expected
from incident.health.stability import reading_bad
from runbooks.model import Probe, ProbeKind

FAILING = "FAILING"
"""The word on every failing row: under NO_COLOR the red is gone, the word is not."""
SPARK_BARS = "▁▂▃▄▅▆▇█"
"""From lowest to highest: a value's bar is its place between 0 and the points' max (or
the probe's threshold, if higher): `sparkline`."""
SPARK_WIDE = 16
SPARK_NARROW = 6
NARROW_BELOW = 50
"""Rows narrower than this (an 80-column terminal) get the short sparkline."""

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
    """With what the value is compared to: the threshold, the last good version; for a
    failed poll, what it said beyond its class (`Sample.detail`), which gives way
    before the name is cut (`fitted_status`)."""
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
        if not want or sample.text == want:
            return sample.text, False
        if version_expected(state, sample.text):  # the release being rolled back, still
            return (f"{sample.text} (last good {want})" if fit.compare else sample.text), False
        return (f"{sample.text} (want {want})" if fit.compare else sample.text), True
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
    """A failed poll or a reading past its threshold (or not the last good version):
    the rule every face says "failing" by (`incident.health.stability.reading_bad`)."""
    return reading_bad(probe, sample, state)


def waiting_line(probe: Probe, fit: Fit = WHOLE, why: str = NoReading.WAITING) -> Text:
    """A probe with no reading yet: waiting for its first poll, or `why` it has none
    (`incident.health.no_reading`, the words every face says it in)."""
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
        word = failure_word(latest)
        text.append(word, style="bold")
        detail = beyond(word, visible(latest.detail))
        if detail and fit.compare:
            text.append(f" {detail}")
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
    (`Fit`); a name is cut to `NAME_AT_LEAST` cells at the least. A failed poll's name
    keeps its room: what the poll said beyond its class goes first (at 80 columns the
    health row read `✖ hea… FAILING HTTP 503 (e…`)."""
    status = status_line(probe, samples, state, now)
    if status.cell_len <= width:
        return status
    failed = bool(samples) and not samples[-1].ok
    name = cell_len(visible(probe.name))
    for compare in (True, False):
        unpadded = Fit(minor=False, compare=compare, name_cells=name)
        for fit in (Fit(minor=False, compare=compare), unpadded):
            status = status_line(probe, samples, state, now, fit)
            if status.cell_len <= width:
                return status
        cells = name - (status.cell_len - width)
        if (cells >= NAME_AT_LEAST and not failed) or not compare:
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


def sparkline(samples: Sequence[Sample], width: int, threshold: float | None = None) -> str:
    """The last `width` good readings as bars, each placed between 0 and the highest of
    them, or `threshold` (the probe's) when that is higher; "" with none.

    From 0, not from their lowest: an error rate steady at 0.45-0.5% drew `▁█▁█▁█`, the
    shape of a flapping service, where it now draws a flat line, low under its 5%. A
    reading below 0 (a metric may go there) lowers the floor to it."""
    points = last_good_readings(samples, width)
    if not points:
        return ""
    low = min(0.0, *points)
    high = max(points) if threshold is None else max(threshold, *points)
    if high == low:
        return SPARK_BARS[0] * len(points)
    top = len(SPARK_BARS) - 1
    return "".join(SPARK_BARS[round((p - low) / (high - low) * top)] for p in points)
