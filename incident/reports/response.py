"""The report's account of the response: detection (how, when, by whom, the pages and
the rollback criteria), the responders and their roles, and the places where the
record contradicts itself.
"""

from __future__ import annotations

from incident.core.timefmt import printed_duration
from incident.health.triggers import describe_condition
from incident.reports.analysis import detection as first_signal
from incident.reports.analysis import inconsistencies as contradictions
from incident.reports.analysis import pages, responders
from incident.reports.context import ReportContext, join_blocks
from incident.reports.markdown import cell, inline, table
from incident.reports.sections import rollback_criteria
from runbooks.model import TriggerKind


def detection(ctx: ReportContext) -> list[str]:
    state = ctx.state
    signal = first_signal(state)
    if signal.lag is not None:
        after = f"{printed_duration(state.started_at, signal.at)} after the impact started"
    else:
        after = "time to detect not measured: no impact start was given before the declaration"
    lines = [
        "## Detection",
        "",
        f"- How: {inline(signal.how)}.",
        f"- When: {ctx.when(signal.at)}; {after}.",
        f"- By: {inline(signal.by)}.",
        f"- Declared by {inline(state.declared_by)} at {ctx.when(state.declared_at)}.",
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
    return join_blocks([lines, _pages(ctx), rollback_criteria(ctx)])


def _pages(ctx: ReportContext) -> list[str]:
    found = pages(ctx.state)
    if not found:
        return ["### Pages", "", "No one was paged: no page and no paging message was recorded."]
    rows = [
        [ctx.offset(p.at), ctx.utc(p.at), cell(p.target), p.how, cell(p.by), cell(p.note)]
        for p in found
    ]
    return ["### Pages", "", *table(["T+", "UTC", "Paged", "How", "By", "Note"], rows)]


def responders_section(ctx: ReportContext) -> list[str]:
    found = responders(ctx.state, ctx.events)
    if not found:
        return ["## Responders", "", "No one recorded anything."]
    rows = [
        [
            cell(r.name),
            cell("; ".join(r.roles)) if r.roles else "—",
            str(r.actions),
            ctx.offset(r.first_at),
            ctx.offset(r.last_at),
        ]
        for r in found
    ]
    lead = (
        "Everyone who recorded something, held a role, approved or did a step. A person "
        "recorded under two names (a login and a full name) is listed twice."
    )
    headers = ["Responder", "Roles and parts", "Actions recorded", "First", "Last"]
    return ["## Responders", "", lead, "", *table(headers, rows)]


def inconsistencies_section(ctx: ReportContext) -> list[str]:
    found = contradictions(ctx.state)
    if not found:
        return ["## Inconsistencies", "", "None found: the record bears out what it says."]
    lead = "Where the record contradicts itself; each is worth a look in the review."
    items = [f"- ⚠ {ctx.when(i.at)}: {inline(i.text)}" for i in found]
    return ["## Inconsistencies", "", lead, "", *items]
