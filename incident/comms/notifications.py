"""Messages leaving the incident: queued for webhooks, then delivered or failed.

A recorded message is queued for the targets its template is routed to; the
outbox (`store/outbox.py`) holds it durably and the deliverer
(`incident/delivery.py`) sends it in the background. Each outcome comes back here
as an event, so the timeline, the TUI and the report show delivery as it happened.
"""

from __future__ import annotations

from incident.comms.routing import MessageAbout, OutboxMessage, Target, TargetKind, message_key
from incident.core.clock import Clock
from incident.core.errors import CommandError
from incident.core.events import NewEvent, truncate_to_millis
from incident.core.payloads import (
    EventData,
    NotificationDelivered,
    NotificationFailed,
    NotificationQueued,
    NotificationRequeued,
)
from incident.core.phase_clocks import PAGING_TEMPLATE
from incident.core.records import Communication
from incident.core.state import IncidentState
from runbooks.model import NotifyTarget


def webhook_target(target: NotifyTarget) -> Target:
    kind: TargetKind = "slack" if target.kind == "slack" else "json"
    return Target(target.name, kind, target.url, target.headers, target.uses)


def delivered_to(state: IncidentState, template: str | None) -> tuple[str, ...] | None:
    """The webhook targets a message from `template` (None: free text) goes to, by
    name; () when the runbook has webhooks and routes none of them this message; None
    when it names no webhook at all (every message is recorded only: the team posts it
    by hand).

    A free-text message reached no webhook, and the composer and `send --text` said
    only "Message recorded as sent" (a fresh user's review)."""
    runbook = state.runbook
    if not runbook.notify_targets:
        return None
    return tuple(target.name for target in runbook.targets_for(template))


def unrouted(template: str | None) -> str:
    """What `send` says of a message no webhook takes (`delivered_to` is ())."""
    what = "free text" if template is None else f"the {template} message"
    return f"recorded only: no webhook takes {what} (the runbook's notify.send routes none to it)"


NOT_DELIVERED = "not delivered: post it yourself"
"""What the page says where no target delivers it: the channel it names is where the
people not yet assembled cannot see it (ux_review15 #3)."""


def unpaged(state: IncidentState, template: str | None) -> str | None:
    """Said before the paging message is sent, and on sending it, where no webhook
    delivers it: post it yourself (to a pager, a rota, a phone), and record who you
    paged (`page WHO`). None for any other message, or a page some target takes."""
    if template != PAGING_TEMPLATE or delivered_to(state, template):
        return None
    return (
        f"{NOT_DELIVERED} to the deployment team and on-call engineers (no target takes "
        "the paging message), and record who you paged: page WHO"
    )


def outbox_messages(state: IncidentState, message: Communication) -> list[OutboxMessage]:
    """What the outbox should hold for a recorded message, one per routed target."""
    about = MessageAbout(message.template, message.severity, message.title)
    return [
        OutboxMessage(
            message_key(state.id, message.seq, target.name),
            state.id,
            target.name,
            message.text,
            message.at,
            about,
        )
        for target in state.runbook.targets_for(message.template)
    ]


def unqueued(state: IncidentState) -> list[OutboxMessage]:
    """Recorded messages not yet handed to the outbox, whoever recorded them.

    A message recorded by the CLI or by another terminal is picked up by the next
    process that delivers; the key makes handing it over twice harmless.
    """
    return [
        item
        for message in state.communications
        for item in outbox_messages(state, message)
        if item.key not in state.deliveries
    ]


def awaiting_delivery(state: IncidentState) -> list[OutboxMessage]:
    """The messages the record shows queued and not yet delivered or failed for good.

    The record, not the outbox, says what is still to send: the outbox is the
    deliverers' work list, and a record moved by `lastgood migrate` arrives without
    one. A deliverer hands the outbox again any of these it does not hold.
    """
    return [
        item
        for message in state.communications
        for item in outbox_messages(state, message)
        if (record := state.deliveries.get(item.key)) is not None and record.status == "pending"
    ]


def outbox_message(state: IncidentState, key: str) -> OutboxMessage | None:
    """The message for one outbox key, rebuilt from the record; None if none has it."""
    for message in state.communications:
        for item in outbox_messages(state, message):
            if item.key == key:
                return item
    return None


def _event(state: IncidentState, actor: str, clock: Clock, data: EventData) -> NewEvent:
    return NewEvent(state.id, actor, truncate_to_millis(clock.now()), clock.monotonic_ns(), data)


def queued(
    state: IncidentState, messages: list[OutboxMessage], *, actor: str, clock: Clock
) -> list[NewEvent]:
    return [
        _event(state, actor, clock, NotificationQueued(m.key, m.target))
        for m in messages
        if m.key not in state.deliveries
    ]


def delivery_outcome(
    state: IncidentState,
    *,
    key: str,
    target: str,
    delivered: bool,
    attempts: int,
    error: str,
    final: bool,
    actor: str,
    clock: Clock,
) -> list[NewEvent]:
    """An event when a message is delivered or has failed for good; retries stay quiet."""
    current = state.deliveries.get(key)
    if current is not None and current.status != "pending":
        return []
    if delivered:
        return [_event(state, actor, clock, NotificationDelivered(key, target, attempts))]
    if final:
        return [_event(state, actor, clock, NotificationFailed(key, target, attempts, error))]
    return []


def requeued(state: IncidentState, key: str, *, actor: str, clock: Clock) -> list[NewEvent]:
    """Record that a message that failed for good is being tried again."""
    current = state.deliveries.get(key)
    if current is None:
        raise CommandError(f"no message with key '{key}'")
    if current.status != "failed":
        raise CommandError(f"message {key} is {current.status}, not failed")
    return [_event(state, actor, clock, NotificationRequeued(key, current.target, actor))]


def failed_keys(state: IncidentState) -> list[str]:
    return [key for key, record in state.deliveries.items() if record.status == "failed"]


def undelivered_templates(state: IncidentState) -> frozenset[str]:
    """The templates of messages whose delivery to some target failed for good (until
    re-sent): their communication step was checked by the send, yet someone the runbook
    routes it to never got it (a fresh user's review: "Notify stakeholders" stayed
    `[x]` after its auto-sent message failed every try)."""
    failed = failed_keys(state)
    if not failed:
        return frozenset()
    seqs = {key.rsplit(":", 2)[-2] for key in failed if key.count(":") >= 2}
    return frozenset(c.template for c in state.communications if c.template and str(c.seq) in seqs)
