"""The report's head: the metadata table and the summary."""

from __future__ import annotations

from incident.core.attribution import approver
from incident.core.gates import decision_gate
from incident.core.state import SEVERITIES, IncidentState
from incident.core.text import counted
from incident.core.timefmt import printed_duration, utc_stamp
from incident.health.readings import format_value
from incident.health.stability import met_at
from incident.reports.analysis import (
    claims_unmet_trigger,
    impact_start_known,
    resolution,
    unheld_warning,
)
from incident.reports.authorship import authors
from incident.reports.context import UNVERIFIED_MARK, ReportContext
from incident.reports.drill_faults import FAULTS, FaultName, fault_shown
from incident.reports.for_org import org_note
from incident.reports.gaps import time_above_words
from incident.reports.markdown import cell, code_span, heading, inline, table
from incident.reports.postmortem import summary_line
from incident.reports.report_timeline import event_text
from incident.reports.rollback_state import rollback_state
from incident.reports.summary_facts import summary_steps


def header(ctx: ReportContext) -> list[str]:
    state, zone = ctx.state, ctx.zone
    resolved = resolution(state)
    status = "Open"
    if resolved is not None:
        status = f"Resolved at {utc_stamp(resolved)}"
        status += f", closed at {utc_stamp(state.closed_at)}" if state.closed_at else ", still open"
        if state.forced_close:
            status += f" (forced: {cell(state.close_reason)})"
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
    document = state.document
    owner = cell(document.owner) if document else f"{cell(state.commander)} (the commander)"
    reviewers = ", ".join(cell(r) for r in document.reviewers) if document else ""
    start_note = "" if impact_start_known(state) else " (the declaration: no earlier start given)"
    duration = f"{printed_duration(state.started_at, ctx.end)} (impact start to now, unresolved)"
    if resolved is not None:
        duration = f"{printed_duration(state.started_at, resolved)} (impact start to resolution)"
    rows = [
        ["Incident", cell(state.id)],
        ["Date", state.started_at.strftime("%Y-%m-%d")],
        ["Report status", (document.status if document else "draft").capitalize()],
        ["Report owner", owner],
        ["Reviewers", reviewers or "none yet"],
        ["Authors", cell(", ".join(authors(ctx.events)))],
        ["Roles", roles or "—"],
        ["Incident status", status],
        ["Severity", severity],
        ["Issue", cell(state.issue)],
        ["Impact start (T+0)", zone.alongside(state.started_at, date=True) + start_note],
        ["Declared", zone.alongside(state.declared_at, date=True)],
        ["Resolved", zone.alongside(resolved, date=True) if resolved else "not yet"],
        ["Closed", zone.alongside(state.closed_at, date=True) if state.closed_at else "—"],
        ["Duration", duration],
        ["Deployment pattern", cell(str(state.pattern or ""))],
        ["Rollback", rollback_cell(state)],
        ["Channel", cell(state.channel)],
        ["Runbook", cell(state.runbook.id)],
        ["Post-mortem", meeting],
        ["Record", record_cell(ctx)],
    ]
    lines = [f"# Incident report: {heading(state.title)}", ""]
    lines += [*damage_note(ctx), *drill_note(state)]
    lines += [org_note(state.id), ""] if ctx.record.for_org else []
    lines += [*table(["", ""], rows), ""]
    return [*lines, ctx.times_note + ". T+ is time since the impact start."]


def damage_note(ctx: ReportContext) -> list[str]:
    """For a record whose chain does not verify, a paragraph saying where, first: what
    follows is what the record holds now, which is not what was recorded. The event it
    stops at is named as the timeline lists it, and every timeline line from it on is
    marked (`UNVERIFIED_MARK`): a seq alone, which no line shows, left the reader to
    distrust all of it."""
    damage = ctx.record.damage
    if damage is None:
        return []
    verify = code_span(f"lastgood verify {damage.incident_id}")
    seq = damage.first_bad_seq
    where = f"event {seq}" if seq else "its first event"
    found = next((event for event in ctx.events if event.seq == seq), None)
    if found is not None:
        where += f" ({ctx.when(found.at)}, {inline(found.actor)}: {event_text(ctx, found)})"
    return [
        f"**This record does not verify:** at {where}, {inline(damage.problem)}. Events "
        "were changed, added or removed after they were recorded, so this report shows "
        "what the record holds now, not what was recorded: each timeline line from that "
        f"event on is marked {UNVERIFIED_MARK}, and the head it ends in is no head to "
        f"keep. {verify} says more.",
        "",
    ]


