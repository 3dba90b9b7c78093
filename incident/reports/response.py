"""The report's account of the response: detection (how, when, by whom, the pages and
the rollback criteria), the responders and their roles, and the places where the
record contradicts itself.
"""

from __future__ import annotations

from incident.core.timefmt import printed_duration
from incident.health.triggers import describe_condition
from incident.reports.analysis import Responder, pages, responders
from incident.reports.analysis import detection as first_signal
from incident.reports.analysis import inconsistencies as contradictions
from incident.reports.context import ReportContext, join_blocks
from incident.reports.markdown import cell, inline, table
from incident.reports.responder_parts import RoleSpan, part_counts, parts_in_words, role_spans
from incident.reports.sections import rollback_criteria
from incident.reports.trigger_view import unpolled
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
        lines.append(f"- Rollback trigger met at {ctx.when(met.at)}: {inline(met.detail)}.")
    elif met.detail:  # each one met was dismissed before the decision
        lines.append(f"- No rollback trigger stayed met: {inline(met.detail)}.")
    else:
        lines.append("- No rollback trigger was recorded as met.")
    lines += _watched(ctx)
    return join_blocks([lines, _pages(ctx), rollback_criteria(ctx)])


def _watched(ctx: ReportContext) -> list[str]:
    """The probe triggers whose probe gave readings, as watched; the others as what they
    were: not judged, no reading of their probe recorded (`unpolled`'s words). The
    report said "Watched by probes" of probes never polled."""
    state = ctx.state
    probes = [t for t in state.runbook.triggers if t.kind != TriggerKind.MANUAL]
    why = {t.id: unpolled(state, t) for t in probes}
    watched = [describe_condition(t) for t in probes if why[t.id] is None]
    unwatched = [describe_condition(t) for t in probes if why[t.id] is not None]
    lines = []
    if watched:
        lines.append(f"- Watched by probes: {', '.join(inline(c) for c in watched)}.")
    if unwatched:
        reason = next(w for w in why.values() if w is not None)
        judged = "were never judged" if state.is_closed else "are not judged yet"
        lines.append(
            f"- Not watched: no probe reading was recorded ({reason}), so these triggers "
            f"{judged}: {', '.join(inline(c) for c in unwatched)}."
        )
    return lines


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
    counts = part_counts(ctx.events)
    spans = role_spans(ctx.state)
    rows = [
        [
            cell(r.name),
            cell("; ".join(_parts(ctx, r, counts.get(r.name, {}), spans.get(r.name, [])))) or "—",
            str(r.actions),
            ctx.offset(r.first_at),
            ctx.offset(r.last_at),
        ]
        for r in found
    ]
    lead = (
        "Everyone who recorded something, held a role, approved or did a step: the roles "
        "each held (from T+ to T+), then what the record credits them with, counted by "
        "kind. A person recorded under two names (a login and a full name) is listed twice."
    )
    headers = ["Responder", "Roles and parts", "Actions recorded", "First", "Last"]
    return ["## Responders", "", lead, "", *table(headers, rows)]


def _parts(
    ctx: ReportContext, responder: Responder, counts: dict[str, int], spans: list[RoleSpan]
) -> list[str]:
    """`declared the incident; incident-commander from T+00:00 until T+12:05; checked 6 steps, 2
    approvals`: the roles held with their spans, then the parts counted by kind."""
    said = ["declared the incident"] if "declared the incident" in responder.roles else []
    for span in spans:
        if span.end is not None:
            held = f"until {ctx.offset(span.end)}"
        else:
            held = "to the close" if ctx.state.is_closed else "still held"
        said.append(f"{span.role} from {ctx.offset(span.start)} {held}")
    words = parts_in_words(counts)
    return [*said, ", ".join(words)] if words else said


def inconsistencies_section(ctx: ReportContext) -> list[str]:
    found = contradictions(ctx.state, ctx.events)
    if not found:
        return ["## Inconsistencies", "", "None found: the record bears out what it says."]
    lead = "Where the record contradicts itself; each is worth a look in the review."
    items = [f"- ⚠ {ctx.when(i.at)}: {inline(i.text)}" for i in found]
    return ["## Inconsistencies", "", lead, "", *items]
