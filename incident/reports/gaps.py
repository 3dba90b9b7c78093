"""The stretches with no probe readings, as the report, the timeline and the JSON say them.

A document that counts a probe's readings and draws their line must say where there
were none (`incident.health.reading_gaps`): a quiet stretch read as a healthy one is
the mistake a post-mortem must not make. Nothing is said where there is no gap.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from incident.core.events import JSONValue, format_timestamp
from incident.core.timefmt import printed_duration, seconds
from incident.health.reading_gaps import GAP_AT_LEAST, GAP_INTERVALS, ReadingGap
from incident.reports.context import ReportContext
from incident.reports.markdown import code_span

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
        *(f"- {GAP_MARK} {gap_words(ctx, group)}" for group in alike(gaps)),
    ]


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


def until(ctx: ReportContext, gap: ReadingGap) -> str:
    if not gap.to_end:
        return "reading"
    return "close" if ctx.state.closed_at is not None else "now"
