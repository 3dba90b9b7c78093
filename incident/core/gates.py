"""The rollback decision gate: the one rule both the coordinator's key and the report use.

The guide's phase 1 ends in a formal decision to roll back. In a runbook that is the
first approval gate of the first phase (or, failing that, the first gate at all);
approving and checking it is "the decision".
"""

from __future__ import annotations

from incident.core.records import StepRecord
from incident.core.state import IncidentState, StepStatus
from runbooks.model import StepKind


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
        return f"the rollback was already decided ({gate.step.id} is done)"
    return None
