"""The incident record: `EventLog` on a single SQLite file.

One `append` is one `BEGIN IMMEDIATE` transaction that reads the incident's
head and inserts the batch, so two writers (TUI and CLI, two terminals) take
turns and each extends the chain the other left; the file's triggers refuse
anything else. Every sqlite3 failure leaves here as a `StoreError` whose
message names the file, because callers print it as the whole explanation.

This module opens the file and appends to it; what reads the record (pages,
report and export items, `verify`) is `store.sqlite_reading.SqliteReading`,
which `SqliteEventLog` extends.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from incident.core.chain import GENESIS_HASH, ChainHead, DamagedRecord
from incident.core.events import Event, NewEvent
from store.derived import INSERT as INSERT_SUMMARY
from store.derived import summary_rows
from store.errors import StoreError
from store.rows import Decision, Row, checked_batch, hashed_rows, recorded
from store.schema import EVENT_COLUMNS
from store.sqlite_file import open_file
from store.sqlite_reading import HEAD, SqliteReading

if TYPE_CHECKING:
    from store.outbox import Outbox

_COLUMNS = ", ".join(EVENT_COLUMNS)
_INSERT = f"INSERT INTO events ({_COLUMNS}) VALUES ({', '.join('?' * len(EVENT_COLUMNS))})"


class SqliteEventLog(SqliteReading):
    """An append-only, hash-chained event log in one SQLite file.

    Build it with `SqliteEventLog.open`. An instance may be shared between
    threads (a Textual thread worker, say): calls are serialised by a lock.
    """

    def __init__(self, path: Path, connection: sqlite3.Connection, *, read_only: bool) -> None:
        self._read_only = read_only
        super().__init__(path, connection)

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        read_only: bool = False,
        snapshot: bool = False,
        creating: bool = True,
    ) -> SqliteEventLog:
        """Open (writable: create or upgrade; not `creating`, an empty file is refused)
        the log at `path`.

        Read-only opening never writes to the database file, so a replay or an
        "attach" view can look at a live incident, or at evidence, safely; it
        still sees events that a writer appends later.
        """
        location, connection = open_file(
            path, read_only=read_only, snapshot=snapshot, creating=creating
        )
        try:
            return cls(location, connection, read_only=read_only)
        except BaseException:
            connection.close()
            raise

    @property
    def read_only(self) -> bool:
        """Whether this log refuses appends."""
        return self._read_only

    def open_outbox(self) -> Outbox:
        """The outbox in the same file."""
        from store.outbox import Outbox

        return Outbox.open(self.path)

    def append(self, events: Sequence[NewEvent]) -> list[Event]:
        """Record `events` in one transaction; durable when this returns.

        Everything that can be checked without the database is checked before
        the write lock is taken, so a bad event costs the other writer nothing.
        """
        batch = list(events)
        if not batch:
            return []
        incident_id = batch[0].incident_id
        if self._read_only:
            raise StoreError(self._path, f"opened read-only; cannot append to {incident_id}")
        texts = checked_batch(incident_id, batch)
        with self._writing(f"cannot append to incident {incident_id}") as connection:
            rows = self._insert(connection, incident_id, batch, texts)
        return recorded(rows)

    def append_decided(
        self,
        incident_id: str,
        after: ChainHead,
        decide: Callable[[list[Event]], Sequence[NewEvent]],
        proposal: Sequence[NewEvent] | None = None,
    ) -> tuple[list[Event], list[Event]]:
        """Read what others appended after `after`, decide, and append: one transaction.

        Two terminals acting at once are serialised here, so the second decides on
        the first's events (and is refused if the step is already done) instead of
        recording a duplicate. `after` is the head the caller verified: if that
        event changed since, or what follows it does not extend it, nothing is
        appended and `DamagedRecord` says where (verifying only the new events
        keeps this cheap). Returns (the fresh events read, the events recorded).
        """
        if self._read_only:
            raise StoreError(self._path, f"opened read-only; cannot append to {incident_id}")
        rows: list[Row] = []
        decision = Decision(incident_id, decide, proposal)
        with self._writing(f"cannot append to incident {incident_id}") as connection:
            fresh, report = self._read_verified(connection, incident_id, after)
            if not report.ok:
                raise DamagedRecord(report)
            batch, texts = decision.batch(fresh)
            if batch:
                rows = self._insert(connection, incident_id, batch, texts)
        return fresh, recorded(rows)

    @staticmethod
    def _insert(
        connection: sqlite3.Connection,
        incident_id: str,
        batch: Sequence[NewEvent],
        payload_texts: Sequence[str],
    ) -> list[Row]:
        """Chain `batch` onto the incident's head, and summarise its ticks beside it;
        inside the caller's write transaction (a writable file has the table)."""
        head = connection.execute(HEAD, (incident_id,)).fetchone()
        last_seq, last_hash = (0, GENESIS_HASH) if head is None else head
        rows = hashed_rows(batch, payload_texts, int(last_seq), str(last_hash))
        connection.executemany(_INSERT, rows)
        connection.executemany(INSERT_SUMMARY, summary_rows(rows))
        from store.snapshots import write_due  # the fold's modules: not for every command

        write_due(connection, incident_id, int(last_seq), int(last_seq) + len(rows))
        return rows

    def __repr__(self) -> str:
        mode = "read-only" if self._read_only else "writable"
        return f"<SqliteEventLog {str(self._path)!r} {mode}>"
