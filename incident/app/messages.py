"""Use cases for stakeholder messages: send (settling what the runbook made due and
the step it completes), send a due one as confirmed, decline, and preview.

A message sent from a template completes that template's open communication step,
whichever face sent it; one the runbook made due also settles its moment.
"""

from __future__ import annotations

from collections.abc import Callable

from incident import commands
from incident.app.outcome import Done
from incident.app.session import Session
from incident.app.stability import resolution_warning
from incident.commands.messages import decline as decline_message
from incident.commands.messages import send_due as send_due_message
from incident.comms.due import (
    communication_step,
    due_messages,
    no_longer_due,
    sent_already,
    sent_early,
    unverified_resolution,
)
from incident.comms.notifications import delivered_to, unpaged, unrouted
from incident.comms.stand_ins import stand_in_warning
from incident.core.clock import Clock
from incident.core.errors import CommandError
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
    again: bool = False,
) -> Done:
    """Record a message as sent, with its exact text (the template's, or as written).

    A once-per-incident message (`Runbook.sent_once`: the announcement, the page, the
    resolution) already sent is refused, naming who sent it and when, unless `again`:
    decided on the record as it is inside the append, so a second terminal that sends
    it too is told, and stakeholders are not told twice by accident."""
    clock = session.clock

    def sent(state: IncidentState) -> list[NewEvent]:
        if template is not None and not again and (earlier := sent_already(state, template)):
            told = "sending it again tells stakeholders the same news twice"
            raise CommandError(f"{earlier}; {told}", needs=("again",))
        return _sent(state, actor, clock, template=template, text=text, channel=channel)

    earlier = sent_already(session.state, template) if template is not None else None
    done = _recorded(session, template, sent, written=text is not None)
    if earlier is None:
        return done
    return Done(done.events, done.said, [*done.notes, f"sent again: {earlier}"], done.warnings)


def send_due(
    session: Session,
    actor: str,
    template: str,
    *,
    text: str | None = None,
    channel: str = "",
    db: str | None = None,
) -> Done:
    """Send the message the runbook made due from `template`, as confirmed (and perhaps
    edited) in the dialog that offered it. Refused once it is no longer due, naming who
    settled it and when ("announce was sent by Ada at T+00:48"): another terminal may
    have sent or declined it while the dialog was open, and the decision is taken on
    the record inside the append, as a second decision to roll back is refused.
    Edited text holding a secret the incident knows of is refused first, as `send`'s is
    (`incident.app.typed_secrets`; `db`, the record's location as the face was given it)."""
    from incident.app.typed_secrets import refuse_typed_secrets
    from incident.app.verbs import BY_NAME

    typed = {"text": text, "channel": channel}
    refuse_typed_secrets(session.state.runbook, BY_NAME["send"], typed, db=db)
    clock = session.clock

    def sent(state: IncidentState) -> list[NewEvent]:
        if not any(m.template == template for m in due_messages(state, clock.now())):
            raise CommandError(no_longer_due(state, template))
        return _sent(state, actor, clock, template=template, text=text, channel=channel)

    return _recorded(session, template, sent, written=text is not None)


def _sent(
    state: IncidentState,
    actor: str,
    clock: Clock,
    *,
    template: str | None,
    text: str | None,
    channel: str,
) -> list[NewEvent]:
    """The message, and the step it completes: as due (settling its moment) if it is."""
    due = {m.template for m in due_messages(state, clock.now())}
    if template is not None and template in due:
        return send_due_message(
            state, template, actor=actor, clock=clock, text=text, channel=channel
        )
    message = commands.send_communication(
        state, actor=actor, clock=clock, template=template, text=text, channel=channel
    )
    step = communication_step(state, template) if template else None
    if step is None:
        return [message]
    done = commands.check_step(state, step, actor=actor, clock=clock, note="message sent")
    return [message, done]


def _recorded(
    session: Session,
    template: str | None,
    sent: Callable[[IncidentState], list[NewEvent]],
    *,
    written: bool = False,
) -> Done:
    clock = session.clock
    # the template's own text names values the incident lacks (`written`: the sender's)
    stand_in = None if written else stand_in_warning(session.state, template)
    was_due = template is not None and any(
        m.template == template for m in due_messages(session.state, clock.now())
    )
    unverified = unverified_resolution(session.state, template)
    early = sent_early(session.state, template, clock.now())
    unsettled = resolution_warning(session.state, template, clock.now())
    events = session.run_many(sent)
    why = "the message was due" if was_due else "the message was sent"
    paging = unpaged(session.state, template)  # said before the step it ticks
    notes = [] if paging is None else [paging]
    notes += [
        f"checked {event.data.step}: {why}"
        for event in events
        if isinstance(event.data, StepChecked)
    ]
    if unverified is not None:
        notes.append(f"warning: sent while {unverified}: it tells stakeholders it is restored")
    if early is not None:
        notes.append(f"warning: sent {early}: it may tell stakeholders what is not so yet")
    if stand_in is not None:
        notes.append(f"warning: {stand_in}")
    if delivered_to(session.state, template) == () and paging is None:
        notes.append(unrouted(template))
    if template is not None:  # only a send reads the status page's step: not a note's import
        from incident.app.status_page import page_left_open

        if (left := page_left_open(session.state, template)) is not None:
            notes.append(left)
    warned = [f"warning: {unsettled}"] if unsettled is not None else []
    return Done(events, "message recorded as sent", notes, warned)


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


def sent_before(session: Session, template: str) -> str | None:
    """Who sent a once-per-incident message already, and when, as `send` refuses it
    ("announce was already sent by Ada at T+00:48"); None while it may be sent without
    `again`.
    Every face says it beside a preview of the message."""
    return sent_already(session.state, template)
