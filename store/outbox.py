"""The notification outbox: messages waiting for (or done with) their webhook.

It lives in the same SQLite file as the event log, on its own connection with the
same guarantees (WAL, `synchronous=FULL`, busy timeout, `BEGIN IMMEDIATE` for
writes, file created 0600), so a message is durable once `enqueue` returns and
survives a crash or a kill until it is delivered or failed for good.

The `outbox` table is part of the numbered schema since version 2 (see
`store.schema` and `SCHEMA.md`), so opening the outbox upgrades the file exactly
as opening the log does. Since version 6 a row also says what its message is
(template, severity, title: the webhook's body carries them); a row queued before
says nothing of it and is delivered with what it holds.

Nothing here ever sees a header value or an expanded URL: the outbox stores target
names and message text only.

Several deliverers (two terminals on one file) may share the table: `claim` marks
the messages it returns as leased until a given time inside one `BEGIN IMMEDIATE`
transaction, so the same message is not sent by both at once; a deliverer that dies
mid-send leaves a lease that simply expires.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from incident.comms.routing import MessageAbout, OutboxMessage
from store.errors import StoreError
from store.sqlite_file import SqliteFile, open_file

Status = Literal["pending", "delivered", "failed"]
STATUSES: dict[str, Status] = {"pending": "pending", "delivered": "delivered", "failed": "failed"}
"""Each stored status; one not here is a damaged row (shared with `store.postgres_outbox`)."""

_COLUMNS = "key, incident_id, target, text, created_at, template, severity, title"
_DUE = (
    f"SELECT {_COLUMNS} FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? "
    "AND (? IS NULL OR incident_id = ?) "
    "ORDER BY next_attempt_at, created_at, rowid LIMIT ?"
)
_MESSAGES = (
    "SELECT key, target, status, attempts, last_error, created_at, delivered_at, "
    "next_attempt_at FROM outbox WHERE incident_id = ? ORDER BY created_at, rowid"
)


def stamp(moment: datetime) -> str:
    """A UTC timestamp whose text order is its time order."""
    if moment.tzinfo is None:
        raise ValueError("outbox times must be timezone-aware")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class OutboxRow:
    """One message as a delivery status view lists it: where it stands, not its text."""

    key: str
    target: str
    status: Status
    attempts: int
    last_error: str
    created_at: datetime
    delivered_at: datetime | None
    next_attempt_at: datetime | None
    """Pending: not before this (or the end of a claim's lease); None otherwise."""


def message_from_row(row: Sequence[object], where: Path | str) -> OutboxMessage:
    """A row of the due query (`_COLUMNS`), read alike by both backends; a row without
    the version 6 columns (a PostgreSQL database this role may not upgrade) or with
    NULL in them (queued by an older release) is a message that does not say what it is."""
    key, incident_id, target, text, created_at, *described = row
    return OutboxMessage(
        key=str(key),
        incident_id=str(incident_id),
        target=str(target),
        text=str(text),
        created_at=stored_moment(str(key), "created_at", created_at, where),
        about=about_from(described),
    )


def about_from(described: Sequence[object]) -> MessageAbout | None:
    """`MessageAbout` from the stored (template, severity, title), or None when the row
    does not say (`severity` NULL, or no such columns)."""
    if len(described) != 3 or described[1] is None:
        return None
    template, severity, title = described
    return MessageAbout(
        None if template is None else str(template),
        str(severity),
        "" if title is None else str(title),
    )


def about_columns(message: OutboxMessage) -> tuple[str | None, str | None, str | None]:
    """What `enqueue` stores in the version 6 columns: NULLs when the message does not say."""
    about = message.about
    if about is None:
        return None, None, None
    return about.template, about.severity, about.title


def stored_moment(key: str, column: str, stored: object, where: Path | str) -> datetime:
    """A stored time, or a StoreError naming the record and the message: the outbox
    is outside the hash chain, and a row edited by hand is read all the same."""
    try:
        return datetime.fromisoformat(str(stored))
    except ValueError:
        raise StoreError(where, f"message {key} has {column} {stored!r}, not a time") from None


def stored_count(key: str, column: str, stored: object, where: Path | str) -> int:
    """A stored count, or a StoreError naming the record and the message."""
    if not isinstance(stored, int):
        raise StoreError(where, f"message {key} has {column} {stored!r}, not a count")
    return stored


def status_of(key: str, stored: object, where: Path | str) -> Status:
    """A stored status, or a StoreError naming the record (`where`) that holds another."""
    status = STATUSES.get(str(stored))
    if status is None:
        raise StoreError(where, f"message {key} has unknown status {stored!r}")
    return status


def listed_row(row: Sequence[Any], where: Path | str) -> OutboxRow:
    """A row of the messages query (`_MESSAGES`' columns), read alike by both backends."""
    key, target, status, attempts, last_error, created_at, delivered_at, next_attempt = row
    key = str(key)

    def moment_or_none(column: str, stored: object) -> datetime | None:
        return None if stored is None else stored_moment(key, column, stored, where)

    return OutboxRow(
        key=key,
        target=str(target),
        status=status_of(key, status, where),
        attempts=stored_count(key, "attempts", attempts, where),
        last_error=str(last_error),
        created_at=stored_moment(key, "created_at", created_at, where),
        delivered_at=moment_or_none("delivered_at", delivered_at),
        next_attempt_at=moment_or_none("next_attempt_at", next_attempt),
    )


class Outbox(SqliteFile):
    """Durable queue of outgoing notifications; thread-safe (calls are serialised)."""

    _noun = "outbox"

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> Outbox:
        """Open the outbox in the log file at `path`, creating or upgrading the file."""
        location, connection = open_file(path, read_only=False)
        return cls(location, connection)

    def enqueue(self, message: OutboxMessage) -> bool:
        """Record `message` as pending, due at once; durable when this returns.

        False when a message with the same key was already recorded (a no-op).
        """
        with self._writing(f"cannot enqueue message {message.key}") as connection:
            cursor = connection.execute(
                "INSERT OR IGNORE INTO outbox (key, incident_id, target, text, created_at, "
                "status, attempts, last_error, next_attempt_at, template, severity, title) "
                "VALUES (?, ?, ?, ?, ?, 'pending', 0, '', ?, ?, ?, ?)",
                (
                    message.key,
                    message.incident_id,
                    message.target,
                    message.text,
                    stamp(message.created_at),
                    stamp(message.created_at),
                    *about_columns(message),
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
        return [message_from_row(row, self._path) for row in rows]

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
        return [message_from_row(row, self._path) for row in rows]

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

    def requeue(self, key: str, now: datetime) -> bool:
        """Give a message that failed for good a fresh set of attempts, due at `now`.

        For a coordinator who fixed the webhook and wants the message sent after
        all. `last_error` stays until the next attempt replaces it, so the list
        still says why it failed. False, and nothing changes, unless the message
        exists and has failed.
        """
        with self._writing(f"cannot requeue message {key}") as connection:
            cursor = connection.execute(
                "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ? "
                "WHERE key = ? AND status = 'failed'",
                (stamp(now), key),
            )
            return cursor.rowcount == 1

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
        attempts = stored_count(key, "attempts", row[1], self._path)
        return status_of(key, row[0], self._path), attempts, str(row[2])

    def messages(self, incident_id: str) -> list[OutboxRow]:
        """Every message of the incident, oldest first, whatever its status."""
        with self._using(f"cannot read the outbox of incident {incident_id}") as connection:
            rows = connection.execute(_MESSAGES, (incident_id,)).fetchall()
        return [listed_row(row, self._path) for row in rows]

    def pending_count(self, incident_id: str | None = None) -> int:
        """How many messages still wait for delivery (for one incident, or all)."""
        query = "SELECT COUNT(*) FROM outbox WHERE status = 'pending'"
        params: tuple[str, ...] = ()
        if incident_id is not None:
            query += " AND incident_id = ?"
            params = (incident_id,)
        with self._using("cannot read the outbox") as connection:
            return int(connection.execute(query, params).fetchone()[0])

    def __repr__(self) -> str:
        return f"<Outbox {str(self._path)!r}>"
