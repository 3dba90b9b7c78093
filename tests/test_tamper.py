"""What `verify` catches when someone edits the file behind the log's back.

Each tamper works on a fresh copy of one intact incident, through a plain
sqlite3 connection that first drops the append-only triggers, as anyone with
write access to the file could.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import msgspec.structs
import pytest

from incident.core.chain import ChainReport, event_hash
from incident.core.events import Event, NewEvent
from incident.core.payloads import ApprovalGranted, Declared, NoteAdded
from store import SqliteEventLog, StoreError
from tests.tampering import drop_triggers, event_row

INCIDENT = "inc-2026-03-14"
START = datetime(2026, 3, 14, 9, 0, tzinfo=UTC)

Tamper = Callable[[sqlite3.Connection, list[Event]], None]


@pytest.fixture(scope="module")
def intact(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Event]]:
    path = tmp_path_factory.mktemp("intact") / "lastgood.db"
    with SqliteEventLog.open(path) as log:
        log.append([_declared()])
        for n in range(2, 11):
            log.append([_note(n)])
        log.append([msgspec.structs.replace(_note(1), incident_id="bystander")])
        events = log.events(INCIDENT)
    return path, events


def _declared() -> NewEvent:
    declared = Declared("Checkout 500s after v2.5.0", "SEV2", "alice", "rollback", "", {})
    return NewEvent(INCIDENT, "alice", START, 0, declared)


def _note(n: int) -> NewEvent:
    by = "alice" if n % 2 else "bob"
    note = NoteAdded(f"observation {n}", by)
    return NewEvent(INCIDENT, by, START + timedelta(minutes=n), n * 60_000_000_000, note)


@pytest.fixture
def copy(intact: tuple[Path, list[Event]], tmp_path: Path) -> Path:
    source, _ = intact
    target = tmp_path / "copy.db"
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    return target


def _tamper_and_verify(path: Path, events: list[Event], tamper: Tamper) -> ChainReport:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        drop_triggers(conn)
        tamper(conn, events)
    finally:
        conn.close()
    with SqliteEventLog.open(path, read_only=True) as log:
        assert log.verify("bystander").ok
        return log.verify(INCIDENT)


def _insert(conn: sqlite3.Connection, row: tuple[object, ...]) -> None:
    conn.execute("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", row)


def _make_room_at(conn: sqlite3.Connection, seq: int) -> None:
    """Shift seq >= `seq` up by one (via negatives, as the key is unique)."""
    conn.execute(
        "UPDATE events SET seq = -(seq + 1) WHERE incident_id = ? AND seq >= ?", (INCIDENT, seq)
    )
    conn.execute("UPDATE events SET seq = -seq WHERE incident_id = ? AND seq < 0", (INCIDENT,))


def _set(column: str, value: object, seq: int) -> Tamper:
    def tamper(conn: sqlite3.Connection, _: list[Event]) -> None:
        conn.execute(
            f"UPDATE events SET {column} = ? WHERE incident_id = ? AND seq = ?",
            (value, INCIDENT, seq),
        )

    return tamper


def _delete(seq: int) -> Tamper:
    def tamper(conn: sqlite3.Connection, _: list[Event]) -> None:
        conn.execute("DELETE FROM events WHERE incident_id = ? AND seq = ?", (INCIDENT, seq))

    return tamper


def _swap(a: int, b: int, columns: tuple[str, ...]) -> Tamper:
    """Exchange two events' `columns` while they keep their seq: a reordering."""

    def tamper(conn: sqlite3.Connection, _: list[Event]) -> None:
        listed = ", ".join(columns)
        select = f"SELECT {listed} FROM events WHERE incident_id = ? AND seq = ?"
        first = conn.execute(select, (INCIDENT, a)).fetchone()
        second = conn.execute(select, (INCIDENT, b)).fetchone()
        assignments = ", ".join(f"{column} = ?" for column in columns)
        update = f"UPDATE events SET {assignments} WHERE incident_id = ? AND seq = ?"
        conn.execute(update, (*second, INCIDENT, a))
        conn.execute(update, (*first, INCIDENT, b))

    return tamper


