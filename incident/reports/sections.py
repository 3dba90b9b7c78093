"""The report's first half: metadata, summary, impact, root causes, trigger,
resolution and detection. Each function returns the lines of one `##` section.

Every piece of user text goes through `incident.reports.markdown` (escaped inline, or
fenced), so nothing typed during the incident can add a heading, a table cell or
HTML to the report.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from incident.core.gates import decision_gate
from incident.core.state import SEVERITIES, tier_target
from incident.core.timefmt import exact_duration, utc_stamp
from incident.health.readings import format_value
from incident.health.triggers import describe_condition
from incident.reports.context import ReportContext, entry, join_blocks
from incident.reports.gantt import mermaid_gantt
from incident.reports.impact import authors
from incident.reports.markdown import cell, code_span, heading, inline, table
from incident.reports.metrics import MetricFigures
from incident.reports.postmortem import summary_line
from runbooks.model import StepKind, TriggerKind


def header(ctx: ReportContext) -> list[str]:
    state, zone = ctx.state, ctx.zone
    status = "Open"
    if state.closed_at is not None:
        status = f"Closed (resolved {utc_stamp(state.closed_at)})"
        if state.forced_close:
            status += f", forced: {cell(state.close_reason)}"
    severities = [s for _, s in state.severity_history]
    severity = cell(state.severity)
    if len(set(severities)) > 1:
        peak = min(severities, key=lambda s: SEVERITIES.index(s) if s in SEVERITIES else 99)
        severity += f" (peak {cell(peak)}; was {' → '.join(cell(s) for s in severities)})"
    roles = "; ".join(f"{cell(role)}: {cell(person)}" for role, person in state.roles.items())
    meeting = "not booked yet"
    if state.postmortem is not None:
        meeting = (
            f"{zone.alongside(state.postmortem.starts_at, date=True)}, "
            f"{state.postmortem.duration_min} min"
        )
    rows = [
        ["Incident", cell(state.id)],
        ["Date", state.started_at.strftime("%Y-%m-%d")],
        ["Authors", cell(", ".join(authors(ctx.events)))],
        ["Roles", roles or "—"],
        ["Status", status],
        ["Severity", severity],
        ["Issue", cell(state.issue)],
        ["Impact start (T+0)", zone.alongside(state.started_at, date=True)],
        ["Declared", zone.alongside(state.declared_at, date=True)],
        ["Closed", zone.alongside(state.closed_at, date=True) if state.closed_at else "—"],
        ["Duration", f"{exact_duration(ctx.end - state.started_at)} (T+0 to close)"],
        ["Deployment pattern", cell(str(state.pattern or ""))],
        ["Rolled back", f"{cell(state.from_version)} → {cell(state.last_good_version)}"],
        ["Channel", cell(state.channel)],
        ["Runbook", cell(state.runbook.id)],
        ["Post-mortem", meeting],
        ["Record", f"{ctx.record.event_count} events, head hash `{ctx.head_hash}`"],
    ]
    lines = [f"# Incident report: {heading(state.title)}", "", *table(["", ""], rows), ""]
    note = "Times are UTC"
    if ctx.show_local:
        note += f"; local times (in brackets) are {inline(zone.name)}"
    return [*lines, note + ". T+ is time since the impact start."]


def summary(ctx: ReportContext) -> list[str]:
    state = ctx.state
    lines = ["## Summary", "", inline(summary_line(state))]
    if state.issue:
        lines += ["", f"Issue: {inline(state.issue)}"]
    steps = []
    for key, words in (
        ("rollback_decision", "the rollback was decided at"),
        ("app_rolled_back", "the application was rolled back at"),
        ("service_verified", "service was verified at"),
        ("closed", "the incident was closed at"),
    ):
        moment = ctx.moment(key)
        if moment.at is not None:
            steps.append(f"{words} {ctx.offset(moment.at)}")
    if steps:
        lines += ["", "Impact started at T+0; " + ", ".join(steps) + "."]
    for figures in ctx.metrics:
        if figures.peak is not None:
            lines += [
                "",
                f"Probe {inline(figures.trigger.probe or '')} peaked at "
                f"{format_value(figures.peak, figures.unit)} "
                f"(threshold {format_value(figures.trigger.threshold, figures.unit)}), "
                f"above it for {exact_duration(figures.time_above)}.",
            ]
    if not state.is_closed:
        lines += ["", f"The incident is still open (report as of {utc_stamp(ctx.now)})."]
    return lines


def impact(ctx: ReportContext) -> list[str]:
    return join_blocks(
        [
            ["## Impact"],
            _milestones(ctx),
            _severities(ctx),
            _error_rate(ctx),
            _phases(ctx),
        ]
    )


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
            cells.append(ctx.zone.time(moment.at))
        since_declared = moment.at - state.declared_at
        rows.append(
            [
                *cells,
                ctx.offset(moment.at),
                exact_duration(since_declared) if since_declared.total_seconds() >= 0 else "—",
                cell(moment.detail) if moment.detail else " ",
            ]
        )
    return ["### Time to recovery", "", *table(headers, rows)]


def _severities(ctx: ReportContext) -> list[str]:
    rows = [
        [
            cell(period.severity),
            ctx.offset(period.start),
            ctx.offset(period.end) + (" (still open)" if period.ongoing else ""),
            exact_duration(period.duration),
        ]
        for period in ctx.severities
    ]
    lines = ["### Time at each severity", "", *table(["Severity", "From", "To", "Time"], rows)]
    totals: dict[str, float] = {}
    for period in ctx.severities:
        totals[period.severity] = totals.get(period.severity, 0) + period.duration.total_seconds()
    if len(ctx.severities) > 1:
        listed = ", ".join(
            f"{inline(sev)} {exact_duration(timedelta(seconds=s))}" for sev, s in totals.items()
        )
        lines += ["", f"In total: {listed}."]
    return lines


def _error_rate(ctx: ReportContext) -> list[str]:
    lines = ["### Error rate", ""]
    if not ctx.metrics:
        return [*lines, "The runbook has no metric trigger, so there is no error rate to report."]
    lines.append(
        "From every recorded sample of each metric trigger's probe; "
        "peak and mean are over the readings above the threshold."
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
    return [
        cell(figures.trigger.probe or ""),
        cell(describe_condition(figures.trigger)),
        str(figures.readings),
        above,
        exact_duration(figures.time_above),
        format_value(figures.peak, unit),
        format_value(figures.mean, unit),
        format_value(figures.last_value, unit),
        format_value(figures.baseline, unit),
    ]


def _phases(ctx: ReportContext) -> list[str]:
    rows = []
    for result in ctx.phases:
        clock = result.clock
        window = clock.phase.window
        target = "—"
        if window is not None:
            end = f"T+{window.end_min}m" if window.end_min is not None else "close"
            target = f"T+{window.start_min}m to {end}"
        due = ctx.utc(clock.due_at) if clock.due_at is not None else "—"
        rows.append(
            [
                cell(clock.phase.title),
                target,
                due,
                ctx.offset(clock.started_at),
                ctx.offset(clock.finished_at),
                result.result,
            ]
        )
    headers = ["Phase", "Target window", "Due (UTC)", "Started", "Finished", "Result"]
    return [
        "### Phases against targets",
        "",
        *table(headers, rows),
        "",
        *mermaid_gantt(ctx.phases, ctx.moments, ctx.end),
    ]


def root_causes(ctx: ReportContext) -> list[str]:
    state = ctx.state
    if not state.rca:
        return [
            "## Root Causes",
            "",
            "No preliminary root cause recorded yet: "
            + code_span(f"lastgood rca {state.id} TEXT")
            + ".",
        ]
    entries = [entry(f"{ctx.when(note.at)} · {inline(note.by)}", note.text) for note in state.rca]
    lead = "Preliminary root-cause analysis, as recorded (latest last):"
    return join_blocks([["## Root Causes"], [lead], *entries])


def trigger(ctx: ReportContext) -> list[str]:
    state = ctx.state
    rows = []
    for rule in state.runbook.triggers:
        marks = [mark for trigger_id, mark in state.trigger_history if trigger_id == rule.id]
        met = [mark for mark in marks if mark.met]
        first = met[0] if met else None
        rows.append(
            [
                cell(rule.title),
                cell(describe_condition(rule)),
                ctx.offset(first.at) if first else "not met",
                cell(first.source) if first else " ",
                cell(first.detail) if first else " ",
            ]
        )
    lines = ["## Trigger", ""]
    if rows:
        headers = ["Rollback trigger", "Condition", "First met", "Source", "Reading"]
        lines += [*table(headers, rows)]
    else:
        lines.append("The runbook defines no rollback triggers.")
    changes = [
        [
            ctx.offset(mark.at),
            ctx.utc(mark.at),
            cell(trigger_id),
            "met" if mark.met else "cleared",
            cell(mark.source),
            cell(mark.by),
            cell(mark.detail),
        ]
        for trigger_id, mark in state.trigger_history
    ]
    lines += ["", "### Trigger changes", ""]
    if changes:
        headers = ["T+", "UTC", "Trigger", "Change", "Source", "By", "Detail"]
        lines += table(headers, changes)
    else:
        lines.append("No trigger changed state during the incident.")
    return lines


def resolution(ctx: ReportContext) -> list[str]:
    state = ctx.state
    opening = (
        f"Rolled back {inline(state.from_version or 'the new release')} to "
        f"{inline(state.last_good_version or 'the last good version')}"
        + (f" ({inline(str(state.pattern))} pattern)." if state.pattern else ".")
    )
    return join_blocks(
        [
            ["## Resolution", "", opening],
            _decisions(ctx),
            _approvals(ctx),
            _skips(ctx),
            _commands(ctx),
            _evidence(ctx),
        ]
    )


def _decisions(ctx: ReportContext) -> list[str]:
    state = ctx.state
    items = []
    gate = decision_gate(state)
    decision = ctx.moment("rollback_decision")
    if gate is None:
        items.append("- **Rollback decision**: the runbook has no approval gate.")
    elif decision.at is None:
        items.append(f"- **Rollback decision**: {inline(gate.step.id)} not decided.")
    else:
        approval = state.approvals.get(gate.step.id)
        text = f"- **Rollback decision** at {ctx.when(decision.at)}: "
        if approval is not None:
            text += f"{inline(gate.step.title)}, approved by {inline(approval.by)}: "
            text += inline(approval.reason)
        else:
            text += f"{inline(gate.step.title)}, checked by {inline(gate.by or '')}"
        met_then = _met_at(ctx, decision.at)
        text += f". Triggers met then: {inline(', '.join(met_then)) if met_then else 'none'}."
        items.append(text)
    items.append(_tier_line(ctx))
    return ["### Decisions and approvals", "", *items]


def _met_at(ctx: ReportContext, moment: datetime) -> list[str]:
    latest: dict[str, bool] = {}
    for trigger_id, mark in ctx.state.trigger_history:
        if mark.at <= moment:
            latest[trigger_id] = mark.met
    return [trigger_id for trigger_id, met in latest.items() if met]


def _tier_line(ctx: ReportContext) -> str:
    state = ctx.state
    if not any(r.step.kind == StepKind.DATABASE for r in state.steps.values()):
        return "- **Database**: the runbook has no database step."
    choice = state.tier_choice
    if choice is None:
        return "- **Database tier**: not chosen."
    tier = state.runbook.database_tier(choice.tier)
    text = f"- **Database tier** at {ctx.when(choice.at)}: {inline(choice.tier)}"
    if tier is not None:
        text += f" ({inline(tier.title)}; data loss: {tier.data_loss})"
    text += f", chosen by {inline(choice.by)}: {inline(choice.reason)}."
    if tier is not None and tier.approver:
        approval = state.approvals.get(tier_target(tier.id))
        if approval is None:
            text += f" Needs approval by {inline(tier.approver)}: **not approved**."
        else:
            text += (
                f" Approved by {inline(approval.by)} ({inline(tier.approver)}) at "
                f"{ctx.offset(approval.at)}: {inline(approval.reason)}."
            )
    else:
        text += " No approval needed."
    return text


def _approvals(ctx: ReportContext) -> list[str]:
    approvals = sorted(ctx.state.approvals.values(), key=lambda a: a.at)
    if not approvals:
        return ["No approvals were recorded."]
    rows = [
        [cell(a.target), cell(a.by), cell(a.reason), ctx.offset(a.at), ctx.utc(a.at)]
        for a in approvals
    ]
    return table(["Approved", "By", "Reason", "T+", "UTC"], rows)


def _skips(ctx: ReportContext) -> list[str]:
    rows = [
        [ctx.offset(c.at), cell(c.step), c.what, cell(c.by), cell(c.reason)]
        for c in ctx.state.step_changes
    ]
    if not rows:
        return ["### Steps skipped or reopened", "", "None: every step was done as planned."]
    headers = ["T+", "Step", "What", "By", "Reason"]
    return ["### Steps skipped or reopened", "", *table(headers, rows)]


def _commands(ctx: ReportContext) -> list[str]:
    runs = ctx.state.commands_run
    if not runs:
        return ["### Commands run", "", "No runbook commands were run through lastgood."]
    rows = [
        [ctx.offset(r.at), ctx.utc(r.at), cell(r.step), cell(r.command), str(r.exit_code)]
        for r in runs
    ]
    return ["### Commands run", "", *table(["T+", "UTC", "Step", "Command", "Exit code"], rows)]


def _evidence(ctx: ReportContext) -> list[str]:
    rows = []
    for step_id, record in ctx.state.steps.items():
        verifying = record.step.kind == StepKind.VERIFICATION
        if not (verifying or record.evidence):
            continue
        status = "done" if record.done else "skipped" if record.skipped else "open"
        evidence = record.evidence or record.note or ("—" if not record.skipped else record.reason)
        override = record.override if record.done else ""
        rows.append(
            [
                cell(step_id),
                status,
                ctx.offset(record.at),
                cell(record.by or ""),
                cell(evidence),
                cell(override) if override else " ",
            ]
        )
    if not rows:
        return ["### Verification evidence", "", "The runbook has no verification steps."]
    headers = ["Step", "Status", "Checked", "By", "Evidence", "Override reason"]
    return ["### Verification evidence", "", *table(headers, rows)]


def detection(ctx: ReportContext) -> list[str]:
    state = ctx.state
    lag = state.declared_at - state.started_at
    lines = [
        "## Detection",
        "",
        f"- Impact started at {ctx.zone.alongside(state.started_at, date=True)} (T+0).",
        f"- Declared by {inline(state.declared_by)} at {ctx.when(state.declared_at)}, "
        f"{exact_duration(lag)} after the impact started.",
    ]
    met = ctx.moment("trigger_met")
    if met.at is not None:
        lines.append(f"- First rollback trigger met at {ctx.when(met.at)}: {inline(met.detail)}.")
    else:
        lines.append("- No rollback trigger was recorded as met.")
    probes = [t for t in state.runbook.triggers if t.kind != TriggerKind.MANUAL]
    if probes:
        watched = ", ".join(inline(describe_condition(t)) for t in probes)
        lines.append(f"- Watched by probes: {watched}.")
    pages = [
        [ctx.offset(p.at), ctx.utc(p.at), cell(p.target), cell(p.by), cell(p.note)]
        for p in state.pages
    ]
    lines += ["", "### Pages", ""]
    if pages:
        lines += table(["T+", "UTC", "Paged", "By", "Note"], pages)
    else:
        lines.append("No pages were recorded.")
    return lines
