"""Use cases for stakeholder messages: send (settling what the runbook made due and
the step it completes), decline, and preview.

A message sent from a template completes that template's open communication step,
whichever face sent it; one the runbook made due also settles its moment.
"""

from __future__ import annotations

from incident import commands
from incident.app.outcome import Done
from incident.app.session import Session
from incident.commands.messages import decline as decline_message
from incident.commands.messages import send_due
from incident.comms.due import communication_step, due_messages, unverified_resolution
from incident.core.events import NewEvent
from incident.core.payloads import StepChecked
from incident.core.state import IncidentState


def send(
    session: Session,
    actor: str,
    *,
    template: str | None = None,
    text: str | None = None,
    channel: str = "",
) -> Done:
    """Record a message as sent, with its exact text (the template's, or as written)."""
    clock = session.clock

    def sent(state: IncidentState) -> list[NewEvent]:
        due = {m.template for m in due_messages(state, clock.now())}
        if template is not None and template in due:
            return send_due(state, template, actor=actor, clock=clock, text=text, channel=channel)
        message = commands.send_communication(
            state, actor=actor, clock=clock, template=template, text=text, channel=channel
        )
        step = communication_step(state, template) if template else None
        if step is None:
            return [message]
        done = commands.check_step(state, step, actor=actor, clock=clock, note="message sent")
        return [message, done]

    was_due = template is not None and any(
        m.template == template for m in due_messages(session.state, clock.now())
    )
    unverified = unverified_resolution(session.state, template)
    events = session.run_many(sent)
    why = "the message was due" if was_due else "the message was sent"
    notes = [
        f"checked {event.data.step}: {why}"
        for event in events
        if isinstance(event.data, StepChecked)
    ]
    if unverified is not None:
        notes.append(f"warning: sent while {unverified}: it tells stakeholders it is restored")
    return Done(events, "message recorded as sent", notes)


def decline(session: Session, actor: str, template: str, *, reason: str) -> Done:
    """A message the runbook made due will not be sent; the reason is recorded."""
    clock = session.clock
    events = session.run_many(
        lambda s: [decline_message(s, template, reason, actor=actor, clock=clock)]
    )
    return Done(events, f"not sending the {template} message: {reason}")


def preview(session: Session, template: str) -> str:
    """The message a template would send now; records nothing."""
    return commands.compose_message(session.state, template, session.clock.now())