_FORGED = NewEvent(
    INCIDENT,
    "mallory",
    START + timedelta(minutes=4, seconds=30),
    270_000_000_000,
    ApprovalGranted("decide-rollback", "incident-commander", "cto", "looked fine to me"),
)


def _forge_with_junk_hash(conn: sqlite3.Connection, events: list[Event]) -> None:
    _make_room_at(conn, 5)
    _insert(conn, event_row(_FORGED, 5, events[3].hash, "f" * 64))


def _forge_linked(conn: sqlite3.Connection, events: list[Event]) -> None:
    """A perfect forged event 5; the genuine event after it still names event 4."""
    _make_room_at(conn, 5)
    _insert(conn, event_row(_FORGED, 5, events[3].hash, event_hash(_FORGED, 5, events[3].hash)))


def _forge_over_other_prev(conn: sqlite3.Connection, events: list[Event]) -> None:
    """A self-consistent hash, computed over the wrong predecessor (event 3)."""
    _make_room_at(conn, 5)
    _insert(conn, event_row(_FORGED, 5, events[2].hash, event_hash(_FORGED, 5, events[2].hash)))


@pytest.mark.parametrize(
    ("tamper", "first_bad_seq", "problem"),
    [
        pytest.param(
            _set("payload", '{"by":"bob","pinned":false,"text":"nothing to see"}', 4),
            4,
            "content does not match its hash",
            id="edit-payload",
        ),
        pytest.param(_set("actor", "mallory", 6), 6, "content does not match its hash", id="actor"),
        pytest.param(
            _set("at", "2026-03-14T09:02:59.999Z", 2),
            2,
            "content does not match its hash",
            id="edit-time",
        ),
        pytest.param(_delete(5), 5, "expected event 5, found 6", id="delete-middle"),
        pytest.param(
            _swap(3, 7, ("at", "mono_ns", "actor", "kind", "payload")),
            3,
            "content does not match its hash",
            id="reorder-content",
        ),
        pytest.param(
            _swap(3, 7, ("at", "mono_ns", "actor", "kind", "payload", "prev_hash", "hash")),
            3,
            "previous-hash link broken",
            id="reorder-whole-rows",
        ),
        pytest.param(
            _forge_with_junk_hash, 5, "content does not match its hash", id="insert-junk-hash"
        ),
        pytest.param(_forge_linked, 6, "previous-hash link broken", id="insert-linked"),
        pytest.param(
            _forge_over_other_prev, 5, "previous-hash link broken", id="insert-other-prev"
        ),
        pytest.param(
            _set("payload", "{not json", 8), 8, "unreadable event: payload is not JSON", id="junk"
        ),
        pytest.param(
            _set("payload", '{"by":"bob","pinned":false,"text":4}', 4),
            4,
            "unreadable event: note.added field 'text' is int, not text",
            id="wrong-type",
        ),
        pytest.param(
            _set("payload", '{"by":"alice","text":"observation 5"}', 5),
            5,
            "unreadable event: note.added field 'pinned' is missing",
            id="missing-field",
        ),
        pytest.param(
            _set("payload", '{"by":"bob","n":6,"pinned":false,"text":"observation 6"}', 6),
            6,
            "unreadable event: note.added has an unknown field 'n'",
            id="unknown-field",
        ),
        pytest.param(
            _set("kind", "note.deleted", 7),
            7,
            "unreadable event: unknown event kind 'note.deleted'",
            id="unknown-kind",
        ),
        pytest.param(
            _set("kind", "rca.noted", 7),
            7,
            "unreadable event: rca.noted has an unknown field 'pinned'",
            id="other-kind",
        ),
    ],
)
def test_tamper_is_reported_at_the_first_bad_event(
    copy: Path,
    intact: tuple[Path, list[Event]],
    tamper: Tamper,
    first_bad_seq: int,
    problem: str,
) -> None:
    _, events = intact
    report = _tamper_and_verify(copy, events, tamper)
    assert not report.ok
    assert report.first_bad_seq == first_bad_seq
    assert report.problem == problem
    assert report.count == first_bad_seq - 1
    if tamper is _forge_linked:
        assert report.head_hash == event_hash(_FORGED, 5, events[3].hash)
    else:
        assert report.head_hash == events[first_bad_seq - 2].hash


