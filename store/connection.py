"""Opening the SQLite file with the settings the record's guarantees depend on.

Every connection gets `synchronous=FULL` (a commit is on disk when it returns),
`foreign_keys=ON` and a busy timeout, so that a second writer — the CLI
recording a deploy step while the TUI is open — waits its turn instead of
failing. Writable connections also switch the file to WAL, so readers such as a
live "attach" view never block the writer and the writer never blocks them.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

BUSY_TIMEOUT_MS = 5000
"""How long a writer waits for another writer's transaction before giving up."""


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
    """
    target = f"{path.absolute().as_uri()}?mode=ro" if read_only else str(path.absolute())
    if read_only and snapshot and not path.with_name(path.name + "-wal").exists():
        target += "&immutable=1"
    connection = sqlite3.connect(
        target,
        uri=read_only,
        isolation_level=None,
        timeout=BUSY_TIMEOUT_MS / 1000,
        check_same_thread=False,
    )
    try:
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA synchronous = FULL")
        connection.execute("PRAGMA foreign_keys = ON")
        if read_only:
            connection.execute("PRAGMA query_only = ON")
    except BaseException:
        connection.close()
        raise
    return connection


def enable_wal(connection: sqlite3.Connection) -> str:
    """Switch a writable file to WAL; returns the mode SQLite actually chose."""
    row = connection.execute("PRAGMA journal_mode = WAL").fetchone()
    return str(row[0]).lower()
