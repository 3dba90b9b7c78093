"""Opening the SQLite file with the settings the record's guarantees depend on.

Every connection gets `synchronous=FULL` (a commit is on disk when it returns),
`foreign_keys=ON`, `recursive_triggers=ON` and a busy timeout. Writable
connections also switch the file to WAL, so readers such as a live "attach" view
never block the writer and the writer never blocks them.

Writers take turns through `begin_immediate`, not through SQLite's busy
handler: that handler sleeps in steps growing to 100 ms, so a writer waiting
behind busy ones wakes up mostly while the lock is taken again, and under a
steady stream of appends (8 processes appending in a loop) one waited the whole
5 s and failed with "database is locked" while the others went on. Polling
every millisecond or two gives every waiter the same chance at each release.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from pathlib import Path

BUSY_TIMEOUT_MS = 5000
"""How long a read waits for a lock (only WAL recovery or cleanup takes one from a reader)."""

WRITE_WAIT_S = 10.0
"""How long a writer waits for its turn before the append fails with a one-line error.

Twice SQLite's old 5 s, and some 30 times the longest wait measured with 8
writers in tight loops (`bench/write_contention.py`); short enough that a
writer stuck behind a hung process or a foreign tool's long transaction hears
about it while the coordinator is still looking."""


class WriteLockTimeout(Exception):
    """Other writers held the file for all of `WRITE_WAIT_S`."""


def create_private_file(path: Path) -> None:
    """Create the database file owner-only, before SQLite can create it 0644.

    SQLite gives its -wal and -shm files the main file's permissions, so
    getting the main file right keeps the whole record private. An existing
    file is left as it is; losing a creation race to another process is fine.
    """
    if path.exists():
        return
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    os.close(descriptor)
    _sync_directory(path.parent)


def _sync_directory(directory: Path) -> None:
    """Make the new directory entry durable, not just the file's contents."""
    with contextlib.suppress(OSError):  # not every platform can open directories
        descriptor = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def connect(path: Path, *, read_only: bool, snapshot: bool = False) -> sqlite3.Connection:
    """A connection with our pragmas applied; raises sqlite3 errors untranslated.

    `isolation_level=None` hands transaction control to the caller, who issues
    `BEGIN IMMEDIATE` for appends. Read-only connections use `mode=ro` rather
    than `immutable=1`: immutable would skip locking and the WAL, and so miss
    what a live writer appends after we opened.

    `snapshot` is for reading once and closing (replay, evidence): when no writer
    has the file open (no `-wal` beside it), `immutable=1` keeps SQLite from
    creating the `-wal` and `-shm` files, so the directory is left exactly as it was.

    Where SQLite could not keep its `-shm` beside the file (read-only media, a
    read-only directory or files: evidence), a read-only connection reads a
    private snapshot instead; see `_private_snapshot`.
    """
    if read_only and not _shareable(path):
        connection = _private_snapshot(path)
    else:
        connection = sqlite3.connect(
            _target(path, read_only=read_only, snapshot=snapshot),
            uri=read_only,
            isolation_level=None,
            timeout=BUSY_TIMEOUT_MS / 1000,
            check_same_thread=False,
        )
    try:
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA synchronous = FULL")
        connection.execute("PRAGMA foreign_keys = ON")
        # The delete trigger fires on the delete inside INSERT OR REPLACE only with this on.
        connection.execute("PRAGMA recursive_triggers = ON")
        if read_only:
            connection.execute("PRAGMA query_only = ON")
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError as exc:
        connection.close()
        if read_only and exc.sqlite_errorcode & 0xFF == sqlite3.SQLITE_IOERR:
            # SQLite could not make its `-shm` beside the file (a full disk): a reader
            # needs nothing written, so it reads the file as it stands instead.
            return _private_snapshot(path)
        raise
    except BaseException:
        connection.close()
        raise
    return connection


def _target(path: Path, *, read_only: bool, snapshot: bool) -> str:
    if not read_only:
        return str(path.absolute())
    target = f"{path.absolute().as_uri()}?mode=ro"
    if snapshot and not _wal(path).exists():
        target += "&immutable=1"
    return target


def _wal(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


def _shareable(path: Path) -> bool:
    """Whether a read-only connection may use the file in place, beside any writer.

    SQLite's WAL reader needs a writable `-shm` (created if missing) and opens
    the `-wal`; `os.access` says no on a read-only mount even to root.
    """
    if not os.access(path.parent, os.W_OK | os.X_OK):
        return False
    siblings = (path, _wal(path), path.with_name(path.name + "-shm"))
    return all(os.access(p, os.W_OK) for p in siblings if p.exists())


def _private_snapshot(path: Path) -> sqlite3.Connection:
    """The file as it stands, read without writing anything beside it.

    Without a `-wal` the file alone is the record: `immutable=1` reads it in
    place, taking no locks and creating nothing. With one (a copy taken while a
    writer was live), its events count too, and `immutable=1` would ignore
    them: the file and its `-wal` are copied to a private temporary directory,
    SQLite reads them there into memory, and the copies are removed at once.
    """
    import shutil  # here: with tempfile, a tenth of `lastgood status` otherwise
    import tempfile

    uri = f"{path.absolute().as_uri()}?mode=ro&immutable=1"
    wal = _wal(path)
    if not wal.exists() or wal.stat().st_size == 0:
        return sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    memory = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    try:
        with tempfile.TemporaryDirectory(prefix="lastgood-snapshot-") as scratch:
            copy = Path(scratch) / path.name
            shutil.copyfile(path, copy)
            shutil.copyfile(wal, _wal(copy))
            source = sqlite3.connect(copy, isolation_level=None)
            try:
                source.backup(memory)
            finally:
                source.close()
    except BaseException:
        memory.close()
        raise
    return memory


def enable_wal(connection: sqlite3.Connection) -> str:
    """Switch a writable file to WAL; returns the mode SQLite actually chose."""
    row = connection.execute("PRAGMA journal_mode = WAL").fetchone()
    return str(row[0]).lower()


def begin_immediate(connection: sqlite3.Connection) -> None:
    """`BEGIN IMMEDIATE`, retried every 0.5-2 ms while another writer holds the lock.

    The busy handler is off during the attempts (each must fail at once so the
    next comes soon) and restored after. Raises WriteLockTimeout past
    `WRITE_WAIT_S`; other sqlite3 errors pass through.
    """
    wait_s = WRITE_WAIT_S
    deadline = time.monotonic() + wait_s
    connection.execute("PRAGMA busy_timeout = 0")
    try:
        while True:
            try:
                connection.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if exc.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY:
                    raise
            if time.monotonic() >= deadline:
                raise WriteLockTimeout(
                    f"other writers held the database for {wait_s:g} s; nothing was written"
                )
            import random  # here: only a writer that found the lock taken waits

            time.sleep(random.uniform(0.0005, 0.002))  # jitter, so waiters do not poll in step
    finally:
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
