"""States stored every N events: the rows the appends write, replay from them, verify
(the codec itself: `tests/test_state_codec.py`).

Real SQLite files. The sampled record (about 1,150 events, most of them probe ticks) is
written with a snapshot every 50 events (and its lists whole every tenth), so that one
small record has rows of every kind; `replay --at`'s answer is compared with the plain
fold of the events up to each moment, and `verify` is shown the forgeries it must find.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from incident import commands
from incident.app.replay import state_at_moment
from incident.core.clock import ManualClock
from incident.core.events import Event, format_timestamp
from incident.core.replay import state_at
from incident.core.state import fold
from store import SqliteEventLog, snapshots
from tests.golden.sampled import SampledRecord, sampled_record

EVERY = 50


@pytest.fixture(scope="module")
def sampled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SampledRecord]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(snapshots, "SNAPSHOT_EVERY", EVERY)
        record = sampled_record(tmp_path_factory.mktemp("snapshots") / "sampled.db")
        with sqlite3.connect(record.db) as conn:  # the -wal folded in: one file is the record
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        yield record


@pytest.fixture
def copy(sampled: SampledRecord, tmp_path: Path) -> Path:
    target = tmp_path / "copy.db"
    shutil.copyfile(sampled.db, target)
    return target


def _rows(db: Path, incident_id: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT seq, hash, base, layout, at, ordered, lists, rest FROM state_snapshots "
            "WHERE incident_id = ? ORDER BY seq",
            (incident_id,),
        ).fetchall()


def _raw(db: Path, sql: str, parameters: tuple[object, ...]) -> None:
    """Edit the file as another tool would (the append-only triggers dropped first)."""
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"):
            conn.execute(f'DROP TRIGGER "{name}"')
        conn.execute(sql, parameters)
    finally:
        conn.close()


# --- the rows the appends write, and replay from them ----------------------------------


def test_each_nth_event_appended_stores_the_state_after_it(sampled: SampledRecord) -> None:
    rows = _rows(sampled.db, sampled.incident_id)
    count = len(sampled.events)
    assert [row[0] for row in rows] == list(range(EVERY, count + 1, EVERY))
    assert [row[2] for row in rows] == [
        0 if seq % (EVERY * snapshots.WHOLE_EVERY) == 0 or seq == EVERY else seq - EVERY
        for seq, *_ in rows
    ]
    for seq, digest, *_ in rows:
        assert digest == sampled.events[seq - 1].hash
    with SqliteEventLog.open(sampled.db, read_only=True) as log:
        for seq, *_ in rows:
            start = log.replay_start(sampled.incident_id, sampled.events[seq - 1].at)
            assert start is not None and start.stored is not None
            assert start.stored.seq == seq
            assert start.stored.state == fold(sampled.events[:seq])


def _moments(events: list[Event]) -> list[datetime]:
    """Every 23rd event's time, a moment between it and the next, and the ends."""
    picked = events[::23] + events[-2:]
    return [e.at for e in picked] + [e.at + timedelta(milliseconds=1) for e in picked]


def test_replay_at_any_moment_is_the_fold_of_the_events_up_to_it(sampled: SampledRecord) -> None:
    events = sampled.events
    with SqliteEventLog.open(sampled.db, read_only=True) as log:
        for moment in _moments(events):
            replayed = state_at_moment(log, sampled.incident_id, moment)
            assert replayed.state == state_at(events, moment), moment
            assert replayed.report.ok
            upto = sum(1 for e in events if e.at <= moment)
            assert replayed.snapshot_seq == upto // EVERY * EVERY
            assert replayed.report.count >= upto  # the links checked reach the moment


def test_a_snapshot_whose_event_changed_is_not_used(sampled: SampledRecord, copy: Path) -> None:
    """A row names its event's hash: once it is not the event's, replay starts before it."""
    rows = _rows(copy, sampled.incident_id)
    seq = rows[3][0]
    _raw(copy, "UPDATE state_snapshots SET hash = ? WHERE seq = ?", ("0" * 64, seq))
    moment = sampled.events[seq + 5].at
    with SqliteEventLog.open(copy, read_only=True) as log:
        replayed = state_at_moment(log, sampled.incident_id, moment)
        assert replayed.snapshot_seq < seq
        assert replayed.state == state_at(sampled.events, moment)
        report = log.verify(sampled.incident_id)
    assert (report.ok, report.first_bad_seq) == (False, seq)
    assert "state snapshot at event" in report.problem


