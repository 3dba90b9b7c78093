"""The checklist: check, skip, reopen, approvals, the database tier, command steps."""

from __future__ import annotations

from datetime import datetime

from incident.commands.rules import (
    already_done,
    known_step,
    make_event,
    open_step,
    refuse_if_closed,
    suggestion,
)
from incident.core.attribution import already_approved, because, by_at
from incident.core.clock import Clock
from incident.core.errors import (
    CommandError as CommandError,  # re-exported: callers import it from here
)
from incident.core.events import NewEvent
from incident.core.gates import refuse_gate_approver, refuse_tier_approver, refuse_tier_chooser
from incident.core.names import not_a_person, same_person
from incident.core.payloads import (
    ApprovalGranted,
    CommandRan,
    DatabaseTierChosen,
    StepChecked,
    StepReopened,
    StepSkipped,
)
from incident.core.phase_clocks import t_plus
from incident.core.state import IncidentState, StepRecord, tier_target
from incident.health.readings import evidence_for, unshown
from runbooks.model import StepKind

OUTPUT_TAIL_CHARS = 2000
"""How much of a command step's output the record keeps."""


def check_step(
    state: IncidentState,
    step_id: str,
    *,
    actor: str,
    clock: Clock,
    by: str = "",
    note: str = "",
    evidence: str = "",
    override: str = "",
) -> NewEvent:
    """Check a step. A probe-backed verification step carries its evidence: the
    samples' when they hold it; when they contradict it, checking needs an `override`
    reason, which is recorded; when they show nothing yet (no samples, too few to
    judge), the evidence typed by hand (what someone saw) or an `override` reason. A
    verification step no probe backs needs the evidence typed by hand: there are no
    samples to override, and what was tested and seen is all it has.
    """
    record = open_step(state, step_id)
    _refuse_nobody(by)
    blocker = state.blocker(step_id)
    if blocker:
        raise CommandError(f"step '{step_id}' is blocked: {blocker}")
    if record.step.kind == StepKind.VERIFICATION and record.step.probe:
        # Evidence typed by hand does not outweigh samples that contradict it.
        found = evidence_for(state, record.step)
        if found.holds is False and not override.strip():
            raise CommandError(
                f"the evidence does not hold: {found.detail}; "
                "checking it anyway needs an override reason",
                needs=("override",),
            )
        if found.holds is None and not evidence.strip() and not override.strip():
            why = _unshown(state, step_id, record.step.probe, found.detail)
            raise CommandError(why, needs_one_of=("evidence", "override"))
        if found.holds and not evidence:
            evidence = found.detail
    elif record.step.kind == StepKind.VERIFICATION and not evidence.strip():
        raise CommandError(unseen(step_id), needs=("evidence",))
    tier = None
    if record.step.kind == StepKind.DATABASE and state.tier_choice is not None:
        tier = state.tier_choice.tier
    checked = StepChecked(step_id, by or actor, note, override.strip(), evidence, tier)
    return make_event(state.id, actor, clock, checked)


def skip_step(
    state: IncidentState, step_id: str, *, reason: str, actor: str, clock: Clock, by: str = ""
) -> NewEvent:
    open_step(state, step_id)
    _refuse_nobody(by)
    if not reason.strip():
        raise CommandError(f"skipping '{step_id}' needs a reason")
    return make_event(state.id, actor, clock, StepSkipped(step_id, reason.strip(), by or actor))


def reopen_step(
    state: IncidentState, step_id: str, *, reason: str, actor: str, clock: Clock
) -> NewEvent:
    refuse_if_closed(state)
    record = known_step(state, step_id)
    if not (record.done or record.skipped):
        raise CommandError(f"step '{step_id}' is already open{_reopened(state, step_id)}")
    if not reason.strip():
        raise CommandError(f"reopening '{step_id}' needs a reason")
    return make_event(state.id, actor, clock, StepReopened(step_id, reason.strip()))


