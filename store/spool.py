"""One small file per incident holding what a screen could not record yet.

While the record is unreachable (another process holds a SQLite file's write lock,
PostgreSQL is stopped) the coordinator's screen keeps what it could not record: a
command step's run, a note. Kept in memory alone, a killed screen (SIGKILL, a closed
terminal, a dropped SSH session) lost it. So each change is written here at once:
the whole file written beside its place, fsync'd, renamed over it and the directory
fsync'd, so a crash leaves the old file or the new one, never half of one. The file
is removed once everything in it is recorded.

This module moves bytes; what they hold is `incident.app.kept`'s. Changes from two
screens of one user take turns under an advisory lock (`flock`) on a file beside.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,80}")


class SpoolFile:
    """The spool `name`.json in `directory` (created 0700, its files 0600)."""

    def __init__(self, directory: Path, name: str) -> None:
        if not _SAFE.fullmatch(name):  # ids are INC-YYYYMMDD-XXXX; a name is never a path
            import hashlib  # here: OpenSSL's hashing costs `status` 3.7 ms to load

            name = "incident-" + hashlib.sha256(name.encode()).hexdigest()
        self.directory = directory
        self.path = directory / f"{name}.json"
        """The file itself; absent when nothing is kept."""
        self._lock = directory / f".{name}.lock"

    @classmethod
    def of(cls, directory: Path, incident_id: str, declared_at: datetime) -> SpoolFile:
        """An incident's: `INC-20261207-4A40-1765105200123.json`, its id and when it was
        declared (ms), as another record may hold an incident with the same id."""
        return cls(directory, f"{incident_id}-{int(declared_at.timestamp() * 1000)}")

    def read(self) -> bytes | None:
        """What it holds; None when there is no file. OSError if it cannot be read."""
        try:
            return self.path.read_bytes()
        except FileNotFoundError:
            return None

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Another screen's change to this file waits for this one's."""
        import fcntl  # a reader (`status`, `brief`) never locks

        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(self._lock, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # and with it the lock

    def update(self, change: Callable[[bytes | None], bytes | None]) -> None:
        """Replace what it holds with `change(what it holds)`; None removes the file."""
        with self.locked():
            new = change(self.read())
            if new is None:
                self.remove()
            else:
                self.write(new)

    def write(self, data: bytes) -> None:
        """All of `data` or the file as it was, durable when this returns."""
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        part = self.path.with_name(f".{self.path.name}.{os.getpid()}.part")
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(part, self.path)
        self._sync_directory()

    def remove(self) -> None:
        """Nothing kept any more (durably: a crash after this does not bring it back)."""
        try:
            self.path.unlink()
        except FileNotFoundError:
            return
        self._sync_directory()

    def set_aside(self) -> Path:
        """A file that does not read as a spool, renamed beside it (never deleted):
        `INC-….json.damaged`, or `.damaged-2` and so on if that is taken. Its new path."""
        n = 1
        while True:
            suffix = ".damaged" if n == 1 else f".damaged-{n}"
            aside = self.path.with_name(self.path.name + suffix)
            if not aside.exists():
                os.replace(self.path, aside)
                self._sync_directory()
                return aside
            n += 1

    def _sync_directory(self) -> None:
        fd = os.open(self.directory, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