def test_a_snapshot_moved_to_an_earlier_time_is_not_used(
    sampled: SampledRecord, copy: Path
) -> None:
    """Its `at` says which moments it may stand for: one that is not its event's is ignored."""
    rows = _rows(copy, sampled.incident_id)
    whole = next(row for row in rows[2:] if row[2] == 0)  # read without the rows before it
    seq, early = whole[0], rows[1][4]
    _raw(copy, "UPDATE state_snapshots SET at = ? WHERE seq = ?", (early, seq))
    moment = sampled.events[rows[1][0] + 3].at
    with SqliteEventLog.open(copy, read_only=True) as log:
        replayed = state_at_moment(log, sampled.incident_id, moment)
    assert replayed.state == state_at(sampled.events, moment)
    assert replayed.snapshot_seq < seq


def test_an_event_edited_after_the_snapshot_is_reported_by_replay(
    sampled: SampledRecord, copy: Path
) -> None:
    seq = EVERY * 3 + 7
    _raw(copy, "UPDATE events SET actor = 'mallory' WHERE seq = ?", (seq,))
    with SqliteEventLog.open(copy, read_only=True) as log:
        replayed = state_at_moment(log, sampled.incident_id, sampled.events[seq + 2].at)
    assert replayed.snapshot_seq == EVERY * 3
    assert (replayed.report.ok, replayed.report.first_bad_seq) == (False, seq)
    assert replayed.report.problem == "content does not match its hash"


FORGED_NOTE = '["x","y","2026-11-28T09:00:00+00:00",false]'


@pytest.mark.parametrize(
    ("column", "edit"),
    [
        ("rest", lambda text: text.replace('"title":"', '"title":"not ', 1)),
        ("lists", lambda text: text.replace('"notes":[3,[', f'"notes":[3,[{FORGED_NOTE},', 1)),
        ("lists", lambda text: text.replace('"severity_history":[1,', '"severity_history":[0,', 1)),
        ("at", lambda text: text.replace("Z", "1Z")),
        ("ordered", lambda value: 0),
    ],
)
def test_verify_reports_a_forged_snapshot_at_its_event(
    sampled: SampledRecord, copy: Path, column: str, edit: Any
) -> None:
    rows = _rows(copy, sampled.incident_id)
    names = ["seq", "hash", "base", "layout", "at", "ordered", "lists", "rest"]
    at = names.index(column)
    forged = next(row for row in rows if row[2] != 0 and edit(row[at]) != row[at])
    value = edit(forged[at])
    _raw(copy, f"UPDATE state_snapshots SET {column} = ? WHERE seq = ?", (value, forged[0]))
    with SqliteEventLog.open(copy, read_only=True) as log:
        report = log.verify(sampled.incident_id)
    assert (report.ok, report.first_bad_seq) == (False, forged[0])
    assert report.problem == (
        f"the state snapshot at event {forged[0]} is not the fold of the events up to it "
        "(forged or stale)"
    )


def test_verify_reports_a_snapshot_of_an_event_not_recorded(
    sampled: SampledRecord, copy: Path
) -> None:
    last = _rows(copy, sampled.incident_id)[-1]
    beyond = len(sampled.events) + 10
    _raw(
        copy,
        "INSERT INTO state_snapshots VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (sampled.incident_id, beyond, *last[1:]),
    )
    with SqliteEventLog.open(copy, read_only=True) as log:
        report = log.verify(sampled.incident_id)
    assert (report.ok, report.first_bad_seq) == (False, beyond)
    assert report.problem == f"a state snapshot stands for event {beyond}, not recorded"


def test_an_intact_record_with_snapshots_verifies(sampled: SampledRecord) -> None:
    with SqliteEventLog.open(sampled.db, read_only=True) as log:
        assert log.verify(sampled.incident_id).ok


def test_a_time_that_goes_back_makes_replay_read_the_whole_record(
    sampled: SampledRecord, copy: Path
) -> None:
    """A wall clock set back: an event after the snapshot may be at or before the moment."""
    with (
        pytest.MonkeyPatch.context() as patch,
        SqliteEventLog.open(copy) as log,
    ):
        patch.setattr(snapshots, "SNAPSHOT_EVERY", EVERY)
        state = fold(log.events(sampled.incident_id))
        clock = ManualClock(sampled.events[100].at)  # before most of the record
        log.append([commands.add_note(state, "written late", actor="ada", clock=clock)])
        events = log.events(sampled.incident_id)
    moment = events[400].at
    with SqliteEventLog.open(copy, read_only=True) as log:
        assert log.replay_start(sampled.incident_id, moment) is None
        replayed = state_at_moment(log, sampled.incident_id, moment)
    assert replayed.snapshot_seq == 0
    assert replayed.state == state_at(events, moment)
    assert any(note.text == "written late" for note in replayed.state.notes)