def approve(
    state: IncidentState, target: str, *, by: str, reason: str, actor: str, clock: Clock
) -> NewEvent:
    """Approve a gated step (only from the holder of the role it names:
    `refuse_gate_approver`), or a database tier that needs approval (only from the
    holder of its role, and not from who chose it: `refuse_tier_approver`)."""
    refuse_if_closed(state)
    if not by.strip():
        raise CommandError("an approval needs the approver's name", needs=("by",))
    if problem := not_a_person(by):
        raise CommandError(f"the approver: {problem}", needs=("by",))
    if not reason.strip():
        raise CommandError("an approval needs a reason")
    approval_target, role = _approval_target(state, target)
    if approval_target in state.approvals:
        refusal = already_approved(state, target, state.approvals[approval_target])
        raise CommandError(refusal + _tier_named(state, approval_target))
    tier = state.runbook.database_tier(approval_target.removeprefix("tier:"))
    if tier is not None and approval_target == tier_target(tier.id):
        refuse_tier_approver(state, tier, by.strip())
    elif approval_target in state.steps:
        refuse_gate_approver(state, approval_target, by.strip())
    approval = ApprovalGranted(approval_target, role, by.strip(), reason.strip())
    return make_event(state.id, actor, clock, approval)


def choose_database_tier(
    state: IncidentState, tier_id: str, *, reason: str, actor: str, clock: Clock, by: str = ""
) -> NewEvent:
    refuse_if_closed(state)
    tier = state.runbook.database_tier(tier_id)
    if tier is None:
        choices = ", ".join(t.id for t in state.runbook.database_tiers) or "none defined"
        raise CommandError(f"unknown database tier '{tier_id}' (choose {choices})")
    for record in state.steps.values():
        if record.step.kind == StepKind.DATABASE and record.done:
            raise CommandError(tier_settled(state, record))
    if not reason.strip():
        raise CommandError("choosing a database tier needs a reason")
    _refuse_nobody(by)
    refuse_tier_chooser(state, tier, by or actor)
    chosen = DatabaseTierChosen(tier.id, str(tier.data_loss), reason.strip(), by or actor)
    return make_event(state.id, actor, clock, chosen)


def record_command(
    state: IncidentState,
    step_id: str,
    *,
    command: str,
    exit_code: int,
    output_tail: str,
    actor: str,
    clock: Clock,
    ran_at: datetime | None = None,
) -> NewEvent:
    """What a step's command did; `ran_at`: when, if it is recorded later than it ran."""
    ran = CommandRan(step_id, command, exit_code, output_tail, ran_at)
    return make_event(state.id, actor, clock, ran)


def command_for(state: IncidentState, step_id: str) -> str:
    """The shell command a step would run, its placeholders filled in
    (`{last_good_version}`), refusing what cannot run now: a command step's own, or
    the database step's chosen tier's (`as_run`), once the tier is chosen and, if it
    needs it, approved."""
    record = open_step(state, step_id)
    if record.step.kind == StepKind.DATABASE:
        _refuse_tier_without_command(state, step_id)
    elif record.step.kind != StepKind.COMMAND or not record.step.command:
        raise CommandError(f"step '{step_id}' has no command to run")
    blocker = state.blocker(step_id)
    if blocker:
        raise CommandError(f"step '{step_id}' is blocked: {blocker}")
    from incident.commands.command_text import filled_command  # here: `run` alone fills one

    return filled_command(state, record.step)


def _refuse_tier_without_command(state: IncidentState, step_id: str) -> None:
    """Refuse to run the database step when no tier it may take runs a command: none
    in the runbook, or the tier chosen carries none (it is done by hand, then checked)."""
    tiers = state.runbook.database_tiers
    if not any(tier.command for tier in tiers):
        raise CommandError(f"step '{step_id}' has no command to run: no database tier has one")
    choice = state.tier_choice
    tier = None if choice is None else state.runbook.database_tier(choice.tier)
    if tier is not None and not tier.command:
        with_one = ", ".join(t.id for t in tiers if t.command)
        raise CommandError(
            f"step '{step_id}' has no command to run: the tier chosen, '{tier.id}', has none "
            f"(only {with_one}); check it once the tier is carried out"
        )


