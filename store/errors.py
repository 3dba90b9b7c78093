"""The one exception the store lets out, so callers need not know about sqlite3."""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """The log cannot be opened, read or written.

    The message is a single line starting with the database path (or, for
    PostgreSQL, its URL without the password), because the CLI prints it as-is
    and a coordinator with several incident files open must see at once which
    one is at fault.
    """

    transient = False
    """Whether trying again later may work (`Unavailable`): read by the CLI, which
    gives such a failure its own exit status, without importing the store."""

    damaged = False
    """Whether the record itself is damaged (`DamagedFile`): a finding, exit 1, read by
    the CLI as `transient` is."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = path
        self.reason = " ".join(reason.split())
        super().__init__(f"{path}: {self.reason}")


class NotPermitted(StoreError):
    """The database refuses this for good, not for now: a PostgreSQL role without the
    right (SQLSTATE 42501), a read-only transaction or standby (25006), an SQLite file
    opened read-only. Trying again says the same; a lock wait or a lost connection
    is a plain `StoreError`, which passes."""


class Unavailable(StoreError):
    """The database cannot answer now, and may later: another writer held a SQLite
    file's lock past the busy timeout, the disk is full or failing, a PostgreSQL server
    is down, restarting, out of resources or did not answer in time. Trying again
    later may work, which a caller that runs unattended (a service's `monitor`) needs
    told apart from a refusal for good (`transient`)."""

    transient = True


class DamagedFile(StoreError):
    """SQLite finds the file's own structure damaged (a page it cannot read as a b-tree,
    a broken free list). A writer refuses such a file, as it refuses a chain that does
    not verify, and the CLI says so with exit 1, a finding."""

    damaged = True

    def __init__(self, path: Path | str, reason: str, *, finding: str | None = None) -> None:
        super().__init__(path, reason)
        self.finding = " ".join((finding or reason).split())
        """What SQLite found, alone (`verify` words its own line around it)."""
