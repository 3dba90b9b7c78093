"""The notification outbox on PostgreSQL: what `store.outbox.Outbox` does, for several machines.

The same table, columns and answers as the SQLite outbox, beside the events in the
same database. What changes is how deliverers on different machines (several TUIs,
`monitor`s, `deliver`s) keep from sending one message twice: `claim` selects the
due messages `FOR UPDATE SKIP LOCKED` and leases them in the same transaction, so a
message another deliverer is claiming is skipped, not waited for, and once that
claim commits its lease makes it not due. A deliverer that dies mid-send leaves a
lease that expires, as on SQLite.

A message's text is stored as it is, as on SQLite, unless PostgreSQL cannot hold it:
a text column refuses a NUL, which a record may hold in a message (one recorded
before lastgood refused NUL in what people type, moved here by `lastgood migrate`).
Such a text is stored as a JSON string, as the events table stores it, behind a mark
(`stored_text`); the deliverer is given it back whole. So are the title, severity and
template a row holds since version 6.

A database at version 3 or 5 that this role may not upgrade (a writer role; the owner's
next opening does it) has no columns for what a message is: its messages are queued
and delivered without them, as an older release's rows are.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from incident.comms.routing import OutboxMessage
from store.errors import StoreError
from store.outbox import (
    OutboxRow,
    Status,
    about_columns,
    listed_row,
    message_from_row,
    stamp,
    status_of,
    stored_count,
)
from store.postgres_connection import PostgresDatabase, connect
from store.postgres_schema import DESCRIBED_SINCE, stored_version, upgrade
from store.schema import OUTBOX_ABOUT_COLUMNS, SchemaProblem

_COLUMNS = "key, incident_id, target, text, created_at"
_ABOUT = ", " + ", ".join(OUTBOX_ABOUT_COLUMNS)


def _due(described: bool) -> str:
    return (
        f"SELECT {_COLUMNS}{_ABOUT if described else ''} FROM outbox "
        "WHERE status = 'pending' AND next_attempt_at <= %s "
        "AND (%s::text IS NULL OR incident_id = %s) "
        "ORDER BY next_attempt_at, created_at, queued LIMIT %s"
    )


def _insert(described: bool) -> str:
    return (
        "INSERT INTO outbox (key, incident_id, target, text, created_at, "
        f"status, attempts, last_error, next_attempt_at{_ABOUT if described else ''}) "
        f"VALUES (%s, %s, %s, %s, %s, 'pending', 0, '', %s{', %s, %s, %s' if described else ''}) "
        "ON CONFLICT (key) DO NOTHING"
    )


_MESSAGES = (
    "SELECT key, target, status, attempts, last_error, created_at, delivered_at, "
    "next_attempt_at FROM outbox WHERE incident_id = %s ORDER BY created_at, queued"
)


AS_JSON = "\uffff"
"""What starts a text stored as a JSON string: U+FFFF, a noncharacter, which Unicode
keeps for a program's own use and no one types."""


def stored_text(text: str) -> str:
    """`text` as the `text` column holds it: as it is, or after `AS_JSON` as a JSON
    string when it holds a NUL (or starts with the mark itself, so it reads back as it
    was). Every other text is stored as before, so rows written by earlier releases
    and by this one read alike."""
    if "\x00" in text or text.startswith(AS_JSON):
        return AS_JSON + json.dumps(text, ensure_ascii=False)
    return text


def read_text(stored: str) -> str:
    """The text `stored_text` stored."""
    if stored.startswith(AS_JSON):
        try:
            text = json.loads(stored[len(AS_JSON) :])
        except ValueError:
            return stored  # not ours: a row written by hand is read as it is
        if isinstance(text, str):
            return text
    return stored


def _message(row: tuple[object, ...], where: str) -> OutboxMessage:
    key, incident_id, target, text, created_at, *described = row
    return message_from_row(
        (
            key,
            incident_id,
            target,
            read_text(str(text)),
            created_at,
            *(None if value is None else read_text(str(value)) for value in described),
        ),
        where,
    )


