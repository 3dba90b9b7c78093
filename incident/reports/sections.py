"""The report's root causes, trigger and detection sections. Each function returns the
lines of one `##` section.

Every piece of user text goes through `incident.reports.markdown` (escaped inline, or
fenced), so nothing typed during the incident can add a heading, a table cell or
HTML to the report.
"""

from __future__ import annotations

from incident.core.timefmt import exact_duration
from incident.health.triggers import describe_condition
from incident.reports.context import ReportContext, entry, join_blocks
from incident.reports.markdown import cell, code_span, inline, table
from runbooks.model import TriggerKind


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
