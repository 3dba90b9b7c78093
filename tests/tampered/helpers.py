"""What the tamper tests share: the intact incident's shape, and editing a copy of it
behind the log's back, then verifying it.

Each tamper works on a fresh copy of one intact incident (`conftest.py`), through a
plain sqlite3 connection that first drops the append-only triggers, as anyone with
write access to the file could.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from incident.core.chain import ChainReport
from incident.core.events import Event, NewEvent
from incident.core.payloads import Declared, NoteAdded
from store import SqliteEventLog
from tests.tampering import drop_triggers

INCIDENT = "inc-2026-03-14"
START = datetime(2026, 3, 14, 9, 0, tzinfo=UTC)

Tamper = Callable[[sqlite3.Connection, list[Event]], None]


def declared() -> NewEvent:
    declared = Declared("Checkout 500s after v2.5.0", "SEV2", "alice", "rollback", "", {})
    return NewEvent(INCIDENT, "alice", START, 0, declared)


def note(n: int) -> NewEvent:
    by = "alice" if n % 2 else "bob"
    note = NoteAdded(f"observation {n}", by)
    return NewEvent(INCIDENT, by, START + timedelta(minutes=n), n * 60_000_000_000, note)


def tamper_and_verify(path: Path, events: list[Event], tamper: Tamper) -> ChainReport:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        drop_triggers(conn)
        tamper(conn, events)
    finally:
        conn.close()
    with SqliteEventLog.open(path, read_only=True) as log:
        assert log.verify("bystander").ok
        return log.verify(INCIDENT)


def set_column(column: str, value: object, seq: int) -> Tamper:
    def tamper(conn: sqlite3.Connection, _: list[Event]) -> None:
        conn.execute(
            f"UPDATE events SET {column} = ? WHERE incident_id = ? AND seq = ?",
            (value, INCIDENT, seq),
        )

    return tamper
