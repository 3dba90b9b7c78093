"""The report's Impact section: time to recovery, time at each severity, the error
rate and the phases against their targets."""

from __future__ import annotations

from datetime import timedelta

from incident.core.phase_clocks import PhaseState
from incident.core.text import counted
from incident.core.timefmt import exact_duration, printed_duration, printed_span
from incident.health.readings import format_value
from incident.health.triggers import describe_condition
from incident.reports.analysis import resolution
from incident.reports.context import ReportContext, join_blocks
from incident.reports.describe import NO_FAILED_SERIES, count_text
from incident.reports.failures import FailureFigures
from incident.reports.gantt import mermaid_gantt
from incident.reports.gaps import reading_gaps_section, time_above_cell, time_above_words
from incident.reports.impact import skipped_steps
from incident.reports.markdown import cell, code_span, fence, inline, table
from incident.reports.metrics import MetricFigures


def impact(ctx: ReportContext) -> list[str]:
    blocks = [
        ["## Impact"],
        _users(ctx),
        _milestones(ctx),
        _severities(ctx),
        _error_rate(ctx),
        reading_gaps_section(ctx),
        _phases(ctx),
    ]
    return join_blocks([block for block in blocks if block])


def _users(ctx: ReportContext) -> list[str]:
    """Impact in users' terms: how long, and how many requests failed or how often."""
    lines = ["### User impact", "", _duration_and_harm(ctx)]
    lines += ["", *_failed_requests(ctx)]
    for figures in ctx.metrics:
        probe = inline(figures.trigger.probe or "")
        condition = inline(describe_condition(figures.trigger))
        if figures.peak is None:
            seen = "never above the threshold" if figures.readings else "no readings recorded"
            lines += ["", f"Readings of {probe} ({condition}): {seen}."]
            continue
        unit = figures.unit
        lines += [
            "",
            f"Readings of {probe} ({condition}): peak {format_value(figures.peak, unit)}, "
            f"mean {format_value(figures.mean, unit)} over the "
            f"{counted(figures.above, 'reading')} above "
            f"the threshold ({_time_above(ctx, figures)}).",
        ]
    for failing in ctx.record.failures:
        probe = inline(failing.trigger.probe or "")
        condition = inline(describe_condition(failing.trigger))
        lines += ["", f"Checks of {probe} ({condition}): {_checks_failed(ctx, failing)}."]
    return lines


def _failing_span(ctx: ReportContext, failing: FailureFigures) -> str:
    """`from T+12:01 to T+17:21 (5m20s)`: the first failing check to the last, the
    time between them as printed (or `at T+12:01` for one)."""
    first, last = failing.first_failed_at, failing.last_failed_at
    assert first is not None and last is not None
    if ctx.offset(first) == ctx.offset(last):
        return f"at {ctx.offset(first)}"
    span = exact_duration(printed_span(first, last))
    return f"from {ctx.offset(first)} to {ctx.offset(last)} ({span})"


def _failed_words(ctx: ReportContext, failing: FailureFigures) -> str:
    """`health failed every check from T+12:01 to T+17:21 (5m20s)`, or with checks passing
    among them `health failed 37 checks from … to … (…), 740 passing among them`."""
    probe = inline(failing.trigger.probe or "")
    if failing.failed == 1:
        return f"{probe} failed 1 check, {_failing_span(ctx, failing)}"
    if not failing.passed_between:
        return f"{probe} failed every check {_failing_span(ctx, failing)}"
    return (
        f"{probe} failed {failing.failed} checks {_failing_span(ctx, failing)}, "
        f"{failing.passed_between} passing among them"
    )


def _checks_failed(ctx: ReportContext, failing: FailureFigures) -> str:
    """How many of a probe's recorded checks failed, and from when to when (ux_review16 #4)."""
    if not failing.checks:
        return "no checks recorded"
    if not failing.failed:
        return f"none of the {counted(failing.checks, 'check')} recorded failed"
    said = f"{failing.failed} of the {counted(failing.checks, 'check')} recorded failed"
    if failing.failed == 1:
        return f"{said}, {_failing_span(ctx, failing)}"
    between = (
        "every check failing"
        if not failing.passed_between
        else f"{counted(failing.passed_between, 'check')} passing among them"
    )
    return f"{said}, {_failing_span(ctx, failing)}, the first failing check to the last, {between}"


def _time_above(ctx: ReportContext, figures: MetricFigures) -> str:
    """`40s above it`; where the probe has a gap, `above it for 40s of the 6m00s its
    readings cover, 19m35s with no readings left out`."""
    words = time_above_words(ctx, figures)
    if words == exact_duration(figures.time_above_printed):
        return f"{words} above it"
    return f"above it for {words}"


