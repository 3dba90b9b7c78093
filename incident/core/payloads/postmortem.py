"""Post-mortem work: root cause, action items, lessons, the meeting."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import ClassVar

from incident.core.events import JSONValue, Kind, format_timestamp
from incident.core.payloads.base import Fields


@dataclass(frozen=True, slots=True)
class RcaNoted:
    KIND: ClassVar[Kind] = Kind.RCA_NOTED
    text: str
    by: str

    def to_json(self) -> dict[str, JSONValue]:
        return {"text": self.text, "by": self.by}

    @classmethod
    def from_json(cls, data: Mapping[str, JSONValue]) -> RcaNoted:
        f = Fields(cls.KIND, data)
        decoded = cls(f.text("text"), f.text("by"))
        f.done()
        return decoded


@dataclass(frozen=True, slots=True)
class ActionItemAdded:
    KIND: ClassVar[Kind] = Kind.ACTION_ITEM_ADDED
    text: str
    owner: str
    due: date | None
    by: str

    def to_json(self) -> dict[str, JSONValue]:
        return {
            "text": self.text,
            "owner": self.owner,
            "due": self.due.isoformat() if self.due else None,
            "by": self.by,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, JSONValue]) -> ActionItemAdded:
        f = Fields(cls.KIND, data)
        decoded = cls(f.text("text"), f.text("owner"), f.day_or_none("due"), f.text("by"))
        f.done()
        return decoded


@dataclass(frozen=True, slots=True)
class LessonNoted:
    KIND: ClassVar[Kind] = Kind.LESSON_NOTED
    text: str
    category: str
    """went-well, went-wrong, lucky, or "" (unsorted)."""
    by: str

    def to_json(self) -> dict[str, JSONValue]:
        return {"text": self.text, "category": self.category, "by": self.by}

    @classmethod
    def from_json(cls, data: Mapping[str, JSONValue]) -> LessonNoted:
        f = Fields(cls.KIND, data)
        decoded = cls(f.text("text"), f.text("category"), f.text("by"))
        f.done()
        return decoded


@dataclass(frozen=True, slots=True)
class PostmortemScheduled:
    """A booking of the blameless post-mortem; booking again moves it."""

    KIND: ClassVar[Kind] = Kind.POSTMORTEM_SCHEDULED
    starts_at: datetime
    duration_min: int
    attendees: tuple[str, ...]
    forced: bool
    """Starts outside the window (`window`), with `reason`: more than 48 h after
    resolution (older records: outside the 24-48 h window they stored)."""
    reason: str
    window: tuple[datetime, datetime]
    """The window without a reason, as it stood when booked: from the resolution to
    +48 h (older records: +24 h to +48 h)."""
    by: str
    previous_starts_at: datetime | None = None
    """The booking this one moved; stored only for a move."""
    organizer: str = ""
    """The organizer's email, so the calendar file is an invitation clients can answer
    (METHOD:REQUEST); stored only when given."""

    def to_json(self) -> dict[str, JSONValue]:
        data: dict[str, JSONValue] = {
            "starts_at": format_timestamp(self.starts_at),
            "duration_min": self.duration_min,
            "attendees": list(self.attendees),
            "forced": self.forced,
            "reason": self.reason,
            "window": [format_timestamp(self.window[0]), format_timestamp(self.window[1])],
            "by": self.by,
        }
        if self.previous_starts_at is not None:
            data["previous_starts_at"] = format_timestamp(self.previous_starts_at)
        if self.organizer:
            data["organizer"] = self.organizer
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, JSONValue]) -> PostmortemScheduled:
        f = Fields(cls.KIND, data)
        window = f.texts("window")
        if len(window) != 2:
            f.fail("window", f"has {len(window)} timestamps, not 2")
        decoded = cls(
            starts_at=f.moment("starts_at"),
            duration_min=f.integer("duration_min"),
            attendees=f.texts("attendees"),
            forced=f.flag("forced"),
            reason=f.text("reason"),
            window=(f.timestamp("window", window[0]), f.timestamp("window", window[1])),
            by=f.text("by"),
            previous_starts_at=f.moment_or_none("previous_starts_at", optional=True),
            organizer=f.text("organizer", ""),
        )
        f.done()
        return decoded
