"""The checklist: steps checked, skipped and reopened, approvals, the tier, commands."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import ClassVar

from msgspec import Struct

from incident.core.events import JSONValue, Kind, format_timestamp
from incident.core.payloads.base import Fields
from incident.core.text import counted


class StepChecked(Struct, frozen=True):
    """A step done, with what showed it."""

    KIND: ClassVar[Kind] = Kind.STEP_CHECKED
    step: str
    by: str
    note: str = ""
    override: str = ""
    """Why it was checked although the probes' evidence did not hold; stored only if given."""
    evidence: str = ""
    """What the probes showed (a verification step); stored only if there is some."""
    tier: str | None = None
    """The database tier in force, for the database step; stored only then."""
    written_at: datetime | None = None
    """When it was typed, if the record could not take it then (`NoteAdded.written_at`);
    stored only then."""

    def to_json(self) -> dict[str, JSONValue]:
        data: dict[str, JSONValue] = {"step": self.step, "by": self.by, "note": self.note}
        if self.override:
            data["override"] = self.override
        if self.evidence:
            data["evidence"] = self.evidence
        if self.tier is not None:
            data["tier"] = self.tier
        return _with_written_at(data, self.written_at)

    @classmethod
    def from_json(cls, data: Mapping[str, JSONValue]) -> StepChecked:
        f = Fields(cls.KIND, data)
        tier = f.text("tier", "") if "tier" in data else None
        decoded = cls(
            step=f.text("step"),
            by=f.text("by"),
            note=f.text("note"),
            override=f.text("override", ""),
            evidence=f.text("evidence", ""),
            tier=tier,
            written_at=f.moment_or_none("written_at", optional=True),
        )
        f.done()
        return decoded


class StepSkipped(Struct, frozen=True):
    """A step passed over, and why."""

    KIND: ClassVar[Kind] = Kind.STEP_SKIPPED
    step: str
    reason: str
    by: str
    written_at: datetime | None = None
    """When it was typed, if the record could not take it then (`NoteAdded.written_at`);
    stored only then."""

    def to_json(self) -> dict[str, JSONValue]:
        data: dict[str, JSONValue] = {"step": self.step, "reason": self.reason, "by": self.by}
        return _with_written_at(data, self.written_at)

    @classmethod
    def from_json(cls, data: Mapping[str, JSONValue]) -> StepSkipped:
        f = Fields(cls.KIND, data)
        written_at = f.moment_or_none("written_at", optional=True)
        decoded = cls(f.text("step"), f.text("reason"), f.text("by"), written_at)
        f.done()
        return decoded


class StepReopened(Struct, frozen=True):
    """A step done or skipped, opened again."""

    KIND: ClassVar[Kind] = Kind.STEP_REOPENED
    step: str
    reason: str

    def to_json(self) -> dict[str, JSONValue]:
        return {"step": self.step, "reason": self.reason}

    @classmethod
    def from_json(cls, data: Mapping[str, JSONValue]) -> StepReopened:
        f = Fields(cls.KIND, data)
        decoded = cls(f.text("step"), f.text("reason"))
        f.done()
        return decoded


class ApprovalGranted(Struct, frozen=True):
    """The approval a step or a database tier waits for."""

    KIND: ClassVar[Kind] = Kind.APPROVAL_GRANTED
    target: str
    """A step id, or `tier:<id>` for a database tier."""
    role: str
    """The role the runbook names as approver."""
    by: str
    reason: str
    written_at: datetime | None = None
    """When it was typed, if the record could not take it then (`NoteAdded.written_at`);
    stored only then."""

    def to_json(self) -> dict[str, JSONValue]:
        data: dict[str, JSONValue] = {
            "target": self.target,
            "role": self.role,
            "by": self.by,
            "reason": self.reason,
        }
        return _with_written_at(data, self.written_at)

    @classmethod
    def from_json(cls, data: Mapping[str, JSONValue]) -> ApprovalGranted:
        f = Fields(cls.KIND, data)
        written_at = f.moment_or_none("written_at", optional=True)
        decoded = cls(f.text("target"), f.text("role"), f.text("by"), f.text("reason"), written_at)
        f.done()
        return decoded