def _duration_and_harm(ctx: ReportContext) -> str:
    """The incident's length, named as such, and what the readings measured of the harm.

    The span to the resolution is not how long users were affected: the resolution
    goes out once the service is verified, often long after the readings came back
    (ux_review10 #1). Only a rollback trigger's readings measure the harm here.
    """
    state = ctx.state
    resolved = resolution(state)
    span = printed_duration(state.started_at, resolved or ctx.end)
    if resolved:
        said = (
            f"The incident lasted {span}, from the impact start (T+0) to the resolution "
            f"({ctx.offset(resolved)})"
        )
    else:
        said = f"The incident has lasted {span} so far, from the impact start (T+0) to now"
        said += " (not resolved)"
    said += ": that is its duration, not how long users were affected."
    measured = [
        f"{inline(figures.trigger.probe or '')} was above its threshold for "
        f"{time_above_words(ctx, figures)}"
        for figures in ctx.metrics
        if figures.peak is not None
    ]
    measured += [_failed_words(ctx, failing) for failing in ctx.record.failures if failing.failed]
    if measured:
        return f"{said} What the readings measured: {'; '.join(measured)}."
    checked = any(failing.checks for failing in ctx.record.failures)
    if checked and any(figures.readings for figures in ctx.metrics):
        return f"{said} No rollback trigger's probe read above its threshold or failed a check."
    if checked:
        return f"{said} No rollback trigger's probe failed a check."
    if any(figures.readings for figures in ctx.metrics):
        return f"{said} No rollback trigger's probe read above its threshold."
    return f"{said} No readings were recorded to measure that."


def _failed_requests(ctx: ReportContext) -> list[str]:
    state = ctx.state
    figure = state.impact
    if figure is None:
        how = code_span(f"lastgood measure-impact {state.id} --failed PROMQL --total PROMQL")
        return [f"Failed requests: not measured; where Prometheus counts requests: {how}."]
    share = f" ({figure.share:.1%} of traffic)" if figure.share is not None else ""
    lines = [
        f"Failed requests: {count_text(figure.failed)} of "
        f"{count_text(figure.total)}{share} from "
        f"{ctx.offset(figure.start)} to {ctx.offset(figure.end)}, counted by Prometheus "
        f"with increase() at {ctx.utc(figure.end)} UTC (measured by {inline(figure.by)} at "
        f"{ctx.offset(figure.at)}):",
        "",
        *fence(f"{figure.failed_query}\n{figure.total_query}", "promql"),
    ]
    if figure.failed_no_series:
        lines += ["", f"⚠ The failed requests' query matched no series: {NO_FAILED_SERIES}."]
    if (figure.start, figure.end) != (state.started_at, resolution(state)):
        lines += ["", "⚠ The impact window has changed since: measure it again."]
    return lines


def _milestones(ctx: ReportContext) -> list[str]:
    state = ctx.state
    headers = ["Milestone", "UTC"]
    if ctx.show_local:
        headers.append(f"Local ({cell(ctx.zone.name)})")
    headers += ["T+ (from impact start)", "From declaration", "Recorded"]
    rows = []
    for moment in ctx.moments:
        if moment.at is None:
            cells = [cell(moment.label), "—"]
            if ctx.show_local:
                cells.append("—")
            rows.append([*cells, "—", "—", cell(moment.detail or "not recorded")])
            continue
        cells = [cell(moment.label), ctx.utc(moment.at)]
        if ctx.show_local:
            cells.append(ctx.local(moment.at))
        # to the second each is printed at, as the UTC and T+ columns beside it
        since_declared = printed_span(state.declared_at, moment.at)
        rows.append(
            [
                *cells,
                ctx.offset(moment.at),
                exact_duration(since_declared) if since_declared >= timedelta(0) else "—",
                cell(moment.detail) if moment.detail else " ",
            ]
        )
    return ["### Time to recovery", "", *table(headers, rows)]


def _severities(ctx: ReportContext) -> list[str]:
    # each between its From and To as printed, and the totals the sums of those
    times = [max(printed_span(p.start, p.end), timedelta(0)) for p in ctx.severities]
    rows = [
        [
            cell(period.severity),
            ctx.offset(period.start),
            ctx.offset(period.end) + (" (still open)" if period.ongoing else ""),
            exact_duration(time),
        ]
        for period, time in zip(ctx.severities, times, strict=True)
    ]
    lines = ["### Time at each severity", "", *table(["Severity", "From", "To", "Time"], rows)]
    totals: dict[str, timedelta] = {}
    for period, time in zip(ctx.severities, times, strict=True):
        totals[period.severity] = totals.get(period.severity, timedelta(0)) + time
    if len(ctx.severities) > 1:
        listed = ", ".join(f"{inline(sev)} {exact_duration(t)}" for sev, t in totals.items())
        lines += ["", f"In total: {listed}."]
    return lines