def test_intact_incident_verifies(copy: Path, intact: tuple[Path, list[Event]]) -> None:
    _, events = intact
    with SqliteEventLog.open(copy, read_only=True) as log:
        report = log.verify(INCIDENT)
    assert report.ok
    assert report.count == 10
    assert report.head_hash == events[-1].hash
    assert report.first_bad_seq is None


def test_deleting_the_last_event_shows_only_in_the_head_hash(
    copy: Path, intact: tuple[Path, list[Event]]
) -> None:
    """The chain alone cannot see a cut tail; the head hash kept elsewhere can."""
    _, events = intact
    report = _tamper_and_verify(copy, events, _delete(10))
    assert report.ok
    assert report.count == 9
    assert report.head_hash == events[8].hash
    assert report.head_hash != events[-1].hash


def _rehashed_from_4(edit: Callable[[Event], Event]) -> Tamper:
    """Event 4 edited, and it and every later event hashed again: a chain that verifies."""

    def rechain(conn: sqlite3.Connection, originals: list[Event]) -> None:
        conn.execute("DELETE FROM events WHERE incident_id = ? AND seq >= 4", (INCIDENT,))
        prev = originals[2].hash
        for event in originals[3:]:
            if event.seq == 4:
                event = edit(event)
            digest = event_hash(event, event.seq, prev)
            _insert(conn, event_row(event, event.seq, prev, digest))
            prev = digest

    return rechain


def test_rewriting_the_whole_tail_shows_only_in_the_head_hash(
    copy: Path, intact: tuple[Path, list[Event]]
) -> None:
    """An attacker who rehashes every later event passes verify but moves the head."""
    _, events = intact
    note = NoteAdded("all good", "bob")
    rechain = _rehashed_from_4(
        lambda event: msgspec.structs.replace(event, payload=note.to_json(), data=note)
    )
    report = _tamper_and_verify(copy, events, rechain)
    assert report.ok
    assert report.count == 10
    assert report.head_hash != events[-1].hash


@pytest.mark.parametrize("year", [9999, 999])
def test_a_time_edited_far_out_and_rehashed_is_a_store_error_when_read(
    copy: Path, intact: tuple[Path, list[Event]], year: int
) -> None:
    """Year 9999 in a rehashed chain verified, then every clock that added a window to
    it failed with OverflowError: status, brief, export, timeline and replay."""
    _, events = intact
    far = datetime(year, 12, 31, 23, 59, 59, 999000, tzinfo=UTC)
    _tamper_and_verify(copy, events, _rehashed_from_4(lambda e: msgspec.structs.replace(e, at=far)))
    with SqliteEventLog.open(copy, read_only=True) as log, pytest.raises(StoreError) as caught:
        log.events(INCIDENT)
    assert f"event 4: unreadable timestamp '{far.year:04d}-12-31T23:59:59.999Z'" in str(
        caught.value
    )


def test_unreadable_event_is_a_store_error_when_read(
    copy: Path, intact: tuple[Path, list[Event]]
) -> None:
    _, events = intact
    _tamper_and_verify(copy, events, _set("payload", "[1, 2]", 3))
    _tamper_and_verify(copy, events, _set("payload", '{"by":"bob","text":"x","pinned":1}', 6))
    with SqliteEventLog.open(copy, read_only=True) as log:
        assert len(log.events(INCIDENT, after_seq=6)) == 4
        with pytest.raises(StoreError, match="event 3: payload is not a JSON object"):
            log.events(INCIDENT)
        pinned = "event 6: note.added field 'pinned' is int, not true or false"
        with pytest.raises(StoreError, match=pinned):
            log.events(INCIDENT, after_seq=3)


