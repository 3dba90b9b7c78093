"""The SQLite event log against real files: durability settings, privacy, chain, errors."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from datetime import datetime
from pathlib import Path

import pytest

from incident.core.chain import GENESIS_HASH, event_hash
from incident.core.events import NewEvent, truncate_to_millis
from incident.core.payloads import Declared, NoteAdded, ProbeSamples
from incident.core.samples import Outcome, Sample
from store import SqliteEventLog, StoreError
from tests.store_helpers import REPO, START, new_event, one_line_naming, raw, truncated

# Round trip and numbering


def test_round_trip_keeps_unicode_and_nested_payloads(log: SqliteEventLog) -> None:
    note = NoteAdded('Rücknahme — 回滚 🚨, say "no"\n', "ñ", pinned=True)
    sample = Sample("ñ", START, Outcome.OK, 2.5, 200, value=-0.0, text="回滚", detail="\x1b[2J")
    declared = new_event(data=note)
    recorded = log.append([declared, new_event(n=2, data=ProbeSamples((sample, sample)))])

    assert [e.seq for e in recorded] == [1, 2]
    assert recorded[0].data == note
    assert recorded[0].payload == {"text": note.text, "by": "ñ", "pinned": True}
    assert recorded[1].data == ProbeSamples((truncated(sample), truncated(sample)))
    assert recorded[0].at == truncate_to_millis(declared.at)
    assert recorded[0].prev_hash == GENESIS_HASH
    assert recorded[1].prev_hash == recorded[0].hash
    assert recorded[0].hash == event_hash(declared, 1, GENESIS_HASH)
    assert log.events("inc-1") == recorded
    assert log.events("inc-1", after_seq=1) == recorded[1:]
    assert log.verify("inc-1").ok


def test_seq_continues_across_separate_opens(db_path: Path) -> None:
    with SqliteEventLog.open(db_path) as first:
        first.append([new_event(n=1), new_event(n=2)])
    with SqliteEventLog.open(db_path) as second:
        assert second.last_seq("inc-1") == 2
        (third,) = second.append([new_event(n=3)])
        assert third.seq == 3
        report = second.verify("inc-1")
    assert report.ok
    assert report.count == 3
    assert report.head_hash == third.hash


def test_two_instances_interleaving_keep_one_linear_chain(db_path: Path) -> None:
    with SqliteEventLog.open(db_path) as tui, SqliteEventLog.open(db_path) as cli:
        for n in range(1, 21):
            writer = tui if n % 3 else cli
            (event,) = writer.append([new_event(n=n)])
            assert event.seq == n
        assert [e.seq for e in tui.events("inc-1")] == list(range(1, 21))
        assert cli.verify("inc-1").ok


_WRITER = """
import sys
from datetime import UTC, datetime
from incident.core.events import NewEvent
from incident.core.payloads import NoteAdded
from store import SqliteEventLog
with SqliteEventLog.open(sys.argv[1]) as log:
    for n in range(int(sys.argv[3])):
        note = NoteAdded(str(n), sys.argv[2])
        log.append([NewEvent("inc-1", sys.argv[2], datetime.now(UTC), n, note)])
