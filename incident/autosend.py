"""Messages the runbook makes due at a moment: sent at once, or offered for confirmation.

The guide wants stakeholders told at fixed points (the declaration, the decision to
roll back, paging, each update, the resolution), and a coordinator under pressure
forgets. A `send` rule with `on:` names the moment. Which messages are due is worked
out from the incident state alone, so every process (the TUI, `monitor`, `deliver`,
the CLI verbs) reaches the same answer, and because the commands here are decided
inside the append transaction, two terminals never both send the same one.

A once-per-incident moment (declared, a step done, a phase done) makes its template
due until a message from that template is recorded, by any route, or the coordinator
declines it. The update cadence makes the `update-due` template due again each time
the next update comes due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from incident.clock import Clock
from incident.clocks import next_update_due
from incident.commands import (
    CommandError,
    check_step,
    compose_message,
    record_overdue_update,
    send_communication,
)
from incident.events import (
    Event,
    JSONValue,
    Kind,
    NewEvent,
    format_timestamp,
    truncate_to_millis,
)
from incident.records import StepStatus
from incident.session import IncidentSession
from incident.state import IncidentState
from runbooks.model import Moment, MomentKind, SendMode, SendRule, StepKind

CONFIRM_LEAD = timedelta(minutes=1)
"""How long before an update is due it is offered for confirmation, so it can go on time."""


@dataclass(frozen=True, slots=True)
class DueMessage:
    rule: SendRule
    due_at: datetime
    """When the moment came (for an update: when it is due)."""

    @property
    def template(self) -> str:
        return self.rule.template

    @property
    def moment(self) -> str:
        return str(self.rule.on)

    @property
    def auto(self) -> bool:
        return self.rule.mode is SendMode.AUTO


def moment_at(state: IncidentState, moment: Moment) -> datetime | None:
    """When `moment` came (or, for the update cadence, comes); None if it has not."""
    match moment.kind:
        case MomentKind.DECLARED:
            return state.declared_at
        case MomentKind.UPDATE_DUE:
            return next_update_due(state)
        case MomentKind.STEP:
            record = state.steps.get(moment.ref)
            return record.at if record is not None and record.done else None
        case MomentKind.PHASE:
            records = state.phase_steps(moment.ref)
            counted = [r for r in records if r.step.required] or records
            if not counted or not all(r.done or r.skipped for r in counted):
                return None
            times = [r.at for r in counted if r.at is not None]
            return max(times) if times else None


def due_messages(state: IncidentState, now: datetime) -> list[DueMessage]:
    """Every message whose moment has come and that is neither sent nor declined."""
    if state.is_closed:
        return []
    due: list[DueMessage] = []
    for rule in state.runbook.timed_rules():
        assert rule.on is not None  # timed_rules keeps only rules with a moment
        at = moment_at(state, rule.on)
        if at is None:
            continue
        offered_early = not rule.on.once and rule.mode is SendMode.CONFIRM
        offered_from = at - CONFIRM_LEAD if offered_early else at
        if now < offered_from or _settled(state, rule, at):
            continue
        due.append(DueMessage(rule, at))
    return due


def awaiting_confirmation(state: IncidentState, now: datetime) -> list[DueMessage]:
    return [message for message in due_messages(state, now) if not message.auto]


def _settled(state: IncidentState, rule: SendRule, at: datetime) -> bool:
    """Sent or declined already. Any message moves the update cadence on by itself, so
    an update is settled only by declining it; a once-moment by a message from its own
    template, or by its communication step being done or skipped some other way."""
    moment = str(rule.on)
    declined = [d for d in state.declined if d.template == rule.template and d.moment == moment]
    if rule.on is not None and rule.on.once:
        return (
            bool(declined)
            or any(c.template == rule.template for c in state.communications)
            or _step_settled(state, rule.template)
        )
    return any(d.due_at == at for d in declined)


def _step_settled(state: IncidentState, template: str) -> bool:
    """The communication step for `template` is done or skipped: dealt with by hand."""
    return any(
        record.step.kind == StepKind.COMMUNICATION
        and record.step.template == template
        and (record.done or record.skipped)
        for record in state.steps.values()
    )


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
) -> list[NewEvent]:
    """Send the due message from `template` (as confirmed, perhaps edited, by `actor`)."""
    message = _find(state, template, clock.now())
    return _send(state, message, actor=actor, clock=clock, text=text, auto=False)


def decline(
    state: IncidentState, template: str, reason: str, *, actor: str, clock: Clock
) -> NewEvent:
    """Record that the due message from `template` will not be sent, and why."""
    if not reason.strip():
        raise CommandError("say why the message is not being sent")
    message = _find(state, template, clock.now())
    payload: dict[str, JSONValue] = {
        "template": template,
        "moment": message.moment,
        "due_at": format_timestamp(message.due_at),
        "reason": reason.strip(),
        "by": actor,
    }
    return NewEvent(
        state.id,
        str(Kind.COMMUNICATION_DECLINED),
        actor,
        truncate_to_millis(clock.now()),
        clock.monotonic_ns(),
        payload,
    )


def _find(state: IncidentState, template: str, now: datetime) -> DueMessage:
    due = due_messages(state, now)
    for message in due:
        if message.template == template:
            return message
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
        )
    ]
    step_id = communication_step(state, message.template)
    if step_id is not None:
        how = "sent automatically" if auto else "message sent"
        events.append(check_step(state, step_id, actor=actor, clock=clock, note=how))
    return events


def communication_step(state: IncidentState, template: str) -> str | None:
    """The open communication step that a message from `template` completes, if any."""
    for step_id, record in state.steps.items():
        step = record.step
        if (
            step.kind == StepKind.COMMUNICATION
            and step.template == template
            and state.status_of(step_id) == StepStatus.OPEN
        ):
            return step_id
    return None


def record_auto_sends(session: IncidentSession, *, actor: str) -> list[Event]:
    """Send what is due by itself, deciding inside the append; usually writes nothing."""
    clock = session.clock
    if not auto_send(session.state, actor=actor, clock=clock):
        return []
    return session.run_many(lambda s: auto_send(s, actor=actor, clock=clock))


def record_overdue(session: IncidentSession, *, actor: str) -> list[Event]:
    """Record, once, a stakeholder update that came due unsent; usually writes nothing."""
    clock = session.clock
    if not record_overdue_update(session.state, actor=actor, clock=clock):
        return []
    return session.run_many(lambda s: record_overdue_update(s, actor=actor, clock=clock))
