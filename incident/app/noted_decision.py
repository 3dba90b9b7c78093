"""The rollback decision in a runbook without a gate (a Markdown checklist): a note.

`decide` records it as `Decision: initiate rollback. <reason>`, once: a second `d`
recorded a second note, the timeline's key moment said the decision was not recorded,
and the checklist's "Decide to roll back" stayed open beside it (ux_review8 #11).
"""

from __future__ import annotations

from incident import commands
from incident.app.outcome import Done
from incident.app.session import Session
from incident.commands.rules import refuse_if_closed
from incident.core.errors import CommandError
from incident.core.events import NewEvent
from incident.core.gates import DECISION_NOTE, decision_refusal, decision_task
from incident.core.payloads import StepChecked
from incident.core.state import IncidentState, StepStatus


def noted_decision(session: Session, actor: str, reason: str) -> Done:
    """The decision in a runbook without a gate: a note, once (the second is refused:
    `decision_refusal`), and the task titled like it checked with it (`decision_task`)."""
    clock = session.clock
    text = f"{DECISION_NOTE} {reason}"

    def noted(state: IncidentState) -> list[NewEvent]:
        refuse_if_closed(state)  # closed meanwhile, by another writer
        if (refusal := decision_refusal(state)) is not None:  # decided meanwhile
            raise CommandError(refusal)
        events = [commands.add_note(state, text, actor=actor, clock=clock)]
        task = decision_task(state)
        if task is not None and state.status_of(task.step.id) is StepStatus.OPEN:
            note = "rollback decided"
            events.append(
                commands.check_step(state, task.step.id, actor=actor, clock=clock, note=note)
            )
        return events

    recorded = session.run_many(noted)
    said = "rollback decided (recorded as a note: the runbook has no gate)"
    checked = [e.data.step for e in recorded if isinstance(e.data, StepChecked)]
    return Done(recorded, said + "".join(f"; {step} checked" for step in checked))