class PostgresOutbox(PostgresDatabase):
    """Durable queue of outgoing notifications; thread-safe (calls are serialised)."""

    _noun = "outbox"
    _described = True
    """Whether the table has the version 6 columns (`open` looks)."""

    @classmethod
    def open(cls, url: str) -> PostgresOutbox:
        """Connect to the outbox in the database at `url`, creating the schema if it has none."""
        where, connection = connect(url, read_only=False)
        outbox = cls(where, connection, url=url, read_only=False)
        try:
            with outbox._using("cannot open") as opened:
                upgrade(opened)
                outbox._described = stored_version(opened) >= DESCRIBED_SINCE
        except SchemaProblem as exc:
            outbox.close()
            raise StoreError(where, str(exc)) from None
        except BaseException:
            outbox.close()
            raise
        return outbox

    def enqueue(self, message: OutboxMessage) -> bool:
        """Record `message` as pending, due at once; False if its key was recorded already."""
        with self._writing(f"cannot enqueue message {message.key}") as connection:
            described = self._described
            about = [
                None if value is None else stored_text(value) for value in about_columns(message)
            ]
            cursor = connection.execute(
                _insert(described),
                (
                    message.key,
                    message.incident_id,
                    message.target,
                    stored_text(message.text),
                    stamp(message.created_at),
                    stamp(message.created_at),
                    *(about if described else ()),
                ),
            )
            return cursor.rowcount == 1

    def due(
        self, now: datetime, limit: int = 50, incident_id: str | None = None
    ) -> list[OutboxMessage]:
        """Pending messages whose next attempt is at or before `now`, oldest first."""
        with self._using("cannot read the outbox") as connection:
            rows = connection.execute(
                _due(self._described), (stamp(now), incident_id, incident_id, limit)
            ).fetchall()
        return [_message(row, self._where) for row in rows]

    def claim(
        self,
        now: datetime,
        lease_until: datetime,
        limit: int = 50,
        incident_id: str | None = None,
    ) -> list[OutboxMessage]:
        """Like `due`, but leases the messages until `lease_until`, skipping any that
        another deliverer is claiming at this moment (`FOR UPDATE SKIP LOCKED`)."""
        with self._writing("cannot claim outbox messages") as connection:
            rows = connection.execute(
                _due(self._described) + " FOR UPDATE SKIP LOCKED",
                (stamp(now), incident_id, incident_id, limit),
            ).fetchall()
            if rows:
                connection.execute(
                    "UPDATE outbox SET next_attempt_at = %s WHERE key = ANY(%s)",
                    (stamp(lease_until), [row[0] for row in rows]),
                )
        return [_message(row, self._where) for row in rows]

    def mark_delivered(self, key: str, at: datetime) -> int:
        """Record a successful attempt; returns the attempts made. Idempotent."""
        with self._writing(f"cannot update message {key}") as connection:
            connection.execute(
                "UPDATE outbox SET status = 'delivered', attempts = attempts + 1, "
                "last_error = '', next_attempt_at = NULL, delivered_at = %s "
                "WHERE key = %s AND status = 'pending'",
                (stamp(at), key),
            )
            return _attempts(connection, key)

    def mark_attempt_failed(self, key: str, error: str, next_attempt_at: datetime | None) -> int:
        """Record a failed attempt; `None` fails the message for good. Returns attempts."""
        line = " ".join(error.split())
        with self._writing(f"cannot update message {key}") as connection:
            if next_attempt_at is None:
                connection.execute(
                    "UPDATE outbox SET status = 'failed', attempts = attempts + 1, "
                    "last_error = %s, next_attempt_at = NULL WHERE key = %s AND status = 'pending'",
                    (line, key),
                )
            else:
                connection.execute(
                    "UPDATE outbox SET attempts = attempts + 1, last_error = %s, "
                    "next_attempt_at = %s WHERE key = %s AND status = 'pending'",
                    (line, stamp(next_attempt_at), key),
                )
            return _attempts(connection, key)

    def requeue(self, key: str, now: datetime) -> bool:
        """Give a message that failed for good a fresh set of attempts, due at `now`."""
        with self._writing(f"cannot requeue message {key}") as connection:
            cursor = connection.execute(
                "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = %s "
                "WHERE key = %s AND status = 'failed'",
                (stamp(now), key),
            )
            return cursor.rowcount == 1

    def status(self, key: str) -> tuple[Status, int, str] | None:
        """(status, attempts, last error) of the message, or None if there is none."""
        with self._using(f"cannot read message {key}") as connection:
            row = connection.execute(
                "SELECT status, attempts, last_error FROM outbox WHERE key = %s", (key,)
            ).fetchone()
        if row is None:
            return None
        attempts = stored_count(key, "attempts", row[1], self._where)
        return status_of(key, row[0], self._where), attempts, str(row[2])

    def messages(self, incident_id: str) -> list[OutboxRow]:
        """Every message of the incident, oldest first, whatever its status."""
        with self._using(f"cannot read the outbox of incident {incident_id}") as connection:
            rows = connection.execute(_MESSAGES, (incident_id,)).fetchall()
        return [listed_row(row, self._where) for row in rows]

    def pending_count(self, incident_id: str | None = None) -> int:
        """How many messages still wait for delivery (for one incident, or all)."""
        with self._using("cannot read the outbox") as connection:
            row = connection.execute(
                "SELECT COUNT(*) FROM outbox WHERE status = 'pending' "
                "AND (%s::text IS NULL OR incident_id = %s)",
                (incident_id, incident_id),
            ).fetchone()
        return 0 if row is None else int(row[0])

    def __repr__(self) -> str:
        return f"<PostgresOutbox {self._where!r}>"


def _attempts(connection: Any, key: str) -> int:
    row = connection.execute("SELECT attempts FROM outbox WHERE key = %s", (key,)).fetchone()
    return 0 if row is None else int(row[0])
