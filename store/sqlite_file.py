"""One connection to the lastgood file: opening it, guarding it, closing it.

The event log and the outbox are two views of the same file with the same
guarantees, so how the file is opened (created private, schema current, WAL),
how sqlite3 failures become a `StoreError` naming the file, and how calls and
write transactions are serialised live here once. The views add only their
queries.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import sqlite3
import stat
from _thread import allocate_lock  # threading's Lock, without loading threading
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import ClassVar, Self

from store.connection import (
    WriteLockTimeout,
    begin_immediate,
    connect,
    create_private_file,
    enable_wal,
)
from store.errors import DamagedFile, NotPermitted, StoreError, Unavailable
from store.file_identity import OpenedFiles
from store.permission import permission_denied
from store.schema import EMPTY, SchemaProblem, check_readable, stored_version, upgrade


def open_file(
    path: str | os.PathLike[str], *, read_only: bool, snapshot: bool = False, creating: bool = True
) -> tuple[Path, sqlite3.Connection]:
    """The absolute path and a connection to a file this code can use; or a StoreError.

    A writable opening creates the file (0600) or brings an older schema up to
    date; not `creating`, a file with no tables yet (empty) is refused as readers
    refuse it, before anything is written to it. It first runs SQLite's quick
    check and refuses a damaged file (`DamagedFile`): what it appended would be
    read back through the damage, or lost with it. A read-only opening never
    writes to the file, so it takes any version whose `events` layout is today's
    (`EVENTS_READABLE_SINCE` on) as it is, and refuses an older one, which it
    would have to upgrade.
    """
    location = Path(os.path.abspath(os.fspath(path)))
    try:
        _refuse_what_is_no_file(location, read_only=read_only)
        if not read_only:
            _refuse_a_stray_log(location)
            create_private_file(location)
        connection = connect(location, read_only=read_only, snapshot=snapshot)
    except OSError as exc:
        raise _denied(location, read_only) or _os_error(location, exc) from exc
    except sqlite3.Error as exc:
        raise _denied(location, read_only) or _open_error(location, exc) from exc
    # SQLite opens a file it may not write read-only, without a word: the first append
    # said "attempt to write a readonly database".
    if not read_only and not os.access(location, os.W_OK) and (denied := _denied(location, False)):
        connection.close()
        raise denied
    try:
        if read_only:
            check_readable(connection)
        else:
            _refuse_damage(location, connection)
            _prepare(location, connection, creating=creating)
    except BaseException as exc:
        connection.close()
        if isinstance(exc, SchemaProblem):
            raise StoreError(location, str(exc)) from exc
        if isinstance(exc, WriteLockTimeout):
            raise Unavailable(location, f"cannot open: {exc}") from exc
        if isinstance(exc, sqlite3.Error):
            raise _denied(location, read_only) or _open_error(location, exc) from exc
        raise
    return location, connection


def _denied(path: Path, read_only: bool) -> NotPermitted | None:
    """The opening's failure said as the permission that refused it, if one did."""
    said = permission_denied(path, writing=not read_only)
    return None if said is None else NotPermitted(path, said)


def _refuse_what_is_no_file(path: Path, *, read_only: bool) -> None:
    """One line for what is at `path` and cannot be a database file (a directory, a
    pipe, a link to nothing); nothing at all is refused only for a reader."""
    try:
        mode = os.stat(path).st_mode
    except PermissionError:
        raise  # a directory on the way refused: `_denied` says which
    except OSError as exc:
        if path.is_symlink():
            raise StoreError(path, "a symbolic link to nothing (or to itself)") from None
        if read_only and isinstance(exc, FileNotFoundError):
            raise StoreError(path, "no such database file") from None
        return  # not there (a writer creates it), or an error the opening will name
    if stat.S_ISDIR(mode):
        raise StoreError(path, "a directory, not a database file")
    if not stat.S_ISREG(mode):
        raise StoreError(path, "not a regular file (a pipe, a socket or a device)")


def _refuse_a_stray_log(path: Path) -> None:
    """Refuse to create a record where another one's write-ahead log is left.

    A `-wal` with no database beside it belongs to a file deleted or moved while it
    was open; SQLite would apply it to the new file (a `disk I/O error`, or pages of
    the old record in the new one) and the old record's last writes with it. Only a
    person can say where it belongs.
    """
    stray = Path(f"{path}-wal")
    if not path.exists() and stray.exists():
        raise StoreError(
            path,
            f"{stray.name} is left here from a record that was deleted or moved while "
            "open; move it beside that record's file (or away) before creating a new one",
        )


SALVAGE = (
    "`sqlite3 FILE .recover | sqlite3 NEW.db` salvages the rows (`.dump` where "
    "`.recover` is missing), then record with --db NEW.db"
)
"""What to do with a file a writer refused as damaged."""

