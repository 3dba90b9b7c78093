"""The SQLite file itself: private on creation, schema versions, damaged or foreign files,
read-only media, and where it lives by default."""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from incident.core.chain import GENESIS_HASH
from incident.core.payloads import NoteAdded
from store import SCHEMA_VERSION, SqliteEventLog, StoreError, default_db_path
from tests.cli_helpers import Cli
from tests.store_helpers import digest, new_event, one_line_naming, raw


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


@pytest.mark.parametrize("read_only", [False, True])
def test_garbage_file_is_a_store_error_naming_it(tmp_path: Path, read_only: bool) -> None:
    garbage = tmp_path / "notes.txt"
    garbage.write_bytes(b"this is not a database\n" * 200)
    before = digest(garbage)
    with pytest.raises(StoreError) as caught:
        SqliteEventLog.open(garbage, read_only=read_only)
    message = one_line_naming(caught.value, garbage)
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
    assert "malformed" in one_line_naming(caught.value, truncated)


@pytest.mark.parametrize("read_only", [False, True])
def test_foreign_sqlite_file_is_refused(tmp_path: Path, read_only: bool) -> None:
    foreign = tmp_path / "other.db"
    with raw(foreign) as conn:
        conn.execute("CREATE TABLE bookmarks (url TEXT)")
    with pytest.raises(StoreError, match="not a lastgood database") as caught:
        SqliteEventLog.open(foreign, read_only=read_only)
    one_line_naming(caught.value, foreign)
    with raw(foreign) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)


def test_unwritable_location_is_a_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(StoreError) as caught:
        SqliteEventLog.open(blocker / "lastgood.db")
    one_line_naming(caught.value, blocker / "lastgood.db")


def test_read_only_needs_an_existing_file(db_path: Path) -> None:
    with pytest.raises(StoreError, match="no such database file"):
        SqliteEventLog.open(db_path, read_only=True)
    assert not db_path.exists()


@pytest.mark.parametrize("read_only", [True, False])
def test_a_directory_is_said_to_be_one(tmp_path: Path, read_only: bool) -> None:
    """Read-only it was "no such database file"; writable, SQLite's "unable to open"."""
    with pytest.raises(StoreError) as caught:
        SqliteEventLog.open(tmp_path, read_only=read_only)
    assert str(caught.value) == f"{tmp_path}: a directory, not a database file"


@pytest.mark.parametrize(
    "verb",
    [
        ("verify", "INC-1"),
        ("declare", "--title", "t", "--severity", "SEV3", "--commander", "Ada"),
        ("list",),  # was "no incidents yet", exit 0, for the looping link
    ],
)
@pytest.mark.parametrize(
    ("make", "said"),
    [
        (os.mkfifo, "not a regular file (a pipe, a socket or a device)"),
        (lambda path: os.symlink(path.name, path), "a symbolic link to nothing (or to itself)"),
    ],
    ids=["fifo", "symlink-loop"],
)
def test_a_pipe_or_a_looping_link_is_said_to_be_one(
    tmp_path: Path, make: Callable[[Path], None], said: str, verb: tuple[str, ...]
) -> None:
    """A pipe was "disk I/O error" to a writer and "no such database file" to `verify`;
    a link to itself was "no database here yet"."""
    path = tmp_path / "r.db"
    make(path)
    done = Cli(path, actor="Ada").run(*verb)
    assert (done.code, done.err) == (2, f"lastgood {verb[0]}: {path}: {said}\n")


def test_migrate_says_what_is_at_its_source_as_the_other_verbs_do(tmp_path: Path) -> None:
    """A looping link and a directory were both "no such database file" to migrate."""
    loop, directory = tmp_path / "loop.db", tmp_path / "dir.db"
    os.symlink(loop.name, loop)
    directory.mkdir()
    cli = Cli(tmp_path / "unused.db")
    for source, said in (
        (loop, "a symbolic link to nothing (or to itself)"),
        (directory, "a directory, not a database file"),
        (tmp_path / "absent.db", "no such database file"),
    ):
        done = cli.run("migrate", "--from", str(source), "--to", "postgresql://nowhere/db")
        assert done.code == 2 and said in done.err and done.err.count("\n") == 1, done.err


@pytest.mark.parametrize("stored", ["0", "-1"])
def test_a_version_below_the_first_is_one_line_for_every_verb(tmp_path: Path, stored: str) -> None:
    """`-1` ended a writer in a traceback (`MIGRATIONS[0]`), and `0` on a file holding an
    incident was called "empty" by readers and "table meta already exists" by writers."""
    cli = Cli(tmp_path / "incidents.db")
    incident_id = cli.ok(
        "declare", "--title", "Damaged", "--severity", "SEV2", "--commander", "Ada"
    ).strip()
    with raw(cli.db) as conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [stored])
    for verb in (("note", incident_id, "x"), ("verify", incident_id), ("status", incident_id)):
        done = cli.run(*verb)
        assert done.code == 2, (verb, done.err)
        assert done.err == (
            f"lastgood {verb[0]}: {cli.db}: unreadable schema_version '{stored}' "
            "(versions begin at 1)\n"
        )


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


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (
            {"LASTGOOD_DB": "/srv/inc.db", "XDG_DATA_HOME": "/xdg", "HOME": "/home/u"},
            "/srv/inc.db",
        ),
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
