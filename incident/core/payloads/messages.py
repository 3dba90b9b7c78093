"""What was said and to whom: messages sent or declined, missed updates, deliveries."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import ClassVar

from msgspec import Struct

from incident.core.events import JSONValue, Kind, format_timestamp
from incident.core.payloads.base import Fields


class CommunicationSent(Struct, frozen=True):
    """A message told to people, exactly as sent."""

    KIND: ClassVar[Kind] = Kind.COMMUNICATION_SENT
    text: str
    """Exactly what was sent."""
    template: str | None
    channel: str
    by: str
    moment: str = ""
    """The runbook moment that made it due (`step:decide-rollback`); stored only if one did."""
    auto: bool = False
    """Sent by lastgood under a `mode: auto` rule; stored only then."""
    written_at: datetime | None = None
    """When it was written, if the record could not take it then: sent (and delivered)
    when recorded, as `at` says; stored only then (`NoteAdded.written_at`)."""

    def to_json(self) -> dict[str, JSONValue]:
        data: dict[str, JSONValue] = {
            "text": self.text,
            "template": self.template,
            "channel": self.channel,
            "by": self.by,
        }
        if self.moment:
            data["moment"] = self.moment
        if self.auto:
            data["auto"] = True
        if self.written_at is not None:
            data["written_at"] = format_timestamp(self.written_at)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, JSONValue]) -> CommunicationSent:
        f = Fields(cls.KIND, data)
        decoded = cls(
            text=f.text("text"),
            template=f.text_or_none("template"),
            channel=f.text("channel"),
            by=f.text("by"),
            moment=f.text("moment", ""),
            auto=f.flag("auto", False),
            written_at=f.moment_or_none("written_at", optional=True),
        )
        f.done()
        return decoded


class CommunicationDeclined(Struct, frozen=True):
    """A due message the coordinator chose not to send, and why."""

    KIND: ClassVar[Kind] = Kind.COMMUNICATION_DECLINED
    template: str
    moment: str
    due_at: datetime
    reason: str
    by: str

    def to_json(self) -> dict[str, JSONValue]:
        return {
            "template": self.template,
            "moment": self.moment,
            "due_at": format_timestamp(self.due_at),
            "reason": self.reason,
            "by": self.by,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, JSONValue]) -> CommunicationDeclined:
        f = Fields(cls.KIND, data)
        decoded = cls(
            f.text("template"), f.text("moment"), f.moment("due_at"), f.text("reason"), f.text("by")
        )
        f.done()
        return decoded


class StatusPageUpdated(Struct, frozen=True):
    """The status page updated by hand (in a browser, say): its runbook names no target
    that posts to it, or the target's delivery failed."""

    KIND: ClassVar[Kind] = Kind.STATUS_PAGE_UPDATED
    by: str
    """Who updated it (the event's actor recorded it)."""
    note: str = ""
    """What was posted, or where; stored only if given."""

    def to_json(self) -> dict[str, JSONValue]:
        data: dict[str, JSONValue] = {"by": self.by}
        if self.note:
            data["note"] = self.note
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, JSONValue]) -> StatusPageUpdated:
        f = Fields(cls.KIND, data)
        decoded = cls(f.text("by"), f.text("note", ""))
        f.done()
        return decoded


class UpdateOverdue(Struct, frozen=True):
    """A stakeholder update that came due under the cadence without being sent."""

    KIND: ClassVar[Kind] = Kind.UPDATE_OVERDUE
    due_at: datetime
    cadence_min: int
    first: bool
    """The first update (nothing had been sent yet)."""

    def to_json(self) -> dict[str, JSONValue]:
        return {
            "due_at": format_timestamp(self.due_at),
            "cadence_min": self.cadence_min,
            "first": self.first,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, JSONValue]) -> UpdateOverdue:
        f = Fields(cls.KIND, data)
        decoded = cls(f.moment("due_at"), f.integer("cadence_min"), f.flag("first"))
        f.done()
        return decoded


class NotificationQueued(Struct, frozen=True):
    """A webhook delivery of a message put in the outbox."""

    KIND: ClassVar[Kind] = Kind.NOTIFICATION_QUEUED
    key: str
    """The delivery's idempotency key: incident, message seq and target."""
    target: str

    def to_json(self) -> dict[str, JSONValue]:
        return {"key": self.key, "target": self.target}

    @classmethod
    def from_json(cls, data: Mapping[str, JSONValue]) -> NotificationQueued:
        f = Fields(cls.KIND, data)
        decoded = cls(f.text("key"), f.text("target"))
        f.done()
        return decoded


class NotificationDelivered(Struct, frozen=True):
    """A webhook delivery that the receiver accepted."""

    KIND: ClassVar[Kind] = Kind.NOTIFICATION_DELIVERED
    key: str
    target: str
    attempts: int

    def to_json(self) -> dict[str, JSONValue]:
        return {"key": self.key, "target": self.target, "attempts": self.attempts}

    @classmethod
    def from_json(cls, data: Mapping[str, JSONValue]) -> NotificationDelivered:
        f = Fields(cls.KIND, data)
        decoded = cls(f.text("key"), f.text("target"), f.integer("attempts"))
        f.done()
        return decoded


class NotificationFailed(Struct, frozen=True):
    """A delivery that failed for good (every retry spent)."""

    KIND: ClassVar[Kind] = Kind.NOTIFICATION_FAILED
    key: str
    target: str
    attempts: int
    error: str

    def to_json(self) -> dict[str, JSONValue]:
        return {
            "key": self.key,
            "target": self.target,
            "attempts": self.attempts,
            "error": self.error,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, JSONValue]) -> NotificationFailed:
        f = Fields(cls.KIND, data)
        decoded = cls(f.text("key"), f.text("target"), f.integer("attempts"), f.text("error"))
        f.done()
        return decoded


class NotificationRequeued(Struct, frozen=True):
    """A delivery that had failed for good, given to the outbox again."""

    KIND: ClassVar[Kind] = Kind.NOTIFICATION_REQUEUED
    key: str
    target: str
    by: str

    def to_json(self) -> dict[str, JSONValue]:
        return {"key": self.key, "target": self.target, "by": self.by}

    @classmethod
    def from_json(cls, data: Mapping[str, JSONValue]) -> NotificationRequeued:
        f = Fields(cls.KIND, data)
        decoded = cls(f.text("key"), f.text("target"), f.text("by"))
        f.done()
        return decoded