_WHERE = re.compile(r"\*\*\* in database \w+ \*\*\*\s*")
"""The heading quick_check puts before its first finding in a file."""


def check_findings(rows: list[tuple[object, ...]]) -> list[str]:
    """What `PRAGMA quick_check` or `integrity_check` answered, a finding a line: a row
    may hold several, under a `*** in database main ***` heading said of every file."""
    lines = (line for row in rows for line in _WHERE.sub("", str(row[0])).splitlines())
    return [" ".join(line.split()) for line in lines if line.strip()]


_CHECKED: set[tuple[int, int, int, int]] = set()
"""The files this process found sound, as they were on disk (`_as_checked`): a verb
that records and then delivers, and the screen's record and outbox, open one file
twice, and each opening read every page of it again."""


def _as_checked(path: Path) -> tuple[int, int, int, int] | None:
    """The file as the check saw it: device, inode, size and modification time. Its
    own appends go to the write-ahead log; a write to its pages (a checkpoint, damage)
    moves the time, and the next opening checks it again."""
    try:
        seen = os.stat(path)
    except OSError:
        return None
    return seen.st_dev, seen.st_ino, seen.st_size, seen.st_mtime_ns


def quick_check(connection: sqlite3.Connection) -> list[tuple[object, ...]]:
    """SQLite's quick check of the file `connection` has open: `[("ok",)]` when sound."""
    return connection.execute("PRAGMA quick_check(3)").fetchall()


def _refuse_damage(path: Path, connection: sqlite3.Connection) -> None:
    """Refuse a file whose pages SQLite finds damaged, before anything is written.

    `PRAGMA quick_check` reads every page once and checks each b-tree's shape and
    the free list, not that each index agrees with its table (`verify`'s integrity
    check does): linear in the file, about 0.7 ms per 1,000 events with the pages
    cached (`bench/write_check.py`). Without it a writer appended through a damaged
    index page or beside a damaged table, said `recorded`, and only `verify` knew.
    """
    seen = _as_checked(path)
    if seen is not None and seen in _CHECKED:
        return
    try:
        rows = quick_check(connection)
    except sqlite3.DatabaseError as error:
        if getattr(error, "sqlite_errorcode", -1) & 0xFF != sqlite3.SQLITE_CORRUPT:
            raise  # not a database at all, a lock, an I/O error: said as before
        found = [str(error)]
    else:
        found = check_findings(rows)
        if found == ["ok"]:
            if seen is not None:
                _CHECKED.add(seen)
            return
    problem = "; ".join(found)
    raise DamagedFile(
        path,
        f"DAMAGED FILE: SQLite's quick check says {problem}; nothing was recorded: {SALVAGE}",
    )


def _prepare(path: Path, connection: sqlite3.Connection, *, creating: bool) -> None:
    """Create or migrate the schema, then switch to WAL.

    The schema check comes first so that a file we must refuse (someone
    else's database, a newer lastgood's, an empty one when not `creating`) is
    not switched to WAL, or given tables, by us.
    """
    begin_immediate(connection)
    try:
        if not creating and stored_version(connection) == 0:
            raise SchemaProblem(EMPTY)
        upgrade(connection)
        connection.execute("COMMIT")
    except BaseException:
        _rollback_quietly(connection)
        raise
    mode = enable_wal(connection)
    if mode != "wal":
        raise StoreError(path, f"cannot use a WAL journal here (SQLite kept {mode!r})")


def _rollback_quietly(connection: sqlite3.Connection) -> None:
    """Undo a failed transaction without hiding why it failed."""
    if connection.in_transaction:
        with contextlib.suppress(sqlite3.Error):
            connection.execute("ROLLBACK")


def _open_error(path: Path, exc: sqlite3.Error) -> StoreError:
    """Say whether the file is the problem (wrong or damaged) or the access to it."""
    if isinstance(exc, sqlite3.OperationalError) or not isinstance(exc, sqlite3.DatabaseError):
        if exc.sqlite_errorcode & 0xFF == sqlite3.SQLITE_IOERR and _disk_full(path):
            return Unavailable(path, f"cannot open: the disk is full ({exc})")
        if exc.sqlite_errorcode & 0xFF == sqlite3.SQLITE_CANTOPEN and not os.access(
            path.parent, os.W_OK
        ):
            return StoreError(path, f"cannot open for writing: its directory is read-only ({exc})")
        return _for_now_or_good(exc)(path, f"cannot open: {exc}")
    from store.cut_short import cut_short  # a file that failed to open: not `status`'s path
    from store.export_file import is_export

    if exc.sqlite_errorname.startswith("SQLITE_CORRUPT"):
        short = cut_short(path)
        said = f"{short}; SQLite says {exc}" if short else f"SQLite cannot read it ({exc})"
        return DamagedFile(path, f"DAMAGED FILE: {said}; {SALVAGE}", finding=str(exc))
    if is_export(path):
        return StoreError(path, EXPORT_GIVEN)
    return StoreError(path, f"not a lastgood database ({exc})")


