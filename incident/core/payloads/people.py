"""Who does what: notes, roles, the hand-off of command, pages."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import ClassVar

from msgspec import Struct

from incident.core.events import JSONValue, Kind, format_timestamp
from incident.core.payloads.base import Fields


class NoteAdded(Struct, frozen=True):
    """A note for the record and the timeline."""

    KIND: ClassVar[Kind] = Kind.NOTE_ADDED
    text: str
    by: str
    pinned: bool = False
    written_at: datetime | None = None
    """When it was written, if that is not when it was recorded: a note the record could
    not take then (unreachable), kept by the screen and recorded once it could; stored
    only then, as `CommandRan.ran_at`."""

    def to_json(self) -> dict[str, JSONValue]:
        data: dict[str, JSONValue] = {"text": self.text, "by": self.by, "pinned": self.pinned}
        if self.written_at is not None:
            data["written_at"] = format_timestamp(self.written_at)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, JSONValue]) -> NoteAdded:
        f = Fields(cls.KIND, data)
        decoded = cls(
            f.text("text"),
            f.text("by"),
            f.flag("pinned"),
            f.moment_or_none("written_at", optional=True),
        )
        f.done()
        return decoded


class RoleAssigned(Struct, frozen=True):
    """Someone given a role of the runbook."""

    KIND: ClassVar[Kind] = Kind.ROLE_ASSIGNED
    role: str
    person: str

    def to_json(self) -> dict[str, JSONValue]:
        return {"role": self.role, "person": self.person}

    @classmethod
    def from_json(cls, data: Mapping[str, JSONValue]) -> RoleAssigned:
        f = Fields(cls.KIND, data)
        decoded = cls(f.text("role"), f.text("person"))
        f.done()
        return decoded


class ChannelSet(Struct, frozen=True):
    """The incident channel named after the declaration (`create-channel` done by
    hand): messages written from then on name it, where they said "the incident
    channel"."""

    KIND: ClassVar[Kind] = Kind.CHANNEL_SET
    channel: str

    def to_json(self) -> dict[str, JSONValue]:
        return {"channel": self.channel}

    @classmethod
    def from_json(cls, data: Mapping[str, JSONValue]) -> ChannelSet:
        f = Fields(cls.KIND, data)
        decoded = cls(f.text("channel"))
        f.done()
        return decoded


class CommanderHandedOff(Struct, frozen=True):
    """Command of the incident handed from one person to another."""

    KIND: ClassVar[Kind] = Kind.COMMANDER_HANDED_OFF
    from_: str
    """Stored as `from`; "" when nobody held command."""
    to: str
    reason: str = ""

    def to_json(self) -> dict[str, JSONValue]:
        return {"from": self.from_, "to": self.to, "reason": self.reason}

    @classmethod
    def from_json(cls, data: Mapping[str, JSONValue]) -> CommanderHandedOff:
        f = Fields(cls.KIND, data)
        decoded = cls(f.text("from"), f.text("to"), f.text("reason"))
        f.done()
        return decoded


class PageSent(Struct, frozen=True):
    """Someone or a team paged to join."""

    KIND: ClassVar[Kind] = Kind.PAGE_SENT
    target: str
    by: str
    note: str = ""

    def to_json(self) -> dict[str, JSONValue]:
        return {"target": self.target, "by": self.by, "note": self.note}

    @classmethod
    def from_json(cls, data: Mapping[str, JSONValue]) -> PageSent:
        f = Fields(cls.KIND, data)
        decoded = cls(f.text("target"), f.text("by"), f.text("note"))
        f.done()
        return decoded
