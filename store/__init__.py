"""The record: an append-only, hash-chained SQLite event log.

See `SCHEMA.md` for the file layout and how to query it with other tools.
"""

from store.errors import StoreError
from store.paths import default_db_path
from store.schema import SCHEMA_VERSION
from store.sqlite_log import SqliteEventLog

__all__ = ["SCHEMA_VERSION", "SqliteEventLog", "StoreError", "default_db_path"]