def test_upgrading_a_version_3_file_stores_the_snapshots_the_appends_would_have(
    sampled: SampledRecord, copy: Path
) -> None:
    written = _rows(copy, sampled.incident_id)
    _raw(copy, "DROP TABLE state_snapshots", ())
    for column in ("template", "severity", "title"):  # version 6's
        _raw(copy, f"ALTER TABLE outbox DROP COLUMN {column}", ())
    _raw(copy, "UPDATE meta SET value = '3' WHERE key = 'schema_version'", ())
    with SqliteEventLog.open(copy, read_only=True) as log:  # read as it is: no snapshots
        moment = sampled.events[-1].at
        assert state_at_moment(log, sampled.incident_id, moment).state == sampled.state
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(snapshots, "SNAPSHOT_EVERY", EVERY)
        SqliteEventLog.open(copy).close()  # a writer upgrades it
    assert _rows(copy, sampled.incident_id) == written


def test_a_snapshot_that_cannot_be_made_never_stops_an_append(
    sampled: SampledRecord, copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A snapshot is a cache: whatever goes wrong making one, the events are recorded."""

    def broken(*args: object) -> None:
        raise RuntimeError("a bug in the codec")

    monkeypatch.setattr(snapshots, "SNAPSHOT_EVERY", EVERY)
    monkeypatch.setattr(snapshots, "encode_fields", broken)
    before = _rows(copy, sampled.incident_id)
    with SqliteEventLog.open(copy) as log:
        state = fold(log.events(sampled.incident_id))
        clock = ManualClock(sampled.events[-1].at)
        for n in range(EVERY):
            log.append([commands.add_note(state, f"note {n}", actor="ada", clock=clock)])
        assert log.last_seq(sampled.incident_id) == len(sampled.events) + EVERY
        assert log.verify(sampled.incident_id).ok
    assert _rows(copy, sampled.incident_id) == before


# --- kept as the events are (schema 5) -------------------------------------------------


def _plain(db: Path, sql: str, parameters: tuple[object, ...] = ()) -> str:
    """The one error `sql` gets from a plain `sqlite3` session, the triggers in place."""
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        with pytest.raises(sqlite3.IntegrityError) as caught:
            conn.execute(sql, parameters)
    finally:
        conn.close()
    return str(caught.value)


@pytest.mark.parametrize(
    "edit",
    [
        "UPDATE state_snapshots SET rest = '{}' WHERE seq = ?",
        "DELETE FROM state_snapshots WHERE seq = ?",
        "INSERT OR REPLACE INTO state_snapshots "
        "SELECT incident_id, seq, hash, base, layout, at, ordered, lists, '{}' "
        "FROM state_snapshots WHERE seq = ?",
    ],
    ids=["update", "delete", "replace"],
)
def test_plain_sql_cannot_change_or_remove_a_snapshot(
    sampled: SampledRecord, copy: Path, edit: str
) -> None:
    """What `replay --at` starts from: an edited row would change the state it shows
    (verify would find it, but only when someone runs verify)."""
    before = _rows(copy, sampled.incident_id)
    said = _plain(copy, edit, (before[3][0],))
    assert said == snapshots.SNAPSHOTS_APPEND_ONLY_MESSAGE
    assert _rows(copy, sampled.incident_id) == before
    with SqliteEventLog.open(copy, read_only=True) as log:
        assert log.verify(sampled.incident_id).ok


@pytest.mark.parametrize("names", ["a seq not recorded", "another hash", "another time"])
def test_a_snapshot_naming_no_recorded_event_is_refused(
    sampled: SampledRecord, copy: Path, names: str
) -> None:
    """Checked by the event's primary key, as the reader joins it; that its state is the
    fold's, only `verify` can tell (`test_verify_reports_a_forged_snapshot_at_its_event`)."""
    first = _rows(copy, sampled.incident_id)[0]
    unsnapped = sampled.events[first[0]]  # the event after the first snapshot's: none of its own
    seq, digest, at = unsnapped.seq, unsnapped.hash, format_timestamp(unsnapped.at)
    if names == "a seq not recorded":
        seq = len(sampled.events) + 10
    elif names == "another hash":
        digest = "0" * 64
    else:
        at = at.replace("Z", "1Z")
    said = _plain(
        copy,
        "INSERT INTO state_snapshots VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (sampled.incident_id, seq, digest, *first[2:4], at, *first[5:]),
    )
    assert said == snapshots.SNAPSHOT_NAMES_EVENT_MESSAGE
    # The row each case changes one column of is one the trigger lets in.
    row = (sampled.incident_id, unsnapped.seq, unsnapped.hash, *first[2:4])
    _insert_plainly(copy, (*row, format_timestamp(unsnapped.at), *first[5:]))


def _insert_plainly(db: Path, row: tuple[object, ...]) -> None:
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        conn.execute("INSERT INTO state_snapshots VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
    finally:
        conn.close()
