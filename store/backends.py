"""Which record a `--db` names: a SQLite file (the default) or a PostgreSQL database.

psycopg is loaded only when a `postgresql://` URL is given, so a command on a
SQLite file starts exactly as before (`tests/test_cli_startup.py`).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, TypeAlias

from store.sqlite_log import SqliteEventLog

if TYPE_CHECKING:
    from store.outbox import Outbox
    from store.postgres_log import PostgresEventLog
    from store.postgres_outbox import PostgresOutbox

EventRecord: TypeAlias = "SqliteEventLog | PostgresEventLog"
"""The record a command works on, whichever backend holds it."""

OutboxRecord: TypeAlias = "Outbox | PostgresOutbox"
"""The outbox beside that record."""

URL_PREFIXES = ("postgresql://", "postgres://")
"""What a `--db` or $LASTGOOD_DB starts with to name a PostgreSQL database."""


def is_postgres_url(location: object) -> bool:
    """Whether `location` names a PostgreSQL database rather than a file."""
    return isinstance(location, str) and location.lower().startswith(URL_PREFIXES)


def open_event_log(
    location: str | os.PathLike[str],
    *,
    read_only: bool = False,
    snapshot: bool = False,
    creating: bool = True,
) -> EventRecord:
    """The log at `location`: a PostgreSQL URL or a SQLite file's path; or a StoreError.

    Not `creating`, a PostgreSQL database without lastgood's tables is refused rather
    than given them, and so is an empty SQLite file (a file's absence is the caller's
    to refuse)."""
    if is_postgres_url(location):
        from store.postgres_log import PostgresEventLog

        return PostgresEventLog.open(
            str(location), read_only=read_only, snapshot=snapshot, creating=creating
        )
    return SqliteEventLog.open(location, read_only=read_only, snapshot=snapshot, creating=creating)


def open_outbox(location: str | os.PathLike[str]) -> OutboxRecord:
    """The outbox in the database at `location` (a URL or a file's path); or a StoreError."""
    if is_postgres_url(location):
        from store.postgres_outbox import PostgresOutbox

        return PostgresOutbox.open(str(location))
    from store.outbox import Outbox  # loaded when a message is first delivered

    return Outbox.open(location)
