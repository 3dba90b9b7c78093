"""Stakeholder messages: composed from templates, sent, due, declined, missed."""

from __future__ import annotations

from datetime import datetime

from incident.commands.rules import make_event, refuse_if_closed
from incident.commands.steps import check_step
from incident.comms.due import (
    DueMessage,
    communication_step,
    due_messages,
    moment_came,
    no_longer_due,
)
from incident.comms.templates import render_template
from incident.core.clock import Clock
from incident.core.errors import CommandError
from incident.core.events import NewEvent, truncate_to_millis
from incident.core.names import not_a_person
from incident.core.payloads import (
    CommunicationDeclined,
    CommunicationSent,
    StatusPageUpdated,
    UpdateOverdue,
)
from incident.core.phase_clocks import cadence_messages, next_update_due
from incident.core.state import IncidentState
from incident.core.update_rounds import update_rounds
from incident.reports.message_context import message_context


def compose_message(state: IncidentState, template_id: str, now: datetime) -> str:
    """A template filled from the incident, ready for the coordinator to edit."""
    text = state.runbook.template(template_id)
    if text is None:
        raise CommandError(f"unknown template '{template_id}' (choose {_names(state)})")
    return render_template(text, message_context(state, now, template_id))


def _names(state: IncidentState) -> str:
    """The incident's templates, as its refusals list them."""
    return ", ".join(name for name, _ in state.runbook.templates) or "none defined"


def send_communication(
    state: IncidentState,
    *,
    actor: str,
    clock: Clock,
    template: str | None = None,
    text: str | None = None,
    channel: str = "",
    moment: str = "",
    auto: bool = False,
) -> NewEvent:
    """Record a message as sent, with its exact text (and the moment that made it due)."""
    if text is None:
        if template is None:
            raise CommandError(f"a message needs a template or a text (templates: {_names(state)})")
        text = compose_message(state, template, clock.now())
    elif template is not None and state.runbook.template(template) is None:
        compose_message(state, template, clock.now())  # raises the unknown-template error
    if not text.strip():
        raise CommandError("a message cannot be empty")
    sent = CommunicationSent(text, template, channel or state.channel, actor, moment, auto)
    return make_event(state.id, actor, clock, sent)


def record_overdue_update(state: IncidentState, *, actor: str, clock: Clock) -> list[NewEvent]:
    """Record, once each, that a stakeholder update due under the cadence was missed.

    The rounds are `update_rounds`, as `next_update_due` counts them: the update due
    next, once past; and a round declined before its due time, once past too: the
    decline moved the cadence on to `every_min` after it, but stakeholders heard
    nothing by then ("was not sent", its outcome the decline: `missed_update_outcome`).
    Returns no event while none is past due, or once each miss is recorded.
    """
    if next_update_due(state) is None:
        return []
    told = [message.at for message in cadence_messages(state)]  # the page is no update
    rounds, due = update_rounds(state, told, None)
    unsent = [(i, r.due) for i, r in enumerate(rounds) if r.sent is None] + [(len(rounds), due)]
    cadence = state.runbook.cadence
    return [
        make_event(
            state.id,
            actor,
            clock,
            UpdateOverdue(
                due_at=at,
                cadence_min=cadence.every_min if i else cadence.first_update_min,
                first=not i,
            ),
        )
        for i, at in unsent
        if clock.now() > at and at not in state.overdue_updates
    ]


def auto_send(state: IncidentState, *, actor: str, clock: Clock) -> list[NewEvent]:
    """Record every due `mode: auto` message, each with the step it completes."""
    events: list[NewEvent] = []
    for message in due_messages(state, clock.now()):
        if message.auto:
            events += _send(state, message, actor=actor, clock=clock, text=None, auto=True)
    return events


def send_due(
    state: IncidentState,
    template: str,
    *,
    actor: str,
    clock: Clock,
    text: str | None = None,
    channel: str = "",
) -> list[NewEvent]:
    """Send the due message from `template` (as confirmed, perhaps edited, by `actor`),
    to `channel`, else the incident's."""
    message = _find(state, template, clock.now())
    return _send(state, message, actor=actor, clock=clock, text=text, auto=False, channel=channel)


def decline(
    state: IncidentState, template: str, reason: str, *, actor: str, clock: Clock
) -> NewEvent:
    """Record that the due message from `template` will not be sent, and why (none once
    the incident is closed: nothing falls due after the close)."""
    refuse_if_closed(state)
    if not reason.strip():
        raise CommandError("say why the message is not being sent")
    message = _find(state, template, clock.now())
    declined = CommunicationDeclined(
        template, message.moment, message.due_at, reason.strip(), actor
    )
    return NewEvent(
        state.id, actor, truncate_to_millis(clock.now()), clock.monotonic_ns(), declined
    )


def _find(state: IncidentState, template: str, now: datetime) -> DueMessage:
    """The message due from `template`. Refused, once its moment came, in the words of
    what settled it ("announce was sent by Ada at T+00:48: it is not due any more"):
    `decline` from a second terminal, or a form submitted after another sent it, said
    only that nothing was due; before its moment, with the messages that are due."""
    due = due_messages(state, now)
    for message in due:
        if message.template == template:
            return message
    if moment_came(state, template, now):
        raise CommandError(no_longer_due(state, template))
    waiting = ", ".join(m.template for m in due) or "none"
    raise CommandError(f"no '{template}' message is due (due now: {waiting})")


def _send(
    state: IncidentState,
    message: DueMessage,
    *,
    actor: str,
    clock: Clock,
    text: str | None,
    auto: bool,
    channel: str = "",
) -> list[NewEvent]:
    if text is None:
        text = compose_message(state, message.template, clock.now())
    events = [
        send_communication(
            state,
            actor=actor,
            clock=clock,
            template=message.template,
            text=text,
            moment=message.moment,
            auto=auto,
            channel=channel,
        )
    ]
    step_id = communication_step(state, message.template)
    if step_id is not None:
        how = "sent automatically" if auto else "message sent"
        events.append(check_step(state, step_id, actor=actor, clock=clock, note=how))
    return events


def record_page_update(
    state: IncidentState, *, actor: str, clock: Clock, by: str = "", note: str = ""
) -> NewEvent:
    """The status page updated by hand (its runbook names no target, or the target's
    delivery failed): who did it (`by`, when someone else records it), and a note. Taken
    after the close too, as messages are: the page may be updated last."""
    if by.strip() and (problem := not_a_person(by)):
        raise CommandError(f"who updated it: {problem}", needs=("by",))
    return make_event(state.id, actor, clock, StatusPageUpdated(by.strip() or actor, note.strip()))
