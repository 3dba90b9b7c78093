"""The gates: the rollback decision, and who may approve a database tier.

The guide's phase 1 ends in a formal decision to roll back. In a runbook that is the
first approval gate of the first phase (or, failing that, the first gate at all);
approving and checking it is "the decision": the one rule both the coordinator's key
and the report use.

Restoring the database from backup, the last resort, "requires leadership approval"
(the guide). A database tier's approval is the approval of the role the runbook
names, so it is recorded only from someone who holds that role then, and never from
the person who chose the tier: one person alone cannot both pick the tier that loses
data and sign it off. Every refusal says how to go on (assign the role, record the
holder's approval), so a coordinator is never left without a way to restore service.
"""

from __future__ import annotations

from incident.core.attribution import approver, by_at
from incident.core.errors import CommandError
from incident.core.names import same_person
from incident.core.records import StepRecord
from incident.core.state import IncidentState, StepStatus, tier_target
from runbooks.model import DatabaseTier, StepKind

DECISION_NOTE = "Decision: initiate rollback."
"""How `decide` records the decision in a runbook without a gate."""


def decision_recorded(state: IncidentState) -> bool:
    """Whether the rollback decision is in the record: its gate checked, or (without a
    gate in the runbook) the note `decide` writes."""
    gate = decision_gate(state)
    if gate is not None:
        return state.status_of(gate.step.id) is StepStatus.DONE
    return any(note.text.startswith(DECISION_NOTE) for note in state.notes)


def decision_gate(state: IncidentState) -> StepRecord | None:
    """The step that records the decision to initiate the rollback, if the runbook has one."""
    gates = [r for r in state.steps.values() if r.step.approver or r.step.kind == StepKind.APPROVAL]
    if not gates:
        return None
    first_phase = state.runbook.phases[0].id if state.runbook.phases else None
    in_first = [r for r in gates if r.step.phase_id == first_phase]
    return (in_first or gates)[0]


def decision_refusal(state: IncidentState) -> str | None:
    """Why `decide` would record nothing: its gate is already checked. The use case
    refuses with it; the TUI says it before opening the decision dialog, and takes
    `d` out of the footer."""
    gate = decision_gate(state)
    if gate is not None and state.status_of(gate.step.id) is StepStatus.DONE:
        approval = state.approvals.get(gate.step.id)
        if approval is not None:
            done = f"approved {by_at(state, approver(approval), approval.at)}"
        else:
            done = f"checked {by_at(state, gate.by, gate.at)}".rstrip()
        return f"the rollback was already decided ({gate.step.id} {done})"
    return None


def refuse_tier_approver(state: IncidentState, tier: DatabaseTier, approver: str) -> None:
    """Refuse `approver`'s approval of `tier` unless they hold the role it needs and
    did not choose it; the refusal names the way on."""
    role = tier.approver or ""
    holder = state.roles.get(role, "")
    choice = state.tier_choice
    if choice is not None and choice.tier == tier.id and same_person(choice.by, approver):
        needs: tuple[str, ...] = ()
        way_on = f"assign the {role} role to that person first, then record their approval"
        if holder and not same_person(holder, approver):
            way_on, needs = f"{holder} holds it: record {holder}'s approval", ("by",)
        raise CommandError(
            f"{approver} chose the database tier '{tier.id}' and cannot also approve it: "
            f"it needs the approval of someone else in the {role} role; {way_on}",
            needs=needs,
        )
    if not holder:
        raise CommandError(
            f"the database tier '{tier.id}' needs {role} approval and no one holds the "
            f"{role} role: assign it to the approver first, then record their approval"
        )
    if not same_person(holder, approver):
        raise CommandError(
            f"the database tier '{tier.id}' needs {role} approval, and {holder} holds the "
            f"{role} role, not {approver}: record {holder}'s approval, or assign the role "
            f"to {approver} first",
            needs=("by",),
        )


def refuse_tier_chooser(state: IncidentState, tier: DatabaseTier, chooser: str) -> None:
    """Refuse `chooser`'s choice of `tier` when they approved it already (an approval
    may come before the choice): the same two people rule, from the other side."""
    approval = state.approvals.get(tier_target(tier.id))
    if approval is not None and same_person(approval.by, chooser):
        raise CommandError(
            f"{chooser} approved the database tier '{tier.id}' and cannot also choose it: "
            "the choice must be recorded by someone else"
        )


def undecided_warning(state: IncidentState, step_id: str) -> str | None:
    """What to say before running `step_id`'s command while the rollback is not decided:
    a step of a later phase than the decision gate's. Said, not refused: a coordinator
    may have acted first ("act decisively"), and the record keeps the order it happened in."""
    gate = decision_gate(state)
    record = state.steps.get(step_id)
    if gate is None or record is None or state.status_of(gate.step.id) is StepStatus.DONE:
        return None
    phases = [phase.id for phase in state.runbook.phases]
    if record.step.phase_id not in phases or gate.step.phase_id not in phases:
        return None
    if phases.index(record.step.phase_id) <= phases.index(gate.step.phase_id):
        return None
    return f"the rollback is not decided yet ({gate.step.id} is open)"
