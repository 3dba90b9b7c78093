"""An incident's beginning and end: declared, severity changed, closed."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import ClassVar

from msgspec import Struct

from incident.core.events import JSONValue, Kind, format_timestamp
from incident.core.payloads.base import Fields
from runbooks.model import DeploymentPattern


class Declared(Struct, frozen=True):
    """The first event: what was known, and the runbook as it was (a snapshot)."""

    KIND: ClassVar[Kind] = Kind.DECLARED
    title: str
    severity: str
    commander: str
    runbook_id: str
    runbook_source: str
    runbook: dict[str, JSONValue]
    """The runbook's data (`runbooks.runbook_to_data`), read back by the fold."""
    issue: str = ""
    eta_min: int | None = None
    pattern: DeploymentPattern | None = None
    started_at: datetime | None = None
    """T+0 when the impact started before the declaration."""
    channel: str = ""
    from_version: str = ""
    last_good_version: str = ""
    drill: str = ""
    """The fault a rehearsal (`lastgood drill`) plays; "" for a real incident. Written
    only when set, so a real incident's declaration reads and hashes as before."""
    coordinator: str = ""
    """The deployment coordinator, whom the guide is written for: the person declaring
    unless named. "" in records from before it was kept (the role stays vacant until
    assigned); written only when set, so those read and hash as before."""

    def __hash__(self) -> int:
        """Leaves out the runbook, a dict: compared, never hashed."""
        return hash((self.title, self.severity, self.commander, self.runbook_id, self.started_at))

    def to_json(self) -> dict[str, JSONValue]:
        data: dict[str, JSONValue] = {
            "title": self.title,
            "severity": self.severity,
            "commander": self.commander,
            "issue": self.issue,
            "eta_min": self.eta_min,
            "pattern": str(self.pattern) if self.pattern else None,
            "started_at": format_timestamp(self.started_at) if self.started_at else None,
            "channel": self.channel,
            "from_version": self.from_version,
            "last_good_version": self.last_good_version,
            "runbook_id": self.runbook_id,
            "runbook_source": self.runbook_source,
            "runbook": self.runbook,
        }
        if self.drill:
            data["drill"] = self.drill
        if self.coordinator:
            data["coordinator"] = self.coordinator
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, JSONValue]) -> Declared:
        f = Fields(cls.KIND, data)
        pattern_text = f.text_or_none("pattern")
        pattern = None
        if pattern_text is not None:
            try:
                pattern = DeploymentPattern(pattern_text)
            except ValueError:
                f.fail("pattern", f"is not a deployment pattern: {pattern_text!r}")
        decoded = cls(
            title=f.text("title"),
            severity=f.text("severity"),
            commander=f.text("commander"),
            runbook_id=f.text("runbook_id"),
            runbook_source=f.text("runbook_source"),
            runbook=f.obj("runbook"),
            issue=f.text("issue"),
            eta_min=f.integer_or_none("eta_min"),
            pattern=pattern,
            started_at=f.moment_or_none("started_at"),
            channel=f.text("channel"),
            from_version=f.text("from_version"),
            last_good_version=f.text("last_good_version"),
            drill=f.text("drill", ""),
            coordinator=f.text("coordinator", ""),
        )
        f.done()
        return decoded


class SeverityChanged(Struct, frozen=True):
    """The incident's severity raised or lowered, with the one before."""

    KIND: ClassVar[Kind] = Kind.SEVERITY_CHANGED
    severity: str
    previous: str
    reason: str = ""

    def to_json(self) -> dict[str, JSONValue]:
        return {"severity": self.severity, "previous": self.previous, "reason": self.reason}

    @classmethod
    def from_json(cls, data: Mapping[str, JSONValue]) -> SeverityChanged:
        f = Fields(cls.KIND, data)
        decoded = cls(f.text("severity"), f.text("previous"), f.text("reason"))
        f.done()
        return decoded


class Closed(Struct, frozen=True):
    """The incident closed: its clocks stop, and what was still open is kept."""

    KIND: ClassVar[Kind] = Kind.CLOSED
    reason: str
    forced: bool
    """Closed with required steps still open (`--force`)."""
    open_required_steps: tuple[str, ...]
    elapsed: str
    """T+ at close, as shown (`T+32:10`)."""
    unstable: str = ""
    """What said the service was not stable when it was closed anyway (`--force` with a
    reason): `rollback trigger error-rate met since T+03:47; version 2.4.1 running`;
    "" when nothing did (written only when set: older records have no such field)."""

    def to_json(self) -> dict[str, JSONValue]:
        data: dict[str, JSONValue] = {
            "reason": self.reason,
            "forced": self.forced,
            "open_required_steps": list(self.open_required_steps),
            "elapsed": self.elapsed,
        }
        if self.unstable:
            data["unstable"] = self.unstable
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, JSONValue]) -> Closed:
        f = Fields(cls.KIND, data)
        decoded = cls(
            f.text("reason"),
            f.flag("forced"),
            f.texts("open_required_steps"),
            f.text("elapsed"),
            f.text("unstable", ""),
        )
        f.done()
        return decoded
