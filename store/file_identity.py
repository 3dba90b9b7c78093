"""Whether the path a record was opened at still names the file the connection uses.

SQLite writes through the file descriptors it opened. When someone deletes, moves or
replaces the file under a running app (a cleanup script, `mv` to archive it, a copy
restored over it), every later write goes to a file no one will find again, and is
acknowledged all the same; when the `-wal` beside it is deleted, the next process
to open the record starts a log of its own, and each side's writes are lost to the
other. Neither is an error SQLite reports. So each call first compares the files at
the path with those opened (device and inode), and a record that has gone from
under its view refuses in one line instead of acknowledging what it cannot keep.
"""

from __future__ import annotations

import os
from pathlib import Path

Identity = tuple[int, int] | None
"""A file's device and inode, or None when nothing is at the path."""


def identity_of(path: Path) -> Identity:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return (found.st_dev, found.st_ino)


class OpenedFiles:
    """The record's file, and its write-ahead log for a writer, as first seen."""

    def __init__(self, path: Path, *, writer: bool) -> None:
        self._path = path
        self._file = identity_of(path)
        self._wal_path = Path(f"{path}-wal")
        self._writer = writer
        self._wal: Identity = identity_of(self._wal_path) if writer else None

    def gone(self) -> str | None:
        """Why the path no longer names what was opened, or None while it does."""
        if identity_of(self._path) != self._file:
            return (
                "the database file was deleted, moved or replaced after it was opened; "
                "nothing more is recorded here: open the record where it is now" + self._set_aside()
            )
        if not self._writer:
            return None
        wal = identity_of(self._wal_path)
        if self._wal is None:
            self._wal = wal  # SQLite makes it at the first read after switching to WAL
        elif wal != self._wal:
            return (
                f"{self._wal_path.name} was deleted or replaced while the record was open, "
                "so another writer may keep a separate copy; nothing more is recorded here: "
                "quit, then open the record again"
            )
        return None

    def _set_aside(self) -> str:
        """Move this writer's `-wal` away from a path that names another file now.

        SQLite leaves the log of a file that moved when it closes (it cannot write it
        back), and whoever opens the path next applies it to the file they find there:
        a record restored over a live one took the live one's pages. Renamed, it is
        kept (what it holds is what was recorded since the last write-back) and
        harms nothing. Said once, by the call that found the file gone.
        """
        if not self._writer or self._wal is None or identity_of(self._wal_path) != self._wal:
            return ""
        kept = self._wal_path.with_name(f"{self._wal_path.name}.orphaned-{self._wal[1]}")
        try:
            os.rename(self._wal_path, kept)
        except OSError:
            return ""
        return f" (its unsaved log is kept as {kept.name}, away from the file there now)"
