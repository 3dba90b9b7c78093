"""The record `record_scaling.py` reads: the demo's `closed` scenario padded with probe
ticks and notes to a size, nine events in ten ticks, written through the real store."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

from incident import commands
from incident.core.events import Event, NewEvent
from incident.core.payloads import ProbeSamples
from incident.core.samples import Outcome, Sample
from incident.core.state import IncidentState, fold
from store.sqlite_log import SqliteEventLog
from tui.demo.scenarios import ACTOR, SCENARIO_ID, Scenario, closed, declared


def build(db: Path, size: int, *, quick: bool) -> int:
    """The `closed` scenario (`declared` when quick), padded up to `size` events; the
    closed one then has its post-mortem booked, last, so an invitation reads it all."""
    scenario: Scenario = declared(db) if quick else closed(db)
    log, clock = scenario.log, scenario.clock
    state: IncidentState = fold(log.events(SCENARIO_ID))
    have = log.last_seq(SCENARIO_ID)
    batch: list[NewEvent] = []
    n = 0
    while have + len(batch) < size:
        clock.advance(5)
        now = clock.now()
        if n % 10 == 9:
            batch.append(commands.add_note(state, f"observation {n}", actor=ACTOR, clock=clock))
        else:
            samples = (
                Sample("health", now, Outcome.OK, 12.0 + n % 7, 200, text="ok"),
                Sample("version", now, Outcome.OK, 6.0, 200, text="2.4.0"),
                Sample("error-rate", now, Outcome.OK, 30.0, 200, value=0.004 + (n % 13) / 1e4),
            )
            batch.append(
                NewEvent(SCENARIO_ID, "probes", now, clock.monotonic_ns(), ProbeSamples(samples))
            )
        n += 1
        if len(batch) >= 1000:
            log.append(batch)
            have += len(batch)
            batch = []
    if batch:
        log.append(batch)
    if not quick:
        from incident.app.listing import incident_state

        booking = commands.schedule_postmortem(
            incident_state(log, SCENARIO_ID),
            clock.now() + timedelta(hours=2),
            actor=ACTOR,
            clock=clock,
            attendees=("ada@example.com", "Bo"),
            force=True,
            reason="the bench's record runs for days",
        )
        log.append([booking])
    count = log.last_seq(SCENARIO_ID)
    log.close()
    return count


def stored_sizes(db: Path) -> str:
    """The file's size and what its state snapshots take of it (their JSON text)."""
    connection = sqlite3.connect(db)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        row = connection.execute(
            "SELECT COUNT(*), COALESCE(SUM(LENGTH(lists) + LENGTH(rest)), 0) FROM state_snapshots"
        ).fetchone()
    finally:
        connection.close()
    return f"file {db.stat().st_size / 1e6:.1f} MB, {row[0]} state snapshots {row[1] / 1e6:.2f} MB"


def span(db: Path) -> tuple[datetime, datetime, datetime]:
    """The incident's T+0, first and last event times."""
    with SqliteEventLog.open(db, read_only=True, snapshot=True) as log:
        first = next(iter(log.scan(SCENARIO_ID)))
        last = log.last_event(SCENARIO_ID)
    assert isinstance(first, Event) and last is not None
    return fold([first]).started_at, first.at, last.at


def offset_text(offset: timedelta) -> str:
    seconds = int(offset.total_seconds())
    return f"T+{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
