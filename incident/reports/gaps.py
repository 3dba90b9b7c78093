"""The stretches with no probe readings, as the report, the timeline and the JSON say them.

A document that counts a probe's readings and draws their line must say where there
were none (`incident.health.reading_gaps`): a quiet stretch read as a healthy one is
the mistake a post-mortem must not make. Nothing is said where there is no gap.

Nor is a gap measured: a trigger's time above its threshold counts only the time
its probe's readings cover (`MetricFigures.time_above`), and where the probe has a
gap its figure says so (`time_above_words`), as each gap a breach was open across
does (`gap_line`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import timedelta

from incident.core.events import JSONValue, format_timestamp
from incident.core.timefmt import exact_duration, printed_duration, printed_span, seconds
from incident.health.reading_gaps import GAP_AT_LEAST, GAP_INTERVALS, ReadingGap
from incident.reports.context import ReportContext
from incident.reports.markdown import code_span
from incident.reports.metrics import MetricFigures

GAP_MARK = "⚠"
RULE = (
    f"longer than {GAP_INTERVALS} of the probe's intervals and {int(GAP_AT_LEAST.total_seconds())}s"
)
"""The rule (`reading_gap`) in words."""


def gap_words(ctx: ReportContext, gaps: Sequence[ReadingGap]) -> str:
    """`no readings of `error-rate` from T+01:12 to T+02:02 (50s)`, or of `health` and
    `version` for gaps alike (`alike`); one that lasts until the end says `to the close
    at T+07:09`, or `to now, T+09:30` and `so far`."""
    gap = gaps[0]
    if not gap.to_end:
        until = ctx.offset(gap.end)
    elif ctx.state.closed_at is not None:
        until = f"the close at {ctx.offset(gap.end)}"
    else:
        until = f"now, {ctx.offset(gap.end)}"
    length = printed_duration(gap.start, gap.end)
    so_far = " so far" if gap.to_end and ctx.state.closed_at is None else ""
    names = [code_span(each.probe) for each in gaps]
    probes = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return f"no readings of {probes} from {ctx.offset(gap.start)} to {until} ({length}{so_far})"


def alike(gaps: Iterable[ReadingGap]) -> list[list[ReadingGap]]:
    """Gaps in a row with the same start and end (a poller stopped: every probe at once)
    as one group each, for one line."""
    groups: list[list[ReadingGap]] = []
    for gap in gaps:
        last = groups[-1][0] if groups else None
        if last is not None and (last.start, last.end, last.end_seq) == (
            gap.start,
            gap.end,
            gap.end_seq,
        ):
            groups[-1].append(gap)
        else:
            groups.append([gap])
    return groups


def reading_gaps_section(ctx: ReportContext) -> list[str]:
    """The report's subsection under Impact; empty (no subsection) without gaps."""
    gaps = ctx.reading_gaps
    if not gaps:
        return []
    return [
        "### Gaps in the probes' readings",
        "",
        f"No readings were recorded in these stretches, each {RULE}: nobody was "
        "polling, so the readings counted here and the probes' lines on screen say "
        "nothing of them.",
        "",
        *(f"- {GAP_MARK} {gap_line(ctx, group)}" for group in alike(gaps)),
    ]


def gap_line(ctx: ReportContext, gaps: Sequence[ReadingGap]) -> str:
    """`gap_words`, and for each trigger whose breach was open when its probe's readings
    stopped, that the stretch is not counted as time above its threshold."""
    line = gap_words(ctx, gaps)
    above = [
        figures.trigger.probe or ""
        for figures in ctx.metrics
        if any(gap.probe == figures.trigger.probe and while_above(figures, gap) for gap in gaps)
    ]
    if not above:
        return line
    names = [code_span(probe) for probe in dict.fromkeys(above)]
    which = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return (
        f"{line}; {which} above its threshold when the readings stopped: not counted as time above"
    )


def while_above(figures: MetricFigures, gap: ReadingGap) -> bool:
    """Whether `figures`' trigger was above its threshold when `gap` began: a run above it
    was open across the gap, or still open at the last reading for a gap to the end."""
    if gap.probe != figures.trigger.probe:
        return False
    return figures.above_at_end if gap.to_end else gap in figures.left_out


def probe_gaps(ctx: ReportContext, probe: str | None) -> list[ReadingGap]:
    """`probe`'s gaps, the one to the end (the close, or now) included."""
    return [gap for gap in ctx.reading_gaps if gap.probe == probe]


def time_above_words(ctx: ReportContext, figures: MetricFigures) -> str:
    """A trigger's time above its threshold as the documents print it: `4m10s`, or where
    its probe has a gap, `4m10s of the 6m00s its readings cover, 19m35s with no readings
    left out`."""
    above = exact_duration(figures.time_above_printed)
    gaps = probe_gaps(ctx, figures.trigger.probe)
    if not gaps or figures.covered is None:
        return above
    missing = sum((printed_span(gap.start, gap.end) for gap in gaps), timedelta(0))
    return (
        f"{above} of the {exact_duration(figures.covered.printed)} its readings cover, "
        f"{exact_duration(missing)} with no readings left out"
    )


def time_above_cell(ctx: ReportContext, figures: MetricFigures) -> str:
    """The Metric triggers table's Time above: `4m10s`, or `4m10s of 6m00s covered` where
    the probe has a gap."""
    above = exact_duration(figures.time_above_printed)
    if not probe_gaps(ctx, figures.trigger.probe) or figures.covered is None:
        return above
    return f"{above} of {exact_duration(figures.covered.printed)} covered"


def gap_data(gap: ReadingGap, until: str) -> dict[str, JSONValue]:
    """A gap for the JSON documents; `until` says what ended it: `reading` (the next
    one), `close` or `now` (none came before the end)."""
    return {
        "probe": gap.probe,
        "from": format_timestamp(gap.start),
        "to": format_timestamp(gap.end),
        "seconds": seconds(gap.length),
        "until": until,
    }


def gaps_data(ctx: ReportContext) -> list[JSONValue]:
    """Every gap, for the JSON export's `reading_gaps`."""
    return [gap_data(gap, until(ctx, gap)) for gap in ctx.reading_gaps]


def trigger_gaps_data(ctx: ReportContext, figures: MetricFigures) -> dict[str, JSONValue]:
    """A metric trigger's `covered_s` and `gaps` in the JSON export's `error_rate`: the
    time its probe's readings cover, and each gap of its probe, `while_above` when the
    trigger was above its threshold as the readings stopped (not in `time_above_s`)."""
    found: list[JSONValue] = [
        {
            "start": format_timestamp(gap.start),
            "end": format_timestamp(gap.end),
            "seconds": seconds(gap.length),
            "while_above": while_above(figures, gap),
        }
        for gap in probe_gaps(ctx, figures.trigger.probe)
    ]
    cover = None if figures.covered is None else seconds(figures.covered.exact)
    return {"covered_s": cover, "gaps": found}


def until(ctx: ReportContext, gap: ReadingGap) -> str:
    if not gap.to_end:
        return "reading"
    return "close" if ctx.state.closed_at is not None else "now"
