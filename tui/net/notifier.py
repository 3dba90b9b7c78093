"""Webhook delivery for one incident: queue durably, send in the background.

The coordinator never waits on a webhook: `sync` writes to the outbox and returns;
`deliverer.run` (an async worker) delivers with retries and each outcome is recorded
as an event (`record`), through the same session, so the timeline and the record show
it; each face runs `record` where it uses its session (a recorder's thread, `monitor`'s
store thread). The Textual app
runs it for the incident on screen, the CLI's courier for `send`, `deliver` and
`monitor`: it lives here, beside the deliverer, so neither face imports the other.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from datetime import datetime

from incident.app.session import Session
from incident.comms.notifications import (
    awaiting_delivery,
    delivery_outcome,
    failed_keys,
    outbox_message,
    queued,
    requeued,
    unqueued,
    webhook_target,
)
from incident.comms.routing import OutboxMessage
from incident.core.events import Event
from incident.core.payloads import NotificationRequeued
from store.backends import OutboxRecord
from store.outbox import Status
from tui.net.client import HttpClient
from tui.net.delivery import DELIVERY_TIMEOUT_S, Deliverer, DeliveryResult


class IncidentOutbox:
    """The shared outbox, seen through one incident: it claims only that incident's mail."""

    def __init__(self, outbox: OutboxRecord, incident_id: str) -> None:
        self.outbox = outbox
        self.incident_id = incident_id

    def claim(self, now: datetime, lease_until: datetime, limit: int = 50) -> list[OutboxMessage]:
        return self.outbox.claim(now, lease_until, limit, incident_id=self.incident_id)

    def status(self, key: str) -> tuple[Status, int, str] | None:
        return self.outbox.status(key)

    def mark_delivered(self, key: str, at: datetime) -> int:
        return self.outbox.mark_delivered(key, at)

    def mark_attempt_failed(self, key: str, error: str, next_attempt_at: datetime | None) -> int:
        return self.outbox.mark_attempt_failed(key, error, next_attempt_at)


class Notifier:
    def __init__(
        self,
        session: Session,
        outbox: OutboxRecord,
        client: HttpClient,
        *,
        actor: str,
        on_recorded: Callable[[list[Event]], None],
        max_attempts: int | None = None,
        timeout_s: float | None = None,
    ) -> None:
        """`timeout_s`: how long one delivery may wait for its answer (the deliverer's
        own bound when None)."""
        self.session = session
        self.outbox = outbox
        self.actor = actor
        self.on_recorded = on_recorded
        targets = {t.name: webhook_target(t) for t in session.state.runbook.notify_targets}
        extra = {} if max_attempts is None else {"max_attempts": max_attempts}
        self.deliverer = Deliverer(
            targets,
            IncidentOutbox(outbox, session.state.id),
            client,
            session.clock,
            os.environ,
            timeout_s=DELIVERY_TIMEOUT_S if timeout_s is None else timeout_s,
            **extra,
        )
        self.stop = asyncio.Event()
        self._held: set[str] = set()
        """Keys known to be in the outbox (enqueued here, or seen there)."""

    def sync(self) -> list[Event]:
        """Hand every recorded message that has targets to the outbox; returns the events.

        Messages recorded by this screen, by the CLI or by another terminal are all
        picked up here; each key is enqueued at most once, so a second deliverer
        doing the same is harmless. So are messages the record shows still waiting
        that the outbox does not hold (`restore_waiting`).
        """
        self.restore_waiting()
        messages = unqueued(self.session.state)
        if not messages:
            return []
        for item in messages:
            self.outbox.enqueue(item)
            self._held.add(item.key)
        clock, actor = self.session.clock, self.actor
        recorded = self.session.run_many(lambda s: queued(s, messages, actor=actor, clock=clock))
        self.deliverer.wake()
        return recorded

    def restore_waiting(self) -> int:
        """Enqueue again what the record shows queued and undelivered but the outbox lacks;
        returns how many.

        The record is what says a message is still to send; the outbox is only the
        deliverers' work list. A record moved by `lastgood migrate` comes without it:
        its messages stayed pending in the record forever, and `deliver` said every
        message was delivered. The outbox is read once for keys not seen yet, so a
        deliverer running for hours reads it only when another writer queued more.
        """
        waiting = [m for m in awaiting_delivery(self.session.state) if m.key not in self._held]
        if not waiting:
            return 0
        held = {row.key for row in self.outbox.messages(self.session.state.id)}
        restored = 0
        for item in waiting:
            if item.key not in held:
                restored += self.outbox.enqueue(item)
            self._held.add(item.key)
        if restored:
            self.deliverer.wake()
        return restored

    def requeue(self, keys: list[str], *, by: str) -> list[Event]:
        """Try messages that failed for good again, with a fresh round of attempts.

        The re-send is recorded as done by `by`, the person who asked for it (the
        deliveries' outcomes are the tool's). The event goes first: a delivery is
        recorded only for a message the record shows as pending.
        """
        clock, actor = self.session.clock, by
        recorded = self.session.run_many(
            lambda s: [
                event
                for key in keys
                if key in failed_keys(s)
                for event in requeued(s, key, actor=actor, clock=clock)
            ]
        )
        now = clock.now()
        for event in recorded:
            if isinstance(event.data, NotificationRequeued):
                self._requeue(event.data.key, now)
        self.deliverer.wake()
        return recorded

    def _requeue(self, key: str, now: datetime) -> None:
        """The outbox's part of a re-send: its failed row made due, or, when it holds none
        (a record moved by `lastgood migrate`), the message enqueued from the record. A
        row in any other state is left; the record then shows the message pending, and
        `deliver` says so rather than that everything was delivered."""
        if self.outbox.requeue(key, now) or self.outbox.status(key) is not None:
            return
        message = outbox_message(self.session.state, key)
        if message is not None:
            self.outbox.enqueue(message)
            self._held.add(key)

    def record(self, result: DeliveryResult) -> None:
        clock, actor = self.session.clock, self.actor
        recorded = self.session.run_many(
            lambda s: delivery_outcome(
                s,
                key=result.key,
                target=result.target,
                delivered=result.delivered,
                attempts=result.attempts,
                error=result.error,
                final=result.final,
                actor=actor,
                clock=clock,
            )
        )
        if recorded:
            self.on_recorded(recorded)
