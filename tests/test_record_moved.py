"""A record taken from under an open view refuses the next call instead of acknowledging it.

A TUI holds its SQLite file open for the whole incident. When the file is deleted,
moved or replaced under it, SQLite goes on writing through the descriptor it holds,
into a file no one will find again, and says nothing; when the `-wal` is deleted,
the next writer starts a separate log. Each case here is a real file on disk, as a
cleanup script or a careless `mv` leaves it: the open view must refuse, in one line,
and what was recorded before must be where the file went.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from store.errors import StoreError
from store.sqlite_log import SqliteEventLog
from tests.store_helpers import new_event

GONE = "the database file was deleted, moved or replaced after it was opened"


def notes(log: SqliteEventLog, incident: str = "inc-1") -> list[str]:
    return [str(getattr(event.data, "text", "")) for event in log.events(incident)]


def refused(call: object, path: Path, action: str, why: str) -> None:
    assert callable(call)
    with pytest.raises(StoreError) as refusal:
        call()
    message = str(refusal.value)
    assert message.startswith(f"{path}: {action}: {why}"), message
    assert "\n" not in message


def test_a_moved_file_refuses_the_next_write_and_read_and_keeps_what_was_recorded(
    tmp_path: Path,
) -> None:
    path, moved = tmp_path / "r.db", tmp_path / "archive" / "r.db"
    moved.parent.mkdir()
    with SqliteEventLog.open(path) as log:
        log.append([new_event(n=1)])
        os.rename(path, moved)
        refused(lambda: log.append([new_event(n=2)]), path, "cannot append to incident inc-1", GONE)
        refused(lambda: log.events("inc-1"), path, "cannot read incident inc-1", GONE)
    # SQLite could not write its log back into a file that moved: the log was set
    # aside, and put beside the file it belongs to, it brings back what was recorded.
    (orphaned,) = tmp_path.glob("r.db-wal.orphaned-*")
    os.rename(orphaned, Path(f"{moved}-wal"))
    with SqliteEventLog.open(moved, read_only=True) as kept:
        assert notes(kept) == ["note 1"]
        assert kept.verify("inc-1").ok


def test_a_deleted_file_refuses_the_next_write(tmp_path: Path) -> None:
    path = tmp_path / "r.db"
    with SqliteEventLog.open(path) as log:
        log.append([new_event(n=1)])
        path.unlink()
        refused(lambda: log.append([new_event(n=2)]), path, "cannot append to incident inc-1", GONE)


def test_a_file_replaced_by_another_record_is_left_as_it_is(tmp_path: Path) -> None:
    path, other = tmp_path / "r.db", tmp_path / "other.db"
    with SqliteEventLog.open(other) as theirs:
        theirs.append([new_event("inc-2", n=1)])
    with SqliteEventLog.open(path) as log:
        log.append([new_event(n=1)])
        os.replace(other, path)
        refused(lambda: log.append([new_event(n=2)]), path, "cannot append to incident inc-1", GONE)
    with SqliteEventLog.open(path, read_only=True) as now_there:
        assert notes(now_there, "inc-2") == ["note 1"]
        assert now_there.incident_ids() == ["inc-2"]
        assert now_there.verify("inc-2").ok


def test_a_deleted_write_ahead_log_stops_the_writer_that_used_it(tmp_path: Path) -> None:
    """After `rm r.db-wal r.db-shm`, a second writer would start a log of its own: the
    first must not acknowledge anything more (each side's writes are lost to the other)."""
    path = tmp_path / "r.db"
    with SqliteEventLog.open(path) as log:
        log.append([new_event(n=1)])
        Path(f"{path}-wal").unlink()
        Path(f"{path}-shm").unlink()
        refused(
            lambda: log.append([new_event(n=2)]),
            path,
            "cannot append to incident inc-1",
            "r.db-wal was deleted or replaced while the record was open",
        )


def test_a_reader_is_not_stopped_by_a_writer_that_comes_and_goes(tmp_path: Path) -> None:
    """The `-wal` is SQLite's to delete when the last writer closes; only a writer's
    own log is watched, so an `attach` view outlives the writers it follows."""
    path = tmp_path / "r.db"
    with SqliteEventLog.open(path) as writer:
        writer.append([new_event(n=1)])
    with SqliteEventLog.open(path, read_only=True) as reader:
        assert notes(reader) == ["note 1"]
        for n in (2, 3):
            with SqliteEventLog.open(path) as writer:
                writer.append([new_event(n=n)])
            assert notes(reader) == ["note 1", "note 2", "note 3"][:n]


def test_a_new_record_is_not_made_where_a_deleted_one_left_its_log(tmp_path: Path) -> None:
    """`rm r.db` under a writer, then `lastgood declare` at the same path: SQLite would
    apply the old log to the new file (a traceback, `disk I/O error`, in the review)."""
    path = tmp_path / "r.db"
    with SqliteEventLog.open(path) as log:
        log.append([new_event(n=1)])
        path.unlink()
        with pytest.raises(StoreError) as refusal:
            SqliteEventLog.open(path)
        assert str(refusal.value) == (
            f"{path}: r.db-wal is left here from a record that was deleted or moved while "
            "open; move it beside that record's file (or away) before creating a new one"
        )
        assert not path.exists()
