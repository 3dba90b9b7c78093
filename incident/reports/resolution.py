"""The report's Resolution section: decisions and approvals, skipped steps, commands
run and the verification evidence."""

from __future__ import annotations

from incident.core.attribution import approver, recorder
from incident.core.gates import appointed_by_chooser, decision_gate
from incident.core.names import same_person
from incident.core.records import CommandRun
from incident.core.state import Approval, tier_target
from incident.health.stability import met_at
from incident.reports.analysis import claims_unmet_trigger, unheld_warning
from incident.reports.context import ReportContext, join_blocks
from incident.reports.markdown import cell, cell_code, inline, table
from incident.reports.rollback_state import rollback_sentence
from runbooks.model import StepKind


def resolution(ctx: ReportContext) -> list[str]:
    state = ctx.state
    pattern = f" ({state.pattern} pattern)" if state.pattern else ""
    said = rollback_sentence(state, pattern)
    opening = inline(said[0].upper() + said[1:] + ".")
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
            text += f"{inline(gate.step.title)}, approved by {inline(approver(approval))}: "
            text += inline(approval.reason)
        else:
            text += f"{inline(gate.step.title)}, checked by {inline(gate.by or '')}"
        met_then = met_at(state, decision.at)
        text += f". Rollback triggers met then: {inline(', '.join(met_then)) or 'none'}."
        if approval is not None and claims_unmet_trigger(state, approval):
            text += " ⚠ Its reason says a trigger was met; none was (see Inconsistencies)."
        if approval is not None:
            text += unheld_warning(state, approval)
        items.append(text)
    items.append(_tier_line(ctx))
    if (changes := state.changes) is not None:
        items.append(f"- **What the rollback undoes**: {inline(changes.summary)}")
        items += [f"  - {inline(migration)}" for migration in changes.migrations]
    return ["### Decisions and approvals", "", *items]


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
                f" Approved by {inline(approval.by)}{_role_held(approval, tier.approver)}"
                f"{inline(recorder(approval))} at {ctx.offset(approval.at)}: "
                f"{inline(approval.reason)}."
            )
            if same_person(approval.by, choice.by):
                text += " ⚠ Approved by the person who chose it."
            elif appointed_by_chooser(state, approval) is not None:
                text += (
                    " ⚠ Recorded by the person who chose it, for a holder they appointed "
                    "(see Inconsistencies)."
                )
    else:
        text += " No approval needed."
    return text


def _approvals(ctx: ReportContext) -> list[str]:
    approvals = sorted(ctx.state.approvals.values(), key=lambda a: a.at)
    if not approvals:
        return ["No approvals were recorded."]
    rows = [
        [cell(a.target), cell(approver(a)), cell(a.reason), ctx.offset(a.at), ctx.utc(a.at)]
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
        [ctx.offset(r.at), ctx.utc(r.at), cell(r.step), cell_code(r.command), _exit(ctx, r)]
        for r in runs
    ]
    return ["### Commands run", "", *table(["T+", "UTC", "Step", "Command", "Exit code"], rows)]


def _exit(ctx: ReportContext, run: CommandRun) -> str:
    """Its exit code; and, for a run recorded later than it ran, when it was recorded."""
    if run.recorded_at is None:
        return str(run.exit_code)
    return f"{run.exit_code} (recorded at {ctx.offset(run.recorded_at)})"


def _evidence(ctx: ReportContext) -> list[str]:
    """Every step of the verification phase (the phase, or phases, that holds a probe-
    backed verification step), with its evidence, else its note, else why it was
    skipped. The table listed verification steps and any step checked with evidence:
    the smoke test (a plain check) was left out and the close-out artefacts (report,
    root cause, booking: in the timeline, Root Causes and the post-mortem meeting) put in."""
    state = ctx.state
    phases = {r.step.phase_id for r in state.steps.values() if r.step.kind == StepKind.VERIFICATION}
    rows = []
    for step_id, record in state.steps.items():
        if record.step.phase_id not in phases:
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
    headers = ["Step", "Status", "Checked", "By", "Evidence or note", "Override reason"]
    return ["### Verification evidence", "", *table(headers, rows)]


def _role_held(approval: Approval, role: str) -> str:
    """` (leadership)` only when the approver held the role then; else who did, or
    that no one did: the label must not claim the runbook's approval was given."""
    if approval.by_role:
        return f" ({inline(role)})"
    holder = inline(approval.role_holder) if approval.role_holder else "no one"
    return f", who did not hold the {inline(role)} role ({holder} held it then)"
