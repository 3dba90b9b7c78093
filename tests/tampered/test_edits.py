"""What `verify` catches when someone edits the file behind the log's back: edited,
deleted, swapped and forged events, a cut or rewritten tail, unreadable rows."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import msgspec.structs
import pytest

from incident.core.chain import event_hash
from incident.core.events import Event, NewEvent
from incident.core.payloads import ApprovalGranted, NoteAdded
from store import SqliteEventLog, StoreError
from tests.tampered.helpers import INCIDENT, START, Tamper, set_column, tamper_and_verify
from tests.tampering import event_row


def _insert(conn: sqlite3.Connection, row: tuple[object, ...]) -> None:
    conn.execute("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", row)


def _make_room_at(conn: sqlite3.Connection, seq: int) -> None:
    """Shift seq >= `seq` up by one (via negatives, as the key is unique)."""
    conn.execute(
        "UPDATE events SET seq = -(seq + 1) WHERE incident_id = ? AND seq >= ?", (INCIDENT, seq)
    )
    conn.execute("UPDATE events SET seq = -seq WHERE incident_id = ? AND seq < 0", (INCIDENT,))


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
            set_column("payload", '{"by":"bob","pinned":false,"text":"nothing to see"}', 4),
            4,
            "content does not match its hash",
            id="edit-payload",
        ),
        pytest.param(
            set_column("actor", "mallory", 6), 6, "content does not match its hash", id="actor"
        ),
        pytest.param(
            set_column("at", "2026-03-14T09:02:59.999Z", 2),
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
            set_column("payload", "{not json", 8),
            8,
            "unreadable event: payload is not JSON",
            id="junk",
        ),
        pytest.param(
            set_column("payload", '{"by":"bob","pinned":false,"text":4}', 4),
            4,
            "unreadable event: note.added field 'text' is int, not text",
            id="wrong-type",
        ),
        pytest.param(
            set_column("payload", '{"by":"alice","text":"observation 5"}', 5),
            5,
            "unreadable event: note.added field 'pinned' is missing",
            id="missing-field",
        ),
        pytest.param(
            set_column("payload", '{"by":"bob","n":6,"pinned":false,"text":"observation 6"}', 6),
            6,
            "unreadable event: note.added has an unknown field 'n'",
            id="unknown-field",
        ),
        pytest.param(
            set_column("kind", "note.deleted", 7),
            7,
            "unreadable event: unknown event kind 'note.deleted'",
            id="unknown-kind",
        ),
        pytest.param(
            set_column("kind", "rca.noted", 7),
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
    report = tamper_and_verify(copy, events, tamper)
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
    report = tamper_and_verify(copy, events, _delete(10))
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
    report = tamper_and_verify(copy, events, rechain)
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
    tamper_and_verify(copy, events, _rehashed_from_4(lambda e: msgspec.structs.replace(e, at=far)))
    with SqliteEventLog.open(copy, read_only=True) as log, pytest.raises(StoreError) as caught:
        log.events(INCIDENT)
    assert f"event 4: unreadable timestamp '{far.year:04d}-12-31T23:59:59.999Z'" in str(
        caught.value
    )


def test_unreadable_event_is_a_store_error_when_read(
    copy: Path, intact: tuple[Path, list[Event]]
) -> None:
    _, events = intact
    tamper_and_verify(copy, events, set_column("payload", "[1, 2]", 3))
    tamper_and_verify(copy, events, set_column("payload", '{"by":"bob","text":"x","pinned":1}', 6))
    with SqliteEventLog.open(copy, read_only=True) as log:
        assert len(log.events(INCIDENT, after_seq=6)) == 4
        with pytest.raises(StoreError, match="event 3: payload is not a JSON object"):
            log.events(INCIDENT)
        pinned = "event 6: note.added field 'pinned' is int, not true or false"
        with pytest.raises(StoreError, match=pinned):
            log.events(INCIDENT, after_seq=3)
