"""The SQLite event log against real files: durability settings, privacy, chain, errors."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from incident.core.chain import GENESIS_HASH, event_hash
from incident.core.events import NewEvent, truncate_to_millis
from incident.core.payloads import Declared, EventData, NoteAdded, ProbeSamples
from incident.core.samples import Outcome, Sample
from store import SCHEMA_VERSION, SqliteEventLog, StoreError, default_db_path

REPO = Path(__file__).resolve().parent.parent
START = datetime(2026, 3, 14, 9, 26, 53, 589793, tzinfo=UTC)


def new_event(incident: str = "inc-1", n: int = 1, data: EventData | None = None) -> NewEvent:
    return NewEvent(
        incident_id=incident,
        actor="alice",
        at=START + timedelta(seconds=n, microseconds=n),
        mono_ns=n * 1_000_000_007,
        data=NoteAdded(f"note {n}", "alice") if data is None else data,
    )


def truncated(sample: Sample) -> Sample:
    """A sample as read back: its time to the millisecond."""
    return dataclasses.replace(sample, at=truncate_to_millis(sample.at))


@contextlib.contextmanager
def raw(path: Path) -> Iterator[sqlite3.Connection]:
    """A plain sqlite3 connection, as another tool (or an attacker) would have."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        yield conn
    finally:
        conn.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "lastgood.db"


@pytest.fixture
def log(db_path: Path) -> Iterator[SqliteEventLog]:
    with SqliteEventLog.open(db_path) as opened:
        yield opened


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
    releaser = threading.Timer(0.3, other.execute, ["COMMIT"])
    releaser.start()
    started = time.monotonic()
    try:
        (event,) = log.append([new_event()])
    finally:
        releaser.join()
        other.close()
    assert time.monotonic() - started >= 0.25
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
    assert _one_line_naming(caught.value, log.path) == (
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


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_database_is_private_whatever_the_umask(tmp_path: Path) -> None:
    db_path = tmp_path / "fresh" / "lastgood.db"
    previous = os.umask(0)
    try:
        with SqliteEventLog.open(db_path) as log:
            log.append([new_event()])
            wal = db_path.with_name(db_path.name + "-wal")
            assert wal.exists()
            assert _mode(wal) & 0o077 == 0
    finally:
        os.umask(previous)
    assert _mode(db_path) == 0o600
    assert _mode(db_path.parent) == 0o700


def test_triggers_refuse_update_delete_and_out_of_chain_inserts(log: SqliteEventLog) -> None:
    (event,) = log.append([new_event()])
    with raw(log.path) as conn:
        for statement, refusal in (
            ("UPDATE events SET actor = 'mallory'", "append-only"),
            ("DELETE FROM events", "append-only"),
            ("INSERT OR REPLACE INTO events SELECT * FROM events", "extend the chain"),
        ):
            with pytest.raises(sqlite3.IntegrityError, match=refusal):
                conn.execute(statement)
        with pytest.raises(sqlite3.IntegrityError, match="extend the chain"):
            conn.execute(
                "INSERT INTO events VALUES ('inc-1', 3, '', 0, 'x', 'k', '{}', ?, ?)",
                (event.hash, "f" * 64),
            )
        with pytest.raises(sqlite3.IntegrityError, match="extend the chain"):
            conn.execute(
                "INSERT INTO events VALUES ('inc-1', 2, '', 0, 'x', 'k', '{}', ?, ?)",
                (GENESIS_HASH, "f" * 64),
            )
    assert log.events("inc-1") == [event]


def test_schema_version_is_stored(log: SqliteEventLog) -> None:
    with raw(log.path) as conn:
        meta = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        user_version = conn.execute("PRAGMA user_version").fetchone()
    assert meta == (str(SCHEMA_VERSION),)
    assert user_version == (SCHEMA_VERSION,)


@pytest.mark.parametrize("read_only", [False, True])
def test_newer_schema_is_refused(db_path: Path, read_only: bool) -> None:
    SqliteEventLog.open(db_path).close()
    with raw(db_path) as conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [SCHEMA_VERSION + 1])
    with pytest.raises(StoreError, match="newer") as caught:
        SqliteEventLog.open(db_path, read_only=read_only)
    assert str(caught.value).startswith(f"{db_path}: ")


# Bad files


def _one_line_naming(error: StoreError, path: Path) -> str:
    message = str(error)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    return message


@pytest.mark.parametrize("read_only", [False, True])
def test_garbage_file_is_a_store_error_naming_it(tmp_path: Path, read_only: bool) -> None:
    garbage = tmp_path / "notes.txt"
    garbage.write_bytes(b"this is not a database\n" * 200)
    before = digest(garbage)
    with pytest.raises(StoreError) as caught:
        SqliteEventLog.open(garbage, read_only=read_only)
    message = _one_line_naming(caught.value, garbage)
    assert "not a lastgood database (file is not a database)" in message
    assert digest(garbage) == before


