"""Messages leaving the incident: queued for webhooks, then delivered or failed.

A recorded message is queued for the targets its template is routed to; the
outbox (`store/outbox.py`) holds it durably and the deliverer
(`incident/delivery.py`) sends it in the background. Each outcome comes back here
as an event, so the timeline, the TUI and the report show delivery as it happened.
"""

from __future__ import annotations

from incident.clock import Clock
from incident.events import Event, JSONValue, Kind, NewEvent, truncate_to_millis
from incident.notify import OutboxMessage, Target, message_key
from incident.state import IncidentState
from runbooks.model import NotifyTarget


def webhook_target(target: NotifyTarget) -> Target:
    if target.kind == "slack":
        return Target(target.name, "slack", target.url, target.headers)
    return Target(target.name, "json", target.url, target.headers)


def outbox_messages(state: IncidentState, message: Event) -> list[OutboxMessage]:
    """What the outbox should hold for a recorded message, one per routed target."""
    if message.kind != Kind.COMMUNICATION_SENT:
        return []
    template = message.payload.get("template")
    text = str(message.payload.get("text", ""))
    return [
        OutboxMessage(
            message_key(state.id, message.seq, target.name),
            state.id,
            target.name,
            text,
            message.at,
        )
        for target in state.runbook.targets_for(template if isinstance(template, str) else None)
    ]


def _event(
    state: IncidentState, kind: Kind, actor: str, clock: Clock, payload: dict[str, JSONValue]
) -> NewEvent:
    return NewEvent(
        state.id, str(kind), actor, truncate_to_millis(clock.now()), clock.monotonic_ns(), payload
    )


def queued(
    state: IncidentState, messages: list[OutboxMessage], *, actor: str, clock: Clock
) -> list[NewEvent]:
    return [
        _event(state, Kind.NOTIFICATION_QUEUED, actor, clock, {"key": m.key, "target": m.target})
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
        payload: dict[str, JSONValue] = {"key": key, "target": target, "attempts": attempts}
        return [_event(state, Kind.NOTIFICATION_DELIVERED, actor, clock, payload)]
    if final:
        payload = {"key": key, "target": target, "attempts": attempts, "error": error}
        return [_event(state, Kind.NOTIFICATION_FAILED, actor, clock, payload)]
    return []
