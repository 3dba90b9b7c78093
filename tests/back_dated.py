"""A back-dated incident, as a review declared one: the impact began at T+0, the
incident was declared twelve minutes (and a fraction of a second) later, a note, then
the close. Nothing was recorded before the declaration."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from msgspec.structs import replace

from incident import commands
from incident.app import lifecycle, people
from incident.app.session import IncidentSession
from incident.core.clock import ManualClock
from store.sqlite_log import SqliteEventLog
from tui.demo.scenarios import DECLARATION, SCENARIO_ID, SCENARIO_T0, bundled_runbook

T0 = SCENARIO_T0
"""The impact start given at the declaration: T+0."""
DECLARED = timedelta(minutes=12, microseconds=900_000)
"""The declaration, at T+12:00.9."""
NOTED = timedelta(minutes=12, seconds=30)
CLOSED = timedelta(minutes=13)


@dataclass(frozen=True)
class BackDated:
    db: Path
    incident_id: str


def back_dated_record(db: Path, *, closed: bool = True) -> BackDated:
    """The incident in a new SQLite file `db`: declared at T+12:00.9, a note at
    T+12:30, closed at T+13:00 (unless not `closed`)."""
    clock = ManualClock(T0 + DECLARED)
    details = replace(DECLARATION, started_at=T0)
    with SqliteEventLog.open(db) as log:
        declaration = commands.declare(
            bundled_runbook(), details, actor="ada", clock=clock, incident_id=SCENARIO_ID
        )
        log.append([declaration])
        session = IncidentSession(log, SCENARIO_ID, clock)
        clock.set(T0 + NOTED)
        people.note(session, "ada", "looking at the dashboards")
        if closed:
            clock.set(T0 + CLOSED)
            lifecycle.close(session, "ada", force=True, reason="false alarm")
    return BackDated(db, SCENARIO_ID)