class DatabaseTierChosen(Struct, frozen=True):
    """Which database rollback tier the team chose, knowing its data loss."""

    KIND: ClassVar[Kind] = Kind.DATABASE_TIER_CHOSEN
    tier: str
    data_loss: str
    """The tier's data loss as the runbook said it then (none, possible, certain)."""
    reason: str
    by: str
    written_at: datetime | None = None
    """When it was typed, if the record could not take it then (`NoteAdded.written_at`);
    stored only then."""

    def to_json(self) -> dict[str, JSONValue]:
        data: dict[str, JSONValue] = {
            "tier": self.tier,
            "data_loss": self.data_loss,
            "reason": self.reason,
            "by": self.by,
        }
        return _with_written_at(data, self.written_at)

    @classmethod
    def from_json(cls, data: Mapping[str, JSONValue]) -> DatabaseTierChosen:
        f = Fields(cls.KIND, data)
        written_at = f.moment_or_none("written_at", optional=True)
        decoded = cls(
            f.text("tier"), f.text("data_loss"), f.text("reason"), f.text("by"), written_at
        )
        f.done()
        return decoded


class ChangesRead(Struct, frozen=True):
    """What the rollback undoes, read from the service's repository: the evidence the
    database tier is chosen on. Lines, not structure: it is read by people."""

    KIND: ClassVar[Kind] = Kind.CHANGES_READ
    bad: str
    good: str
    commits: int
    files: int
    migrations: tuple[str, ...]
    """One line per migration added: `2b_drop_legacy.py (alembic): no down step; ...`."""
    flagged: int
    """How many of them have no down step or drop or rename data."""
    suggested_tier: str
    why: str

    def to_json(self) -> dict[str, JSONValue]:
        return {
            "bad": self.bad,
            "good": self.good,
            "commits": self.commits,
            "files": self.files,
            "migrations": list(self.migrations),
            "flagged": self.flagged,
            "suggested_tier": self.suggested_tier,
            "why": self.why,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, JSONValue]) -> ChangesRead:
        f = Fields(cls.KIND, data)
        decoded = cls(
            f.text("bad"),
            f.text("good"),
            f.integer("commits"),
            f.integer("files"),
            f.texts("migrations"),
            f.integer("flagged"),
            f.text("suggested_tier"),
            f.text("why"),
        )
        f.done()
        return decoded

    @property
    def summary(self) -> str:
        """One line: what going back undoes and the tier it suggests."""
        migrations = counted(len(self.migrations), "migration")
        if self.flagged:
            migrations += f" ({self.flagged} flagged)"
        commits = counted(self.commits, "commit")
        return (
            f"{self.bad} → {self.good} undoes {commits} and {migrations}; "
            f"suggested tier {self.suggested_tier}: {self.why}"
        )


class CommandRan(Struct, frozen=True):
    """A step's command run, with how it ended."""

    KIND: ClassVar[Kind] = Kind.COMMAND_RAN
    step: str
    command: str
    exit_code: int
    output_tail: str
    ran_at: datetime | None = None
    """When it ran, if that is not when it was recorded: a run the record could not take
    then (the database unreachable), recorded once it could; stored only then."""

    def to_json(self) -> dict[str, JSONValue]:
        data: dict[str, JSONValue] = {
            "step": self.step,
            "command": self.command,
            "exit_code": self.exit_code,
            "output_tail": self.output_tail,
        }
        if self.ran_at is not None:
            data["ran_at"] = format_timestamp(self.ran_at)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, JSONValue]) -> CommandRan:
        f = Fields(cls.KIND, data)
        decoded = cls(
            f.text("step"),
            f.text("command"),
            f.integer("exit_code"),
            f.text("output_tail"),
            f.moment_or_none("ran_at", optional=True),
        )
        f.done()
        return decoded


def _with_written_at(
    data: dict[str, JSONValue], written_at: datetime | None
) -> dict[str, JSONValue]:
    """`data` with when it was typed, if it was recorded late (`written_at`)."""
    if written_at is not None:
        data["written_at"] = format_timestamp(written_at)
    return data