def record_cell(ctx: ReportContext) -> str:
    """The Record row: how many events, and the head they end in; on a record that does
    not verify, the last head that does, not the stored one as if it could be kept; for
    readers outside the team (`for_org`), no head: it covers text this report leaves out."""
    count = counted(ctx.record.event_count, "event")
    damage = ctx.record.damage
    if ctx.record.for_org:
        return f"{count}; text for the team left out (see above), so no head hash"
    if damage is None:
        return f"{count}, head hash `{ctx.head_hash}`"
    if not damage.count:
        return f"{count}; none verifies (see above)"
    return (
        f"{count}; it verifies up to event {damage.count}, head hash `{damage.head_hash}`, "
        "not after (see above)"
    )


def drill_note(state: IncidentState) -> list[str]:
    """For a drill, a paragraph saying so and where its score card is, as `status`
    says it; its fault named only once it is closed (`fault_shown`). None otherwise."""
    if not state.drill:
        return []
    score = code_span(f"lastgood score {state.id}")
    if not fault_shown(state):
        return [
            "This is a drill, a rehearsal, not a real incident: its fault is hidden until "
            f"it is closed, when its score card shows: {score}.",
            "",
        ]
    known = FAULTS.get(FaultName(state.drill)) if state.drill in FAULTS else None
    fault = code_span(state.drill)
    what = f"{inline(known.title[0].lower() + known.title[1:])} ({fault})" if known else fault
    return [
        f"This was a drill, a rehearsal of {what}, not a real incident. Its score card: {score}.",
        "",
    ]


def summary(ctx: ReportContext) -> list[str]:
    state = ctx.state
    lines = ["## Summary", "", inline(summary_line(state))]
    if state.issue:
        lines += ["", f"Issue: {inline(state.issue)}"]
    steps = [
        f"{step.words} {ctx.offset(step.at)}"
        if step.at is not None
        else f"{step.words} ({inline(', '.join(step.skipped))} skipped)"
        for step in summary_steps(state, ctx.moment)
    ]
    if steps:
        lines += ["", "Impact started at T+0; " + ", ".join(steps) + "."]
    lines += _why(ctx)
    for figures in ctx.metrics:
        if figures.peak is not None:
            lines += [
                "",
                f"Probe {inline(figures.trigger.probe or '')} peaked at "
                f"{format_value(figures.peak, figures.unit)} "
                f"(threshold {format_value(figures.trigger.threshold, figures.unit)}), "
                f"above it for {time_above_words(ctx, figures)}.",
            ]
    if not state.is_closed:
        lines += ["", f"The incident is still open (report as of {utc_stamp(ctx.now)})."]
    return lines


def _why(ctx: ReportContext) -> list[str]:
    """The decision's reason and the root cause, a line each, so that a reader may stop
    after the Summary: they were only in later sections."""
    state = ctx.state
    lines = []
    gate = decision_gate(state)
    decided = ctx.moment("rollback_decision").at
    if gate is not None and decided is not None:
        approval = state.approvals.get(gate.step.id)
        met = ", ".join(met_at(state, decided)) or "none"
        if approval is not None:
            said = (
                f"{approval.reason} (approved by {approver(approval)}; "
                f"rollback triggers met then: {met})"
            )
        else:
            said = (
                f"{gate.step.title}, checked by {gate.by or ''} (rollback triggers met then: {met})"
            )
        warning = ""
        if approval is not None and claims_unmet_trigger(state, approval):
            warning = " ⚠ Its reason says a trigger was met; none was (see Inconsistencies)."
        if approval is not None:
            warning += unheld_warning(state, approval)
        lines += ["", f"Decided on: {inline(said)}.{warning}"]
    if state.rca:
        text = [line.strip() for line in state.rca[-1].text.splitlines() if line.strip()]
        cause = text[0] + (" …" if len(text) > 1 else "") if text else ""
        lines += ["", f"Root cause (preliminary): {inline(cause)}"]
    else:
        lines += ["", "Root cause: not recorded yet."]
    return lines


def rollback_cell(state: IncidentState) -> str:
    """`2.4.1 → 2.4.0, done`; a version not given named as such, where an incident
    declared without versions read `  →  , done`, an empty arrow (review 7 F16)."""
    if not (state.from_version or state.last_good_version):
        return f"versions not given, {cell(rollback_state(state))}"
    bad = cell(state.from_version) if state.from_version else "the new release"
    good = cell(state.last_good_version) if state.last_good_version else "the last good version"
    return f"{bad} → {good}, {cell(rollback_state(state))}"