EXPORT_GIVEN = (
    "a lastgood JSON export (export --format json), not a database: `lastgood verify "
    "--export FILE` checks its chain, `lastgood export --export FILE` and `lastgood "
    "timeline --export FILE` write its report and timeline; the other verbs need the "
    "database file it was exported from"
)
"""What a verb given an export where a database goes says (`--db report.json`)."""


FOR_NOW = frozenset(
    (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR)
)
"""SQLite's primary codes for a file that may answer later: a lock held, a full disk,
an I/O error (a disk failing, a network file system away)."""


def _for_now_or_good(exc: BaseException) -> type[StoreError]:
    """`Unavailable` for a failure that may pass (another writer's lock held past the
    busy timeout, a full disk, an I/O error), else `StoreError`."""
    if isinstance(exc, WriteLockTimeout):
        return Unavailable
    code = getattr(exc, "sqlite_errorcode", None)
    return Unavailable if code is not None and code & 0xFF in FOR_NOW else StoreError


def _disk_full(path: Path) -> bool:
    """Whether the file system holding `path` has no block left for SQLite's `-shm`,
    which SQLite reports only as a "disk I/O error"."""
    try:
        return os.statvfs(path.parent).f_bavail == 0
    except OSError:
        return False


def _os_error(path: Path, exc: OSError) -> StoreError:
    reason = exc.strerror or str(exc)
    if exc.filename and Path(exc.filename) != path:
        reason = f"{reason}: {exc.filename}"
    error = Unavailable if exc.errno in (errno.ENOSPC, errno.EIO) else StoreError
    return error(path, f"cannot create: {reason}")


def _opened_files(path: Path, connection: sqlite3.Connection) -> OpenedFiles | None:
    """What to watch at `path`: nothing for a private copy in memory (read-only media,
    `store.connection._private_snapshot`), the file for a reader, and its `-wal` too
    for a writer."""
    try:
        (_, _, file), *_ = connection.execute("PRAGMA database_list").fetchall()
        (query_only,) = connection.execute("PRAGMA query_only").fetchone()
    except sqlite3.Error as exc:
        connection.close()
        raise _open_error(path, exc) from exc
    if not file:
        return None
    return OpenedFiles(path, writer=not query_only)


class SqliteFile:
    """A view of the file over one connection; calls from several threads take turns."""

    _noun: ClassVar[str] = "database"
    """What a "closed" error calls this view: the log, the outbox."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self._path = path
        self._connection: sqlite3.Connection | None = connection
        self._lock = allocate_lock()
        self._opened: OpenedFiles | None = _opened_files(path, connection)
        """The files the connection reads, to notice them gone (None: a private copy)."""

    @property
    def path(self) -> Path:
        """The database file, as an absolute path."""
        return self._path

    @contextlib.contextmanager
    def _using(self, action: str) -> Iterator[sqlite3.Connection]:
        """The connection, under the lock, with sqlite3 errors made StoreErrors."""
        with self._lock:
            if self._connection is None:
                raise StoreError(self._path, f"{action}: the {self._noun} is closed")
            if self._opened is not None and (gone := self._opened.gone()):
                raise StoreError(self._path, f"{action}: {gone}")
            try:
                yield self._connection
            except (sqlite3.Error, WriteLockTimeout) as exc:
                code = getattr(exc, "sqlite_errorcode", None)  # READONLY and its extended codes
                refused = code is not None and code & 0xFF == sqlite3.SQLITE_READONLY
                error = NotPermitted if refused else _for_now_or_good(exc)
                raise error(self._path, f"{action}: {exc}") from exc

    @contextlib.contextmanager
    def _writing(self, action: str) -> Iterator[sqlite3.Connection]:
        """One `BEGIN IMMEDIATE` transaction, committed (durably) on leaving.

        IMMEDIATE takes the write lock before the first read, so what is read
        inside cannot change before the write: another process waits its turn.
        """
        with self._using(action) as connection:
            begin_immediate(connection)
            try:
                yield connection
                connection.execute("COMMIT")
            except BaseException:
                _rollback_quietly(connection)
                raise

    def close(self) -> None:
        """Close the connection; further calls raise StoreError. Safe to repeat."""
        with self._lock:
            connection, self._connection = self._connection, None
        if connection is not None:
            try:
                connection.close()
            except sqlite3.Error as exc:
                raise StoreError(self._path, f"cannot close: {exc}") from exc

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
