"""The event vocabulary: everything that can happen in an incident.

Events are facts. Commands decide whether something may happen and produce
`NewEvent`s carrying a typed payload (`incident.core.payloads`); the store encodes
it, gives it a sequence number and a place in the hash chain, and hands back
`Event`s with the payload decoded again; the fold turns events into state.
Corrections are new events, never edits.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Final, TypeAlias

from msgspec import Struct

if TYPE_CHECKING:
    from incident.core.payloads import EventData

JSONValue: TypeAlias = str | int | float | bool | list["JSONValue"] | dict[str, "JSONValue"] | None
Payload: TypeAlias = Mapping[str, JSONValue]


class Kind(StrEnum):
    """Event kinds. The string values are stored; never rename one."""

    DECLARED = "incident.declared"
    CLOSED = "incident.closed"
    SEVERITY_CHANGED = "incident.severity_changed"
    STEP_CHECKED = "step.checked"
    STEP_SKIPPED = "step.skipped"
    STEP_REOPENED = "step.reopened"
    APPROVAL_GRANTED = "approval.granted"
    DATABASE_TIER_CHOSEN = "database.tier_chosen"
    NOTE_ADDED = "note.added"
    ROLE_ASSIGNED = "role.assigned"
    COMMANDER_HANDED_OFF = "commander.handed_off"
    PAGE_SENT = "page.sent"
    COMMUNICATION_SENT = "communication.sent"
    COMMUNICATION_DECLINED = "communication.declined"
    COMMAND_RAN = "command.ran"
    TRIGGER_CHANGED = "trigger.changed"
    PROBE_SAMPLES = "probe.samples"
    BASELINE_CAPTURED = "baseline.captured"
    RCA_NOTED = "rca.noted"
    ACTION_ITEM_ADDED = "action_item.added"
    LESSON_NOTED = "lesson.noted"
    POSTMORTEM_SCHEDULED = "postmortem.scheduled"
    UPDATE_OVERDUE = "update.overdue"
    NOTIFICATION_QUEUED = "notification.queued"
    NOTIFICATION_DELIVERED = "notification.delivered"
    NOTIFICATION_FAILED = "notification.failed"
    NOTIFICATION_REQUEUED = "notification.requeued"
    CONTRIBUTING_FACTOR_NOTED = "contributing_factor.noted"
    ACTION_ITEM_DONE = "action_item.done"
    REPORT_STATUS_SET = "report.status_set"
    IMPACT_MEASURED = "impact.measured"
    CHANGES_READ = "changes.read"
    CHANNEL_SET = "channel.set"
    STATUS_PAGE_UPDATED = "status_page.updated"


class NewEvent(Struct, frozen=True):
    """An event a command wants recorded; the store assigns `seq` and the hashes."""

    incident_id: str
    actor: str
    at: datetime
    mono_ns: int
    data: EventData

    @property
    def kind(self) -> str:
        return str(self.data.KIND)

    @property
    def payload(self) -> Payload:
        """The payload as it will be stored: `data` in its stored field names."""
        return self.data.to_json()


class Event(Struct, frozen=True):
    """An event as recorded: numbered within its incident and chained by hash."""

    incident_id: str
    seq: int
    kind: str
    actor: str
    at: datetime
    mono_ns: int
    payload: Payload
    """The payload as stored: what the hash covers, `verify` checks and the export
    copies. Read `data` instead; this is never read field by field."""
    data: EventData
    """The payload, decoded and checked when the event was read."""
    prev_hash: str
    hash: str


def format_timestamp(moment: datetime) -> str:
    """ISO 8601 UTC with milliseconds and a `Z`: the one stored time format.

    The year is written with four digits whatever the platform's `strftime` does
    (glibc writes year 26 as `26`), so every moment has one spelling and a stored
    time that was edited reads back as what it says.
    """
    if moment.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    # `isoformat` pads the year and cuts (not rounds) to milliseconds, as this format
    # does, in C: an export writes a time for each of thousands of events.
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="milliseconds") + "Z"


YEARS: Final = range(1000, 9001)
"""The years a recorded time may fall in. Clocks add windows, cadences, an ETA or a
meeting's length to the times they read, and subtract them; a time a little short of
year 9999 (a record edited by hand, its chain hashed again) made every one of those
sums fail with OverflowError. A millennium each side leaves room for all of them."""

LONGEST_SPAN_MIN: Final = 525_600
"""A year of minutes: the longest span a field may add to a time (an ETA, a meeting's
length, a timeline's gap). More is a slip of the keyboard, and `--eta 6000000000` was
recorded once and ran every message template off the calendar."""


class OutOfRange(ValueError):
    """A time outside `YEARS` in UTC, or written with an offset that has no UTC time."""


def parse_timestamp(text: str) -> datetime:
    """Read a stored timestamp (or any ISO 8601 time with an offset) as aware UTC."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"timestamp has no timezone: {text!r}")
    try:
        utc = moment.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00+01:00 is before year 1 in UTC
        raise OutOfRange(f"timestamp out of range in UTC: {text!r}") from None
    if utc.year not in YEARS:
        raise OutOfRange(f"timestamp out of range (years {YEARS[0]} to {YEARS[-1]}): {text!r}")
    return utc


def truncate_to_millis(moment: datetime) -> datetime:
    """Drop sub-millisecond precision, so a time survives a store round trip."""
    return moment.replace(microsecond=(moment.microsecond // 1000) * 1000)