def _approval_target(state: IncidentState, target: str) -> tuple[str, str]:
    """Resolve a step id or database tier id to what an approval unblocks."""
    record = state.steps.get(target)
    if record is not None:
        if record.step.approver is None:
            raise CommandError(f"step '{target}' has no approval gate{_tier_named(state, target)}")
        return target, record.step.approver
    tier_id = target.removeprefix("tier:")
    tier = state.runbook.database_tier(tier_id)
    if tier is not None:
        if tier.approver is None:
            raise CommandError(f"database tier '{tier_id}' needs no approval")
        return tier_target(tier_id), tier.approver
    gated = [r.step.id for r in state.steps.values() if r.step.approver]
    gated += [tier_target(t.id) for t in state.runbook.database_tiers if t.approver]
    from runbooks.checks import allowed  # here: only a refusal lists them

    known = f" (gated: {allowed(gated)})" if gated else " (nothing in this runbook is gated)"
    found = suggestion(target, gated) or known
    raise CommandError(f"nothing called '{target}' to approve{found}; a database tier is tier:NAME")


def _tier_named(state: IncidentState, step_id: str) -> str:
    """`; the database tier is tier:restore-backup` when a step has a tier's id, which
    `approve restore-backup` takes for the step (a runbook `validate` refuses now, an
    incident declared before kept it; ux_review8 #8)."""
    if step_id in state.steps and state.runbook.database_tier(step_id) is not None:
        return f"; the database tier is {tier_target(step_id)}"
    return ""


def unseen(step_id: str) -> str:
    """Why a bare tick of a verification step no probe backs (the smoke test) is
    refused: what someone tested and saw is its only evidence. It was checked with no
    question asked, before the rollback ran (ux_review7 F3, ux_review8 #7)."""
    return (
        f"a tick is not evidence: no probe backs '{step_id}', so checking it needs "
        "what was tested and seen, typed by hand"
    )


def _unshown(state: IncidentState, step_id: str, probe: str, detail: str) -> str:
    """Why a bare tick of a verification step its probe does not show yet is refused."""
    return (
        f"{unshown(state, probe, detail)}: checking '{step_id}' needs evidence typed by hand "
        "(what you saw) or an override reason"
    )


def _refuse_nobody(by: str) -> None:
    """`by` names who did it when someone else records it: a person, if given."""
    if by.strip() and (problem := not_a_person(by)):
        raise CommandError(f"who did it: {problem}", needs=("by",))


def tier_settled(state: IncidentState, record: StepRecord) -> str:
    """Why no tier may be chosen once the database step is done: who chose which tier,
    when and why (`Ada chose tier none at T+01:27 (expand-contract); reopen
    database-rollback to change it`). It said only that the step was done, and Cy, who
    thought a restore was needed, was not told that Ada had chosen none (ux_review6)."""
    if state.tier_choice is None:  # checked with no tier chosen
        return f"the database {already_done(state, record)}; reopen it first"
    return f"{tier_settled_by(state, record)}; reopen {record.step.id} to change it"


def tier_settled_by(state: IncidentState, record: StepRecord) -> str:
    """Who settled the database step, when and why: `Ada chose tier none at T+01:27
    (expand-contract)`, and who checked the step if someone else did; or the step
    done (`the database step 'database-rollback' is already done (by Bo at T+00:28)`)
    if it was checked with no tier chosen. What `tier_settled` refuses with, and what
    the screen says when `b` finds the step done."""
    choice = state.tier_choice
    if choice is None:
        return f"the database {already_done(state, record)}"
    chosen = f"{choice.by} chose tier {choice.tier} at {t_plus(state, choice.at)}"
    chosen += because(choice.reason)
    if not same_person(record.by or "", choice.by):  # checked by someone else: said too
        chosen += f", and {record.step.id} was checked {by_at(state, record.by, record.at)}"
    return chosen


def _reopened(state: IncidentState, step_id: str) -> str:
    """` (reopened by Bo at T+04:10: wrong version)` if it was reopened, the last change."""
    last = next((c for c in reversed(state.step_changes) if c.step == step_id), None)
    if last is None or last.what != "reopened":
        return ""
    return f" (reopened {by_at(state, last.by, last.at)}: {last.reason})"
