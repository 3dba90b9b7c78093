"""The guide's "Assess Severity", done by the decision gate (ux_review15 #5).

Guide, Phase 1: "Assess Severity: Quickly determine if the issue meets the pre-defined
rollback triggers (e.g., error rate > 5%, core functionality broken)." The decision
screen shows exactly that, each trigger met or not with its reading, and the decision
is taken on it; yet "Assess severity" stayed open beside the decision, held phase 1
open toward OVERDUE and left `brief` saying "Next step: assess-severity" with the
application already rolled back. Deciding through the gate (`d`, `lastgood decide`)
now checks the step while it is open, the gate's trigger reading as its evidence, in
the append that records the decision; checked before, it is left as it was.
"""

from __future__ import annotations

from datetime import datetime

from incident.core.clock import Clock
from incident.core.events import NewEvent
from incident.core.gates import decision_gate
from incident.core.phase_clocks import t_plus
from incident.core.state import IncidentState, StepStatus
from incident.reports.trigger_view import trigger_parts
from runbooks.model import StepKind

ASSESS_STEPS = ("assess-severity",)
"""The guide's Assess severity step, by its id in the bundled runbooks and in `init`'s
(and in `runbooks/examples/rollback-checklist.md`)."""

GATE_READING = "the decision gate's trigger reading"
"""What the step's evidence is, as the guidance names it before the decision."""


def assess_step(state: IncidentState) -> str | None:
    """The runbook's Assess severity step, while open, in the decision gate's phase;
    None without a gate, or once the step is checked or skipped."""
    gate = decision_gate(state)
    if gate is None:
        return None
    for record in state.phase_steps(gate.step.phase_id):
        step = record.step
        if step.id in ASSESS_STEPS and step.kind is StepKind.CHECK:
            return step.id if state.status_of(step.id) is StepStatus.OPEN else None
    return None


def gate_reading(state: IncidentState, now: datetime) -> str:
    """`the decision gate's trigger reading at T+00:47: error-rate MET since T+00:34,
    error-rate 20.0% > 5.0% for 3 samples; health-failing not met; core-broken not met`."""
    return f"{GATE_READING} at {t_plus(state, now)}: {'; '.join(trigger_parts(state))}"


def assessed(state: IncidentState, *, actor: str, clock: Clock) -> list[NewEvent]:
    """The check of Assess severity the decision makes, while the step is open: its
    evidence the gate's trigger reading; none once it is done (or the runbook has none)."""
    step_id = assess_step(state)
    if step_id is None:
        return []
    from incident import commands  # with the decision, not with the screen that offers it

    evidence = gate_reading(state, clock.now())
    return [commands.check_step(state, step_id, actor=actor, clock=clock, evidence=evidence)]