"""


def test_concurrent_processes_wait_for_each_other(db_path: Path) -> None:
    SqliteEventLog.open(db_path).close()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(db_path), f"writer-{i}", "40"],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(3)
    ]
    for writer in writers:
        _, errors = writer.communicate(timeout=120)
        assert writer.returncode == 0, errors
    with SqliteEventLog.open(db_path, read_only=True) as log:
        report = log.verify("inc-1")
        actors = {e.actor for e in log.events("inc-1")}
    assert report.ok
    assert report.count == 120
    assert actors == {"writer-0", "writer-1", "writer-2"}


def test_append_waits_for_another_writers_transaction(log: SqliteEventLog) -> None:
    other = sqlite3.connect(log.path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    committing = threading.Event()

    def commit() -> None:
        committing.set()  # before the COMMIT: an append that returns has waited for it
        other.execute("COMMIT")

    releaser = threading.Timer(0.3, commit)
    releaser.start()
    try:
        (event,) = log.append([new_event()])
        assert committing.is_set(), "the append went through another writer's transaction"
    finally:
        releaser.join()
        other.close()
    assert event.seq == 1


def test_a_writer_kept_out_past_the_bounded_wait_gets_one_line(
    log: SqliteEventLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("store.connection.WRITE_WAIT_S", 0.2)
    log.append([new_event(n=1)])
    with raw(log.path) as other:
        other.execute("BEGIN IMMEDIATE")
        with pytest.raises(StoreError) as caught:
            log.append([new_event(n=2)])
        other.execute("COMMIT")
    assert one_line_naming(caught.value, log.path) == (
        f"{log.path}: cannot append to incident inc-1: other writers held the database "
        "for 0.2 s; nothing was written"
    )
    assert log.last_seq("inc-1") == 1
    (after,) = log.append([new_event(n=2)])  # and the next one, once free, goes through
    assert after.seq == 2


def test_log_can_be_used_from_a_worker_thread(log: SqliteEventLog) -> None:
    results: list[int] = []

    def record() -> None:
        results.extend(event.seq for event in log.append([new_event()]))

    worker = threading.Thread(target=record)
    worker.start()
    worker.join()
    assert results == [1]
    assert log.last_seq("inc-1") == 1


# Transactions and validation


def test_batch_is_all_or_nothing(log: SqliteEventLog) -> None:
    log.append([new_event(n=1)])
    with raw(log.path) as conn:
        conn.execute(
            "CREATE TRIGGER test_boom BEFORE INSERT ON events "
            "WHEN json_extract(NEW.payload, '$.pinned') BEGIN SELECT RAISE(ABORT, 'boom'); END"
        )
    boom = NoteAdded("boom", "alice", pinned=True)
    batch = [new_event(n=2), new_event(n=3, data=boom), new_event(n=4)]
    with pytest.raises(StoreError, match="boom"):
        log.append(batch)
    assert log.last_seq("inc-1") == 1
    (after,) = log.append([new_event(n=2)])
    assert after.seq == 2


def test_append_rejects_mixed_incidents_and_bad_events(log: SqliteEventLog) -> None:
    with pytest.raises(ValueError, match="one incident"):
        log.append([new_event("a"), new_event("b")])
    naive = NewEvent("a", "alice", datetime(2026, 1, 1), 0, NoteAdded("x", "alice"))
    with pytest.raises(ValueError, match="timezone"):
        log.append([new_event("a"), naive])
    assert log.incident_ids() == []


def test_empty_append_records_nothing(log: SqliteEventLog) -> None:
    assert log.append([]) == []
    assert log.incident_ids() == []


def test_queries_on_several_incidents(log: SqliteEventLog) -> None:
    log.append([new_event("later-name-first", n=1)])
    log.append([new_event("a-second", n=1)])
    log.append([new_event("later-name-first", n=2)])
    assert log.incident_ids() == ["later-name-first", "a-second"]
    assert log.last_seq("a-second") == 1
    assert log.last_seq("unknown") == 0
    assert log.events("unknown") == []
    report = log.verify("unknown")
    assert not report.ok
    assert report.problem == "no events"


def test_incidents_view_summarises_each_incident(log: SqliteEventLog) -> None:
    declared = Declared("Checkout 500s", "SEV2", "ada", "r", "", {})
    log.append([new_event(data=declared), new_event(n=2), new_event(n=3)])
    with raw(log.path) as conn:
        rows = conn.execute(
            "SELECT incident_id, declared_at, title, event_count, last_at FROM incidents"
        ).fetchall()
    assert rows == [
        ("inc-1", "2026-03-14T09:26:54.589Z", "Checkout 500s", 3, "2026-03-14T09:26:56.589Z")
    ]


def test_closed_log_refuses_calls(db_path: Path) -> None:
    log = SqliteEventLog.open(db_path)
    log.close()
    log.close()
    with pytest.raises(StoreError, match="closed"):
        log.events("inc-1")


# Durability settings and privacy


def _pragmas(log: SqliteEventLog) -> dict[str, object]:
    conn = log._connection
    assert conn is not None
    return {
        name: conn.execute(f"PRAGMA {name}").fetchone()[0]
        for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
    }


@pytest.mark.parametrize("read_only", [False, True])
def test_pragmas_in_effect_on_every_connection(db_path: Path, read_only: bool) -> None:
    SqliteEventLog.open(db_path).close()
    with SqliteEventLog.open(db_path, read_only=read_only) as log:
        assert _pragmas(log) == {
            "journal_mode": "wal",
            "synchronous": 2,
            "foreign_keys": 1,
            "busy_timeout": 5000,
        }


# Bad files


# Read-only opening


# Default location


# Scale


def test_hundred_thousand_events_append_read_back_and_verify(db_path: Path) -> None:
    """The work completes and the chain holds at this size; how long it takes is
    `bench/record_scaling.py`'s to measure."""
    with SqliteEventLog.open(db_path) as log:
        for batch in range(100):
            log.append(
                [
                    new_event("big", n, NoteAdded(f"sample {n} ok 12.5 ms", "alice"))
                    for n in range(batch * 1000 + 1, batch * 1000 + 1001)
                ]
            )
        events = log.events("big")
        report = log.verify("big")
    assert [e.seq for e in events] == list(range(1, 100_001))
    assert report.ok
    assert (report.count, report.head_hash) == (100_000, events[-1].hash)