def _error_rate(ctx: ReportContext) -> list[str]:
    # Named for what every metric trigger reads, not "Error rate": a latency trigger
    # (`health > 500`, in ms) was listed under it (review 7 F16).
    lines = ["### Metric triggers", ""]
    if not ctx.metrics:
        if ctx.record.failures:  # its failed checks are under User impact (ux_review16 #4)
            return [*lines, "The runbook has no metric trigger: no reading has a threshold."]
        return [*lines, "The runbook has no metric trigger, so there are no readings to report."]
    lines.append(
        "From every recorded sample of each metric trigger's probe; "
        "peak and mean are over the readings above the threshold. Time above runs from "
        "a first reading above the threshold to the next reading that is not (or to the "
        "last reading, still above), so it may end after the last reading above; its "
        "cell gives the span it falls in."
    )
    if ctx.reading_gaps:
        lines[-1] += (
            " Time above counts only the time a probe's readings cover: a gap in them "
            "(below) is left out, whatever the reading before it."
        )
    rows = [_metric_row(ctx, figures) for figures in ctx.metrics]
    headers = [
        "Probe",
        "Trigger",
        "Readings",
        "Above threshold",
        "Time above",
        "Peak while above",
        "Mean while above",
        "Last reading",
        "Baseline",
    ]
    return [*lines, "", *table(headers, rows)]


def _metric_row(ctx: ReportContext, figures: MetricFigures) -> list[str]:
    unit = figures.unit
    above = str(figures.above)
    if figures.first_above_at is not None and figures.last_above_at is not None:
        above += f" ({ctx.offset(figures.first_above_at)} to {ctx.offset(figures.last_above_at)})"
    time_above = _time_above_span(ctx, figures)
    if not figures.readings:  # "0 above, 0s" read as measured (ux_review10 #11)
        above, time_above = "no readings", "—"
    return [
        cell(figures.trigger.probe or ""),
        cell(describe_condition(figures.trigger)),
        str(figures.readings),
        above,
        time_above,
        format_value(figures.peak, unit),
        format_value(figures.mean, unit),
        format_value(figures.last_value, unit),
        format_value(figures.baseline, unit),
    ]


def _time_above_span(ctx: ReportContext, figures: MetricFigures) -> str:
    """The Time above cell with the span it covers (ux_review16 #15): `9m22s (T+01:20 to
    T+10:42)` for one run, from its first reading above to the next reading below;
    `…, within T+01:20 to T+10:42` for several, or where a gap is left out of it."""
    cell_text = time_above_cell(ctx, figures)
    start = figures.first_above_at
    end = figures.below_after or figures.last_above_at
    if start is None or end is None:
        return cell_text
    span = f"{ctx.offset(start)} to {ctx.offset(end)}"
    if figures.runs == 1 and cell_text == exact_duration(figures.time_above_printed):
        return f"{cell_text} ({span})"
    return f"{cell_text}, within {span}"


def _phases(ctx: ReportContext) -> list[str]:
    rows = []
    for result in ctx.phases:
        clock = result.clock
        window = clock.window  # placed from the declaration, on the T+ clock
        target = "—"
        if window is not None:
            target = f"{window.opens} to {window.closes or 'close'}"
        due = ctx.utc(clock.due_at) if clock.due_at is not None else "—"
        rows.append(
            [
                cell(clock.phase.title),
                target,
                due,
                ctx.offset(result.entered),
                ctx.offset(result.first_action),
                ctx.offset(clock.finished_at),
                result.result,
            ]
        )
    headers = ["Phase", "Target window", "Due (UTC)", "Entered", "First action", "Finished"]
    return [
        "### Phases against targets",
        "",
        *table([*headers, "Result"], rows),
        "",
        PHASE_STARTS,
        *_skipped_whole(ctx),
        "",
        *mermaid_gantt(ctx.phases, ctx.moments, ctx.end),
    ]


PHASE_STARTS = (
    "Entered: when the phase became the one to work in (the first at the declaration, "
    "each other when the one before it finished, or at its first action if earlier). "
    "First action: its first step recorded. The timeline and the JSON exports give both "
    "under the same names."
)


def _skipped_whole(ctx: ReportContext) -> list[str]:
    """A paragraph for each phase skipped whole: that none of it was done, and why."""
    lines: list[str] = []
    for result in ctx.phases:
        if result.clock.state is not PhaseState.SKIPPED:
            continue
        reasons = "; ".join(
            f"{inline(r.step.id)}: {inline(r.reason)}"
            for r in skipped_steps(ctx.state, result.clock)
        )
        lines += [
            "",
            f"⚠ {inline(result.clock.phase.title)} was skipped: none of its steps was "
            f"checked. The reasons given: {reasons}.",
        ]
    return lines
