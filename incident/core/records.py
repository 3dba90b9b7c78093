"""The records an incident's state is made of: what happened to a step, who
approved what, what was said, and so on. Plain values, built only by the fold.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum

from msgspec import Struct

from incident.core.names import same_person
from runbooks.model import Step


class StepStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    SKIPPED = "skipped"
    BLOCKED = "blocked"
    """Open, but waiting on an approval (or a database tier choice)."""


SEVERITIES: tuple[str, ...] = ("SEV1", "SEV2", "SEV3", "SEV4")


class StepRecord(Struct):
    """What has happened to one step."""

    step: Step
    done: bool = False
    skipped: bool = False
    by: str | None = None
    at: datetime | None = None
    note: str = ""
    reason: str = ""
    evidence: str = ""
    override: str = ""
    """Why it was checked although its evidence did not hold, if it was."""
    first_touched_at: datetime | None = None
    seq: int | None = None
    """The event that checked or skipped it (None while open)."""


class StepChange(Struct, frozen=True):
    """A step skipped or reopened: a change of plan the report lists, with its reason."""

    step: str
    what: str
    """`skipped` or `reopened`."""
    by: str
    """Who recorded it (the event's actor)."""
    reason: str
    at: datetime


class Approval(Struct, frozen=True):
    """An approval as the state keeps it, for the gates and the report."""

    target: str
    """A step id, or `tier:<id>` for a database tier."""
    by: str
    reason: str
    at: datetime
    seq: int = 0
    """The event that recorded it."""
    recorded_by: str = ""
    """Who recorded it (the event's actor): the approver, when they confirmed from
    their own terminal, or the coordinator recording their word."""
    role: str = ""
    """The role the runbook names as approver (`leadership`)."""
    role_holder: str = ""
    """Who held `role` when it was recorded; "" when no one did."""

    @property
    def own_word(self) -> bool:
        """The approver recorded it themself (`lastgood approve ... --as NAME`), their
        name spelled either way ("Ada" approving as "ada" is not "recorded by ada")."""
        return same_person(self.recorded_by, self.by)

    @property
    def by_role(self) -> bool:
        """The approver held the role the runbook asks for, then: only so may it be
        called that role's approval ("approved by Bo (leadership)")."""
        return bool(self.role) and same_person(self.by, self.role_holder)


class RoleChange(Struct, frozen=True):
    """A role given to someone, for the report's list of who held what."""

    role: str
    person: str
    at: datetime
    by: str


class Handoff(Struct, frozen=True):
    """Incident command handed on: who had it, who has it, who recorded it, and why."""

    from_: str
    """Who held command before; "" when nobody did."""
    to: str
    at: datetime
    by: str
    """Who recorded it (the event's actor): the outgoing commander, the incoming one
    taking command, or someone else."""
    reason: str = ""


class Note(Struct, frozen=True):
    """A note as the timeline and the report show it."""

    text: str
    by: str
    at: datetime
    """When it was written (`NoteAdded.written_at`, else when it was recorded)."""
    pinned: bool = False
    recorded_at: datetime | None = None
    """When it was recorded, if later than it was written (`NoteAdded.written_at`)."""


class Page(Struct, frozen=True):
    """A page as the report lists it."""

    target: str
    by: str
    at: datetime
    note: str = ""


class Communication(Struct, frozen=True):
    """A message sent, as the comms log and the report show it."""

    text: str
    by: str
    at: datetime
    template: str | None = None
    channel: str | None = None
    moment: str | None = None
    """The runbook moment that made it due (`step:decide-rollback`), if one did."""
    auto: bool = False
    """Sent by lastgood itself under a `mode: auto` rule."""
    seq: int = 0
    """The event that recorded it: with a target, it makes the delivery's key."""
    severity: str = ""
    """The incident's severity when it was recorded (a webhook's body says it)."""
    title: str = ""
    """The incident's title when it was recorded."""
    written_at: datetime | None = None
    """When it was written, if the record could not take it then (sent when recorded,
    at `at`: `CommunicationSent.written_at`)."""


class DeclinedMessage(Struct, frozen=True):
    """A due message the coordinator chose not to send, and why."""

    template: str
    moment: str
    due_at: datetime
    reason: str
    by: str
    at: datetime


class CommandRun(Struct, frozen=True):
    """A step's command and how it ended, the step's evidence."""

    step: str
    command: str
    exit_code: int
    output_tail: str
    at: datetime
    """When it ran."""
    recorded_at: datetime | None = None
    """When it was recorded, if later than it ran (`CommandRan.ran_at`)."""


class TriggerMark(Struct, frozen=True):
    """The last recorded state of a rollback trigger, and what decided it."""

    met: bool
    at: datetime
    by: str
    detail: str = ""
    source: str = "manual"
    seq: int = 0
    """The event that recorded it."""


class Baseline(Struct, frozen=True):
    """A probe's healthy value, and where it came from (runbook or samples)."""

    value: float
    source: str
    at: datetime | None = None


class LastPoll(Struct, frozen=True):
    """The latest probe tick: when it was recorded, and who polled it (None for a tick
    that names no poller, recorded by an earlier release or a script)."""

    at: datetime
    poller: str | None = None


class UnsetWhere(Struct, frozen=True):
    """Why a poller left a probe out: the `${NAME}`s its environment does not set, as
    the first tick it recorded says (`ProbeSamples.unset`), and who that poller is."""

    names: tuple[str, ...]
    poller: str | None = None


RECENT_SAMPLES = 120
"""Samples kept per probe in state: enough for panels, triggers and evidence."""


class PageHandUpdate(Struct, frozen=True):
    """The status page updated by hand, as `status_page.updated` recorded it."""

    by: str
    recorded_by: str
    at: datetime
    note: str = ""


class DeliveryRecord(Struct, frozen=True):
    """Where one message to one webhook target stands."""

    key: str
    target: str
    status: str
    attempts: int = 0
    error: str = ""
    at: datetime | None = None


class TierChoice(Struct, frozen=True):
    """The database tier chosen, for the database step and the report."""

    tier: str
    by: str
    reason: str
    at: datetime


class RcaNote(Struct, frozen=True):
    """A piece of the preliminary root-cause analysis, as written."""

    text: str
    by: str
    at: datetime


class ActionItem(Struct, frozen=True):
    """A follow-up from the post-mortem; `number` is its place in the record (1, 2...)."""

    number: int
    text: str
    owner: str
    due: date | None
    by: str
    at: datetime
    priority: str = ""
    type: str = ""
    ticket: str = ""
    done_at: datetime | None = None
    """When it was marked done; None while open."""
    done_by: str = ""
    done_note: str = ""

    @property
    def done(self) -> bool:
        return self.done_at is not None


class ContributingFactor(Struct, frozen=True):
    """Something that made the incident possible or worse, as written."""

    text: str
    by: str
    at: datetime


class ImpactFigure(Struct, frozen=True):
    """Requests failed and served over the impact window, from Prometheus."""

    failed_query: str
    total_query: str
    start: datetime
    end: datetime
    failed: float
    total: float
    by: str
    at: datetime
    failed_no_series: bool = False
    """The failed requests' query matched no series: `failed` is 0 by default."""

    @property
    def share(self) -> float | None:
        """The failed requests' share of the traffic, or None with no traffic."""
        return self.failed / self.total if self.total > 0 else None


class ReportDocument(Struct, frozen=True):
    """The post-mortem document's status (draft or reviewed), owner and reviewers."""

    status: str
    owner: str
    reviewers: tuple[str, ...]
    by: str
    at: datetime


class Lesson(Struct, frozen=True):
    """A lesson learned; `category` is went-well, went-wrong, lucky, or "" (unsorted)."""

    text: str
    category: str
    by: str
    at: datetime


class PostmortemMeeting(Struct, frozen=True):
    """The blameless post-mortem as booked (the latest booking wins)."""

    starts_at: datetime
    duration_min: int
    attendees: tuple[str, ...]
    by: str
    at: datetime
    """When it was booked."""
    forced: bool = False
    """Booked outside its window (more than 48 h after resolution), with `reason`."""
    reason: str = ""
    organizer: str = ""
    """The organizer's email, when given: the calendar file is then an invitation."""

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_min)
