"""Post-mortem work: root cause, action items, lessons, the meeting."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import ClassVar

from msgspec import Struct

from incident.core.events import JSONValue, Kind, format_timestamp
from incident.core.payloads.base import Fields


class RcaNoted(Struct, frozen=True):
    """A piece of the preliminary root-cause analysis."""

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


class ContributingFactorNoted(Struct, frozen=True):
    """Something that made the incident possible or worse, besides the root cause."""

    KIND: ClassVar[Kind] = Kind.CONTRIBUTING_FACTOR_NOTED
    text: str
    by: str

    def to_json(self) -> dict[str, JSONValue]:
        return {"text": self.text, "by": self.by}

    @classmethod
    def from_json(cls, data: Mapping[str, JSONValue]) -> ContributingFactorNoted:
        f = Fields(cls.KIND, data)
        decoded = cls(f.text("text"), f.text("by"))
        f.done()
        return decoded


class ActionItemAdded(Struct, frozen=True):
    """Follow-up work for after the incident, with its owner."""

    KIND: ClassVar[Kind] = Kind.ACTION_ITEM_ADDED
    text: str
    owner: str
    due: date | None
    by: str
    priority: str = ""
    """P1, P2 or P3; stored only when given (records before it have none)."""
    type: str = ""
    """mitigate, prevent, detect, process or other; stored only when given."""
    ticket: str = ""
    """The tracker's URL; stored only when given."""

    def to_json(self) -> dict[str, JSONValue]:
        data: dict[str, JSONValue] = {
            "text": self.text,
            "owner": self.owner,
            "due": self.due.isoformat() if self.due else None,
            "by": self.by,
        }
        for name, value in (("priority", self.priority), ("type", self.type)):
            if value:
                data[name] = value
        if self.ticket:
            data["ticket"] = self.ticket
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, JSONValue]) -> ActionItemAdded:
        f = Fields(cls.KIND, data)
        decoded = cls(
            f.text("text"),
            f.text("owner"),
            f.day_or_none("due"),
            f.text("by"),
            f.text("priority", ""),
            f.text("type", ""),
            f.text("ticket", ""),
        )
        f.done()
        return decoded


class ActionItemDone(Struct, frozen=True):
    """An action item finished; `number` is its place in the record (1, 2...)."""

    KIND: ClassVar[Kind] = Kind.ACTION_ITEM_DONE
    number: int
    note: str
    by: str

    def to_json(self) -> dict[str, JSONValue]:
        return {"number": self.number, "note": self.note, "by": self.by}

    @classmethod
    def from_json(cls, data: Mapping[str, JSONValue]) -> ActionItemDone:
        f = Fields(cls.KIND, data)
        decoded = cls(f.integer("number"), f.text("note"), f.text("by"))
        f.done()
        return decoded


class ImpactMeasured(Struct, frozen=True):
    """Requests failed and served over the impact window, as Prometheus counted them.

    The queries are stored as they were run (`sum(increase(SELECTOR[Ns]))` at the
    window's end), so the report shows how each figure was got; the Prometheus URL
    is not stored (it may carry credentials).
    """

    KIND: ClassVar[Kind] = Kind.IMPACT_MEASURED
    failed_query: str
    total_query: str
    start: datetime
    end: datetime
    failed: float
    total: float
    by: str
    failed_no_series: bool = False
    """The failed requests' query matched no series, so `failed` is 0 by default, not
    a count Prometheus gave; stored only then."""

    def to_json(self) -> dict[str, JSONValue]:
        data: dict[str, JSONValue] = {
            "failed_query": self.failed_query,
            "total_query": self.total_query,
            "start": format_timestamp(self.start),
            "end": format_timestamp(self.end),
            "failed": self.failed,
            "total": self.total,
            "by": self.by,
        }
        if self.failed_no_series:
            data["failed_no_series"] = True
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, JSONValue]) -> ImpactMeasured:
        f = Fields(cls.KIND, data)
        decoded = cls(
            f.text("failed_query"),
            f.text("total_query"),
            f.moment("start"),
            f.moment("end"),
            f.number("failed"),
            f.number("total"),
            f.text("by"),
            f.flag("failed_no_series", False),
        )
        f.done()
        return decoded


class ReportStatusSet(Struct, frozen=True):
    """The post-mortem document's status (draft or reviewed), owner and reviewers.

    Each one states all three as they now stand; the latest holds.
    """

    KIND: ClassVar[Kind] = Kind.REPORT_STATUS_SET
    status: str
    owner: str
    reviewers: tuple[str, ...]
    by: str

    def to_json(self) -> dict[str, JSONValue]:
        return {
            "status": self.status,
            "owner": self.owner,
            "reviewers": list(self.reviewers),
            "by": self.by,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, JSONValue]) -> ReportStatusSet:
        f = Fields(cls.KIND, data)
        decoded = cls(f.text("status"), f.text("owner"), f.texts("reviewers"), f.text("by"))
        f.done()
        return decoded


class LessonNoted(Struct, frozen=True):
    """A lesson for the post-mortem, sorted or not."""

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


class PostmortemScheduled(Struct, frozen=True):
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
