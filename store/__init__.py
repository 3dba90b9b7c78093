"""The record: an append-only, hash-chained event log in SQLite or PostgreSQL.

See `SCHEMA.md` for the file layout and how to query it with other tools.
`open_event_log` picks the backend from the location (a `postgresql://` URL or a path).
"""

from store.backends import EventRecord, is_postgres_url, open_event_log
from store.errors import StoreError
from store.paths import default_db_path
from store.schema import SCHEMA_VERSION
from store.sqlite_log import SqliteEventLog

__all__ = [
    "SCHEMA_VERSION",
    "EventRecord",
    "SqliteEventLog",
    "StoreError",
    "default_db_path",
    "is_postgres_url",
    "open_event_log",
]
