"""The database layout and the numbered steps that bring a file up to it.

Each migration takes the schema from version N-1 to N and runs inside the
caller's `BEGIN IMMEDIATE` transaction, together with the version bump, so a
crash mid-upgrade leaves the file at the old version rather than half-built.
The stored version lives in the `meta` table (what the code trusts) and in
`PRAGMA user_version` (what generic SQLite tools can see without knowing us).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence

from incident.core.chain import GENESIS_HASH
from store.derived import Executes, add_summary_triggers_v5, add_tick_samples_v3

SCHEMA_VERSION = 7
"""The newest layout this code can read and write."""

EVENTS_READABLE_SINCE = 1
"""The oldest version whose `events` table and triggers are laid out as today's.

A read-only opening may not migrate the file (it may be evidence, or someone
else's), and it needs nothing but `events`. Versions from this one up to
SCHEMA_VERSION differ only in what it does without (version 2 added the outbox,
version 3 the tick summaries, version 4 the state snapshots, each used only
where it is found; version 5 the triggers that keep the summaries and the
snapshots, which a reader never writes; version 6 the outbox's columns saying what
a message is; version 7 the failed samples' times in the tick summaries, whose older
rows a reader knows), so it reads them as they are. A migration
that changes the columns of `events` or its triggers must raise this to its own
version.
"""

APPEND_ONLY_MESSAGE = "events are append-only; record a correction instead"
CHAIN_MESSAGE = "events must extend the chain: next seq and the last hash as prev_hash"

EVENT_COLUMNS = (
    "incident_id",
    "seq",
    "at",
    "mono_ns",
    "actor",
    "kind",
    "payload",
    "prev_hash",
    "hash",
)
"""Column order of `events`, shared by the insert and select statements."""

_META_TABLE_V1 = """CREATE TABLE "meta" (
   "key" TEXT PRIMARY KEY NOT NULL,
   "value" TEXT NOT NULL
)"""

_EVENTS_TABLE_V1 = """CREATE TABLE "events" (
   "incident_id" TEXT NOT NULL,
   "seq" INTEGER NOT NULL,
   "at" TEXT NOT NULL,
   "mono_ns" INTEGER NOT NULL,
   "actor" TEXT NOT NULL,
   "kind" TEXT NOT NULL,
   "payload" TEXT NOT NULL,
   "prev_hash" TEXT NOT NULL,
   "hash" TEXT NOT NULL,
   PRIMARY KEY ("incident_id", "seq")
)"""

_TRIGGERS_V1 = (
    f"""
    CREATE TRIGGER events_no_update BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END
    """,
    f"""
    CREATE TRIGGER events_no_delete BEFORE DELETE ON events
    BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END
    """,
    # Catches INSERT OR REPLACE (which deletes without firing the delete
    # trigger unless recursive_triggers is on) and any writer that does not
    # go through SqliteEventLog, so the file itself keeps every chain linear.
    f"""
    CREATE TRIGGER events_extend_chain BEFORE INSERT ON events
    WHEN NEW.seq IS NOT (
            SELECT COALESCE(MAX(seq), 0) + 1 FROM events
            WHERE incident_id = NEW.incident_id)
        OR NEW.prev_hash IS NOT COALESCE(
            (SELECT hash FROM events WHERE incident_id = NEW.incident_id
             ORDER BY seq DESC LIMIT 1),
            '{GENESIS_HASH}')
    BEGIN SELECT RAISE(ABORT, '{CHAIN_MESSAGE}'); END
    """,
)

_INCIDENTS_VIEW_V1 = """
SELECT
    first.incident_id AS incident_id,
    first.at AS declared_at,
    json_extract(first.payload, '$.title') AS title,
    (SELECT COUNT(*) FROM events AS e
     WHERE e.incident_id = first.incident_id) AS event_count,
    (SELECT e.at FROM events AS e WHERE e.incident_id = first.incident_id
     ORDER BY e.seq DESC LIMIT 1) AS last_at
FROM events AS first
WHERE first.seq = 1
ORDER BY first.rowid
"""


OUTBOX_TABLE = """
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
"""
"""The notification outbox, word for word what releases before version 2 created."""

OUTBOX_INDEX = "CREATE INDEX IF NOT EXISTS outbox_due ON outbox (status, next_attempt_at)"

_OUTBOX_SHAPE = (
    ("key", "TEXT", False, True),
    ("incident_id", "TEXT", True, False),
    ("target", "TEXT", True, False),
    ("text", "TEXT", True, False),
    ("created_at", "TEXT", True, False),
    ("status", "TEXT", True, False),
    ("attempts", "INTEGER", True, False),
    ("last_error", "TEXT", True, False),
    ("next_attempt_at", "TEXT", False, False),
    ("delivered_at", "TEXT", False, False),
)
"""(name, declared type, NOT NULL, primary key) of each `outbox` column, in order, at
version 2 (version 6 adds `OUTBOX_ABOUT_COLUMNS`)."""

OUTBOX_ABOUT_COLUMNS = ("template", "severity", "title")
"""Version 6: what a message is, for the webhook's body (`incident.comms.routing.MessageAbout`),
from its record when it was queued. NULL in a row queued before: `severity` NULL means
the row does not say (`template` NULL alone is free text)."""


class SchemaProblem(Exception):
    """The file is not a lastgood database this code may use; the caller adds the path."""


EMPTY = "not a lastgood database (it is empty; `lastgood declare` makes it one)"
"""Why a file with no tables yet is refused by what reads it, and by what records on
an incident in it (only `declare` makes it a database)."""


def _create_v1(db: Executes) -> None:
    """Version 1, word for word what that release left in `sqlite_master`.

    Its tables were made by sqlite-utils, whose import alone cost a command 160 ms of
    CPU (click, dateutil, pluggy): the first `declare` of an incident paid it, for two
    CREATE statements. The statements are written out instead, in the text it made.
    """
    db.execute(_META_TABLE_V1)
    db.execute(_EVENTS_TABLE_V1)
    for trigger in _TRIGGERS_V1:
        db.execute(trigger)
    db.execute(f'CREATE VIEW "incidents" AS {_INCIDENTS_VIEW_V1}')


def _add_outbox_v2(db: Executes) -> None:
    """Adopt the outbox table that older releases created outside the numbered schema.

    A version 1 file may already hold it (any TUI with network access made it),
    so it is created only if missing, and an existing one is kept, rows and all,
    only if it has the columns the outbox code reads and writes.
    """
    db.execute(OUTBOX_TABLE)
    _check_outbox_columns(db)
    db.execute(OUTBOX_INDEX)


def _check_outbox_columns(db: Executes) -> None:
    found = tuple(
        (str(name), str(declared).upper(), bool(not_null), bool(pk))
        for _, name, declared, not_null, _, pk in db.execute("PRAGMA table_info(outbox)")
    )
    if found == _OUTBOX_SHAPE:
        return
    names = [column[0] for column in found]
    expected = [column[0] for column in _OUTBOX_SHAPE]
    missing = [name for name in expected if name not in names]
    unexpected = [name for name in names if name not in expected]
    differences = []
    if missing:
        differences.append(f"missing {', '.join(missing)}")
    if unexpected:
        differences.append(f"unexpected {', '.join(unexpected)}")
    detail = "; ".join(differences) or "same columns, other types, order or keys"
    raise SchemaProblem(
        f"cannot upgrade to schema version 2: the existing outbox table is not "
        f"lastgood's ({detail}); rename it, then open the file again"
    )


def _add_snapshots_v4(db: Executes) -> None:
    """Version 4: the state snapshots (`store.snapshots`, which folds: imported only here)."""
    from store.snapshots import add_snapshots_v4

    add_snapshots_v4(db)


def _keep_derived_v5(db: Executes) -> None:
    """Version 5: the tick summaries and the state snapshots kept as `events` is, their
    rows refused an UPDATE, a DELETE, a replacing INSERT or an INSERT naming no event
    (`store.snapshots` folds: imported only here, as for version 4)."""
    from store.snapshots import add_snapshot_triggers_v5

    add_summary_triggers_v5(db)
    add_snapshot_triggers_v5(db)


def _describe_outbox_v6(db: Executes) -> None:
    """Version 6: the outbox says what each message is (`OUTBOX_ABOUT_COLUMNS`). Rows
    already there keep NULL: they are delivered as before, with what they hold."""
    for column in OUTBOX_ABOUT_COLUMNS:
        db.execute(f"ALTER TABLE outbox ADD COLUMN {column} TEXT")


def _summaries_keep_failures_v7(db: Executes) -> None:
    """Version 7: a tick summary keeps a failed sample's time (`store.derived`); each row
    an earlier release wrote is rewritten so (`store.summary_upgrade`), past the
    trigger that refuses an UPDATE, dropped and made again in this transaction. The
    version also makes an older release refuse the file, whose `verify` would take
    the new rows for forged ones."""
    from store.summary_upgrade import rewrite_pages, rewrite_statement, stale_summaries_query

    query, update = stale_summaries_query("?"), rewrite_statement("?")
    db.execute("DROP TRIGGER IF EXISTS tick_samples_no_update")
    for page in rewrite_pages(lambda parameters: db.execute(query, parameters).fetchall()):
        for made in page:
            db.execute(update, made)
    add_summary_triggers_v5(db)  # the one dropped, made again (the others are there)


MIGRATIONS: Mapping[int, Callable[[Executes], None]] = {
    1: _create_v1,
    2: _add_outbox_v2,
    3: add_tick_samples_v3,
    4: _add_snapshots_v4,
    5: _keep_derived_v5,
    6: _describe_outbox_v6,
    7: _summaries_keep_failures_v7,
}
"""Target version -> the step that reaches it from the version before."""


def stored_version(connection: sqlite3.Connection) -> int:
    """0 for an empty file; refuses files that hold something other than our log."""
    names = {
        str(row[0])
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
        ).fetchall()
    }
    if not names:
        return 0
    if "meta" not in names:
        raise SchemaProblem("not a lastgood database (it has no meta table)")
    return read_version(
        connection.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    )


def read_version(row: Sequence[object] | None) -> int:
    """The version in meta's `schema_version` row, read alike by both backends."""
    if row is None:
        raise SchemaProblem("not a lastgood database (meta has no schema_version)")
    try:
        version = int(str(row[0]))
    except (TypeError, ValueError):
        raise SchemaProblem(f"unreadable schema_version {row[0]!r}") from None
    if version < 1:  # a file with tables was written by version 1 or later: damage
        raise SchemaProblem(f"unreadable schema_version {row[0]!r} (versions begin at 1)")
    return version


def refuse_newer(version: int, supported: int = SCHEMA_VERSION) -> None:
    """A record written by a later lastgood is never opened: it may mean more than
    this one can read."""
    if version > supported:
        raise SchemaProblem(
            f"schema version {version} is newer than this lastgood supports "
            f"({supported}); upgrade lastgood to open it"
        )


def upgrade(connection: sqlite3.Connection) -> None:
    """Create or migrate the schema; call inside a write transaction."""
    version = stored_version(connection)
    refuse_newer(version)
    for target in range(version + 1, SCHEMA_VERSION + 1):
        MIGRATIONS[target](connection)
        connection.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)",
            [str(target)],
        )
        # PRAGMA takes no parameters; `target` is an int from our own table.
        connection.execute(f"PRAGMA user_version = {int(target)}")


def check_readable(connection: sqlite3.Connection) -> None:
    """Refuse what a read-only opening cannot use, since it may not migrate.

    Any version from EVENTS_READABLE_SINCE to SCHEMA_VERSION is read as it is.
    """
    version = stored_version(connection)
    if version == 0:
        raise SchemaProblem(EMPTY)
    refuse_newer(version)
    if version < EVENTS_READABLE_SINCE:
        raise SchemaProblem(
            f"schema version {version} is too old to read as it is (this lastgood "
            f"reads {EVENTS_READABLE_SINCE} to {SCHEMA_VERSION}); "
            "open it once for writing to upgrade it"
        )