# Stored text that is not the encoding its hash covers


@pytest.mark.parametrize(
    ("column", "value", "problem"),
    [
        pytest.param(
            "payload",
            '{"text":"nothing to see","by":"bob","pinned":false,"text":"observation 4"}',
            "payload repeats the key 'text'",
            id="duplicate-key-first",
        ),
        pytest.param(
            "payload",
            '{"by":"bob","pinned":false,"text":"observation 4","by":"bob"}',
            "payload repeats the key 'by'",
            id="duplicate-key-same-value",
        ),
        pytest.param(
            "payload",
            '{"text":"observation 4","by":"bob","pinned":false}',
            "payload is not its canonical encoding (key order, spacing or escapes)",
            id="reordered-keys",
        ),
        pytest.param(
            "payload",
            '{"by": "bob", "pinned": false, "text": "observation 4"}',
            "payload is not its canonical encoding (key order, spacing or escapes)",
            id="whitespace",
        ),
        pytest.param(
            "payload",
            '{"by":"bob","pinned":false,"text":"observation \\u0034"}',
            "payload is not its canonical encoding (key order, spacing or escapes)",
            id="escaped",
        ),
        pytest.param(
            "at",
            "2026-03-14T09:04:00.000+00:00",
            "timestamp '2026-03-14T09:04:00.000+00:00' is not stored as hashed "
            "('2026-03-14T09:04:00.000Z')",
            id="time-plus-zero",
        ),
        pytest.param(
            "at",
            "2026-03-14T09:04:00Z",
            "timestamp '2026-03-14T09:04:00Z' is not stored as hashed ('2026-03-14T09:04:00.000Z')",
            id="time-no-millis",
        ),
        pytest.param(
            "at",
            "2026-03-14T10:04:00.000+01:00",
            "timestamp '2026-03-14T10:04:00.000+01:00' is not stored as hashed "
            "('2026-03-14T09:04:00.000Z')",
            id="time-other-offset",
        ),
    ],
)
def test_stored_text_must_be_the_canonical_encoding_it_hashed(
    copy: Path, intact: tuple[Path, list[Event]], column: str, value: str, problem: str
) -> None:
    """Each value decodes to what event 4's hash covers; only its spelling differs."""
    _, events = intact
    report = _tamper_and_verify(copy, events, _set(column, value, 4))
    assert (report.ok, report.first_bad_seq, report.problem) == (False, 4, problem)
    assert (report.count, report.head_hash) == (3, events[2].hash)
    with SqliteEventLog.open(copy, read_only=True) as log:
        assert log.events(INCIDENT)[3].hash == events[3].hash  # still readable as it was


def test_a_repeated_key_is_what_sqlite_reads_and_verify_refuses(
    copy: Path, intact: tuple[Path, list[Event]]
) -> None:
    """Why the spelling matters: SQLite's JSON functions take the first of two keys."""
    _, events = intact
    forged = '{"text":"nothing to see","by":"bob","pinned":false,"text":"observation 4"}'
    report = _tamper_and_verify(copy, events, _set("payload", forged, 4))
    conn = sqlite3.connect(copy)
    try:
        seen_by_sqlite = conn.execute(
            "SELECT json_extract(payload, '$.text') FROM events WHERE incident_id = ? AND seq = 4",
            (INCIDENT,),
        ).fetchone()[0]
    finally:
        conn.close()
    assert seen_by_sqlite == "nothing to see"
    assert events[3].data == NoteAdded("observation 4", "bob")
    assert report.problem == "payload repeats the key 'text'"
