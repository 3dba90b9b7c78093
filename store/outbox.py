"""The notification outbox: messages waiting for (or done with) their webhook.

It lives in the same SQLite file as the event log, on its own connection with the
same guarantees (WAL, `synchronous=FULL`, busy timeout, `BEGIN IMMEDIATE` for
writes, file created 0600), so a message is durable once `enqueue` returns and
survives a crash or a kill until it is delivered or failed for good.

Table (created if missing, beside the event log's schema)::

    CREATE TABLE outbox (
        key             TEXT PRIMARY KEY,   -- idempotency key, sent as Idempotency-Key
        incident_id     TEXT NOT NULL,
        target          TEXT NOT NULL,      -- the target's *name*; never its URL
        text            TEXT NOT NULL,
        created_at      TEXT NOT NULL,      -- ISO 8601 UTC, microseconds
        status          TEXT NOT NULL CHECK (status IN ('pending','delivered','failed')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        last_error      TEXT NOT NULL DEFAULT '',   -- one classified line, no secrets
        next_attempt_at TEXT,               -- pending: not before this (also a claim lease)
        delivered_at    TEXT
    );
    CREATE INDEX outbox_due ON outbox (status, next_attempt_at);

Nothing here ever sees a header value or an expanded URL: the outbox stores target
names and message text only.

Several deliverers (two terminals on one file) may share the table: `claim` marks
the messages it returns as leased until a given time inside one `BEGIN IMMEDIATE`
transaction, so the same message is not sent by both at once; a deliverer that dies
mid-send leaves a lease that simply expires.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Literal

from sqlite_utils import Database

from incident.notify import OutboxMessage
from store.connection import connect, create_private_file, enable_wal
from store.errors import StoreError
from store.schema import SchemaProblem, upgrade

Status = Literal["pending", "delivered", "failed"]
_STATUSES: dict[str, Status] = {"pending": "pending", "delivered": "delivered", "failed": "failed"}

OUTBOX_DDL = (
    """
    CREATE TABLE IF NOT EXISTS outbox (
        key TEXT PRIMARY KEY,
        incident_id TEXT NOT NULL,
        target TEXT NOT NULL,
        text TEXT NOT NULL,
        created_at TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT NOT NULL DEFAULT '',
        next_attempt_at TEXT,
        delivered_at TEXT
    )
    """,
    "CREATE INDEX IF NOT EXISTS outbox_due ON outbox (status, next_attempt_at)",
)

_COLUMNS = "key, incident_id, target, text, created_at"
_DUE = (
    f"SELECT {_COLUMNS} FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? "
    "AND (? IS NULL OR incident_id = ?) "
    "ORDER BY next_attempt_at, created_at, rowid LIMIT ?"
)


def stamp(moment: datetime) -> str:
    """A UTC timestamp whose text order is its time order."""
    if moment.tzinfo is None:
        raise ValueError("outbox times must be timezone-aware")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _message(row: tuple[object, ...]) -> OutboxMessage:
    key, incident_id, target, text, created_at = row
    return OutboxMessage(
        key=str(key),
        incident_id=str(incident_id),
        target=str(target),
        text=str(text),
        created_at=datetime.fromisoformat(str(created_at)),
    )


class Outbox:
    """Durable queue of outgoing notifications; thread-safe (calls are serialised)."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self._path = path
        self._connection: sqlite3.Connection | None = connection
        self._lock = threading.Lock()

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> Outbox:
        """Open the outbox in the log file at `path`, creating file and table if needed."""
        location = Path(os.path.abspath(os.fspath(path)))
        try:
            create_private_file(location)
            connection = connect(location, read_only=False)
        except OSError as exc:
            raise StoreError(location, f"cannot create: {exc.strerror or exc}") from exc
        except sqlite3.Error as exc:
            raise StoreError(location, f"cannot open: {exc}") from exc
        try:
            connection.execute("BEGIN IMMEDIATE")
            try:
                upgrade(Database(connection, execute_plugins=False))
                for statement in OUTBOX_DDL:
                    connection.execute(statement)
                connection.execute("COMMIT")
            except BaseException:
                if connection.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        connection.execute("ROLLBACK")
                raise
            mode = enable_wal(connection)
            if mode != "wal":
                raise StoreError(location, f"cannot use a WAL journal here (SQLite kept {mode!r})")
        except BaseException as exc:
            connection.close()
            if isinstance(exc, SchemaProblem):
                raise StoreError(location, str(exc)) from exc
            if isinstance(exc, sqlite3.Error):
                raise StoreError(location, f"cannot open the outbox: {exc}") from exc
            raise
        return cls(location, connection)

    @property
    def path(self) -> Path:
        return self._path

    @contextlib.contextmanager
    def _using(self, action: str) -> Iterator[sqlite3.Connection]:
        with self._lock:
            if self._connection is None:
                raise StoreError(self._path, f"{action}: the outbox is closed")
            try:
                yield self._connection
            except sqlite3.Error as exc:
                raise StoreError(self._path, f"{action}: {exc}") from exc

    @contextlib.contextmanager
    def _writing(self, action: str) -> Iterator[sqlite3.Connection]:
        """One `BEGIN IMMEDIATE` transaction, committed (durably) on leaving."""
        with self._using(action) as connection:
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
                connection.execute("COMMIT")
            except BaseException:
                if connection.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        connection.execute("ROLLBACK")
                raise

    def enqueue(self, message: OutboxMessage) -> bool:
        """Record `message` as pending, due at once; durable when this returns.

        False when a message with the same key was already recorded (a no-op).
        """
        with self._writing(f"cannot enqueue message {message.key}") as connection:
            cursor = connection.execute(
                "INSERT OR IGNORE INTO outbox (key, incident_id, target, text, created_at, "
                "status, attempts, last_error, next_attempt_at) "
                "VALUES (?, ?, ?, ?, ?, 'pending', 0, '', ?)",
                (
                    message.key,
                    message.incident_id,
                    message.target,
                    message.text,
                    stamp(message.created_at),
                    stamp(message.created_at),
                ),
            )
            return cursor.rowcount == 1

    def due(
        self, now: datetime, limit: int = 50, incident_id: str | None = None
    ) -> list[OutboxMessage]:
        """Pending messages whose next attempt is at or before `now`, oldest first."""
        with self._using("cannot read the outbox") as connection:
            rows = connection.execute(
                _DUE, (stamp(now), incident_id, incident_id, limit)
            ).fetchall()
        return [_message(row) for row in rows]

    def claim(
        self,
        now: datetime,
        lease_until: datetime,
        limit: int = 50,
        incident_id: str | None = None,
    ) -> list[OutboxMessage]:
        """Like `due`, but leases the messages until `lease_until` in the same transaction.

        Another deliverer on the same file will not see them until the lease runs
        out; marking a message delivered or failed replaces the lease.
        """
        with self._writing("cannot claim outbox messages") as connection:
            rows = connection.execute(
                _DUE, (stamp(now), incident_id, incident_id, limit)
            ).fetchall()
            connection.executemany(
                "UPDATE outbox SET next_attempt_at = ? WHERE key = ? AND status = 'pending'",
                [(stamp(lease_until), row[0]) for row in rows],
            )
        return [_message(row) for row in rows]

    def mark_delivered(self, key: str, at: datetime) -> int:
        """Record a successful attempt; returns the attempts made. Idempotent."""
        with self._writing(f"cannot update message {key}") as connection:
            connection.execute(
                "UPDATE outbox SET status = 'delivered', attempts = attempts + 1, "
                "last_error = '', next_attempt_at = NULL, delivered_at = ? "
                "WHERE key = ? AND status = 'pending'",
                (stamp(at), key),
            )
            return self._attempts(connection, key)

    def mark_attempt_failed(self, key: str, error: str, next_attempt_at: datetime | None) -> int:
        """Record a failed attempt; `None` fails the message for good. Returns attempts."""
        line = " ".join(error.split())
        with self._writing(f"cannot update message {key}") as connection:
            if next_attempt_at is None:
                connection.execute(
                    "UPDATE outbox SET status = 'failed', attempts = attempts + 1, "
                    "last_error = ?, next_attempt_at = NULL WHERE key = ? AND status = 'pending'",
                    (line, key),
                )
            else:
                connection.execute(
                    "UPDATE outbox SET attempts = attempts + 1, last_error = ?, "
                    "next_attempt_at = ? WHERE key = ? AND status = 'pending'",
                    (line, stamp(next_attempt_at), key),
                )
            return self._attempts(connection, key)

    @staticmethod
    def _attempts(connection: sqlite3.Connection, key: str) -> int:
        row = connection.execute("SELECT attempts FROM outbox WHERE key = ?", (key,)).fetchone()
        return 0 if row is None else int(row[0])

    def status(self, key: str) -> tuple[Status, int, str] | None:
        """(status, attempts, last error) of the message, or None if there is none."""
        with self._using(f"cannot read message {key}") as connection:
            row = connection.execute(
                "SELECT status, attempts, last_error FROM outbox WHERE key = ?", (key,)
            ).fetchone()
        if row is None:
            return None
        status = _STATUSES.get(str(row[0]))
        if status is None:
            raise StoreError(self._path, f"message {key} has unknown status {row[0]!r}")
        return status, int(row[1]), str(row[2])

    def pending_count(self, incident_id: str | None = None) -> int:
        """How many messages still wait for delivery (for one incident, or all)."""
        query = "SELECT COUNT(*) FROM outbox WHERE status = 'pending'"
        params: tuple[str, ...] = ()
        if incident_id is not None:
            query += " AND incident_id = ?"
            params = (incident_id,)
        with self._using("cannot read the outbox") as connection:
            return int(connection.execute(query, params).fetchone()[0])

    def close(self) -> None:
        """Close the connection; safe to repeat."""
        with self._lock:
            connection, self._connection = self._connection, None
        if connection is not None:
            try:
                connection.close()
            except sqlite3.Error as exc:
                raise StoreError(self._path, f"cannot close: {exc}") from exc

    def __enter__(self) -> Outbox:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Outbox {str(self._path)!r}>"