def test_truncated_database_is_a_store_error(tmp_path: Path, db_path: Path) -> None:
    with SqliteEventLog.open(db_path) as log:
        for n in range(1, 51):
            log.append([new_event(n=n, data=NoteAdded("x" * 2000, "alice"))])
    truncated = tmp_path / "truncated.db"
    data = db_path.read_bytes()
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(StoreError) as caught, SqliteEventLog.open(truncated, read_only=True) as log:
        log.verify("inc-1")
    assert "malformed" in _one_line_naming(caught.value, truncated)


@pytest.mark.parametrize("read_only", [False, True])
def test_foreign_sqlite_file_is_refused(tmp_path: Path, read_only: bool) -> None:
    foreign = tmp_path / "other.db"
    with raw(foreign) as conn:
        conn.execute("CREATE TABLE bookmarks (url TEXT)")
    with pytest.raises(StoreError, match="not a lastgood database") as caught:
        SqliteEventLog.open(foreign, read_only=read_only)
    _one_line_naming(caught.value, foreign)
    with raw(foreign) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)


def test_unwritable_location_is_a_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(StoreError) as caught:
        SqliteEventLog.open(blocker / "lastgood.db")
    _one_line_naming(caught.value, blocker / "lastgood.db")


# Read-only opening


def test_read_only_needs_an_existing_file(db_path: Path) -> None:
    with pytest.raises(StoreError, match="no such database file"):
        SqliteEventLog.open(db_path, read_only=True)
    assert not db_path.exists()


def test_read_only_refuses_an_empty_file_without_changing_it(db_path: Path) -> None:
    db_path.touch()
    with pytest.raises(StoreError, match="empty"):
        SqliteEventLog.open(db_path, read_only=True)
    assert db_path.stat().st_size == 0


def test_read_only_never_modifies_the_database_file(db_path: Path) -> None:
    with SqliteEventLog.open(db_path) as log:
        log.append([new_event(n=n) for n in range(1, 11)])
    before, mtime = digest(db_path), db_path.stat().st_mtime_ns
    time.sleep(0.01)  # a write would now change the mtime visibly
    with SqliteEventLog.open(db_path, read_only=True) as reader:
        for incident in reader.incident_ids():
            assert len(reader.events(incident)) == 10
            assert reader.verify(incident).ok
            assert reader.last_seq(incident) == 10
    assert digest(db_path) == before
    assert db_path.stat().st_mtime_ns == mtime


def test_read_only_beside_a_live_writer_leaves_the_file_alone(db_path: Path) -> None:
    with SqliteEventLog.open(db_path) as writer:
        writer.append([new_event(n=1)])
        before, mtime = digest(db_path), db_path.stat().st_mtime_ns
        with SqliteEventLog.open(db_path, read_only=True) as reader:
            assert len(reader.events("inc-1")) == 1
        assert digest(db_path) == before
        assert db_path.stat().st_mtime_ns == mtime


def test_read_only_sees_later_appends_and_refuses_its_own(db_path: Path) -> None:
    SqliteEventLog.open(db_path).close()
    with SqliteEventLog.open(db_path, read_only=True) as reader:
        assert reader.incident_ids() == []
        with SqliteEventLog.open(db_path) as writer:
            writer.append([new_event(n=1)])
            assert [e.seq for e in reader.events("inc-1")] == [1]
            writer.append([new_event(n=2)])
        assert reader.last_seq("inc-1") == 2
        assert reader.read_only
        with pytest.raises(StoreError, match="read-only"):
            reader.append([new_event(n=3)])


# Default location


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (
            {"LASTGOOD_DB": "/srv/inc.db", "XDG_DATA_HOME": "/xdg", "HOME": "/home/u"},
            "/srv/inc.db",
        ),
        ({"LASTGOOD_DB": "~/inc.db", "HOME": "/home/u"}, "/home/u/inc.db"),
        ({"XDG_DATA_HOME": "/xdg", "HOME": "/home/u"}, "/xdg/lastgood/lastgood.db"),
        (
            {"LASTGOOD_DB": "", "XDG_DATA_HOME": "", "HOME": "/home/u"},
            "/home/u/.local/share/lastgood/lastgood.db",
        ),
        (
            {"XDG_DATA_HOME": "relative/dir", "HOME": "/home/u"},
            "/home/u/.local/share/lastgood/lastgood.db",
        ),
    ],
)
def test_default_db_path_precedence(env: dict[str, str], expected: str) -> None:
    assert default_db_path(env) == Path(expected)


def test_default_db_path_reads_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LASTGOOD_DB", "/from/env.db")
    assert default_db_path() == Path("/from/env.db")


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
