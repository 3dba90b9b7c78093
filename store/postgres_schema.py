"""The PostgreSQL layout: the same tables, columns and version as the SQLite file.

`events`, `tick_samples`, `outbox` and `meta` hold what they hold in SQLite
(`store.schema`, `store.derived`, `SCHEMA.md`), so a record copied from one to the
other keeps every byte its hashes cover. What differs is how the database
itself refuses what lastgood never does:

- triggers refuse UPDATE, DELETE and TRUNCATE of `events`, and an INSERT that does
  not extend the incident's chain (next seq, the head's hash as `prev_hash`); and
  (version 5) UPDATE, DELETE and TRUNCATE of `tick_samples`, and an INSERT of a
  summary that names no recorded probe tick by its seq and hash;
- `writer_grants` gives the role the coordinators connect as SELECT and INSERT on
  the record and no UPDATE or DELETE, and it does not own the tables, so it can
  neither disable the triggers nor drop them. The owner (who ran the first open
  or `lastgood migrate`) can; `verify` still finds what it changed.

A database is created at the current version in one transaction, under an
advisory lock, so two machines opening an empty database at once create it once; a
version 3, 5 or 6 database is brought to 7 the same way, by a role that owns its tables.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from incident.core.chain import GENESIS_HASH
from store.derived import SUMMARIES_APPEND_ONLY_MESSAGE, SUMMARY_NAMES_TICK_MESSAGE, TICK_KIND
from store.schema import (
    APPEND_ONLY_MESSAGE,
    CHAIN_MESSAGE,
    SchemaProblem,
    read_version,
    refuse_newer,
)
from store.summary_upgrade import rewrite_pages, stale_summaries_query

SCHEMA_VERSION = 7
"""Numbered as the SQLite file's layouts: 3, 5, 6 and 7 hold what a file's 3, 5, 6 and 7 hold,
but for a file's 4, the state snapshots, which a PostgreSQL record does not keep (its
replay folds from the declaration): no database was ever at 4."""

DESCRIBED_SINCE = 6
"""The version whose outbox says what each message is (`store.schema.OUTBOX_ABOUT_COLUMNS`)."""

WRITTEN_VERSIONS = (3, 5, 6, SCHEMA_VERSION)
"""The versions lastgood has left in a database; each is read and appended to as it is
(3 lacks the triggers that keep `tick_samples`, 3 and 5 the outbox's columns saying
what a message is, and before 7 a writer keeps the tick summaries as that version's
readers read them: `store.derived.FAILURES_KEPT_SINCE`)."""

if TYPE_CHECKING:
    import psycopg

SCHEMA_LOCK = 0x1A57_600D
"""The advisory lock key that serialises creating the schema."""

NOTIFY_CHANNEL = "lastgood_events"
"""Each append notifies here with "INCIDENT_ID SEQ" (the new head), for live readers."""

_CREATE_V3 = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """
    CREATE TABLE events (
        incident_id TEXT NOT NULL,
        seq BIGINT NOT NULL,
        at TEXT NOT NULL,
        mono_ns BIGINT NOT NULL,
        actor TEXT NOT NULL,
        kind TEXT NOT NULL,
        payload TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL,
        recorded BIGINT GENERATED ALWAYS AS IDENTITY,
        PRIMARY KEY (incident_id, seq)
    )
    """,
    "CREATE UNIQUE INDEX events_recorded ON events (recorded)",
    f"CREATE INDEX events_entries ON events (incident_id, seq) WHERE kind <> '{TICK_KIND}'",
    """
    CREATE TABLE tick_samples (
        incident_id TEXT NOT NULL,
        seq BIGINT NOT NULL,
        hash TEXT NOT NULL,
        samples BIGINT NOT NULL,
        readings TEXT NOT NULL,
        PRIMARY KEY (incident_id, seq)
    )
    """,
    """
    CREATE TABLE outbox (
        key TEXT PRIMARY KEY,
        incident_id TEXT NOT NULL,
        target TEXT NOT NULL,
        text TEXT NOT NULL,
        created_at TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts BIGINT NOT NULL DEFAULT 0,
        last_error TEXT NOT NULL DEFAULT '',
        next_attempt_at TEXT,
        delivered_at TEXT,
        queued BIGINT GENERATED ALWAYS AS IDENTITY
    )
    """,
    "CREATE INDEX outbox_due ON outbox (status, next_attempt_at)",
    f"""
    CREATE FUNCTION lastgood_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{APPEND_ONLY_MESSAGE}' USING ERRCODE = 'insufficient_privilege';
    END $$
    """,
    f"""
    CREATE FUNCTION lastgood_extend_chain() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT AS $$
    DECLARE
        head_seq BIGINT := 0;
        head_hash TEXT := '{GENESIS_HASH}';
    BEGIN
        SELECT seq, hash INTO head_seq, head_hash FROM events
        WHERE incident_id = NEW.incident_id ORDER BY seq DESC LIMIT 1;
        IF NOT FOUND THEN
            head_seq := 0;
            head_hash := '{GENESIS_HASH}';
        END IF;
        IF NEW.seq <> head_seq + 1 OR NEW.prev_hash <> head_hash THEN
            RAISE EXCEPTION '{CHAIN_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END $$
    """,
    "CREATE TRIGGER events_no_update BEFORE UPDATE ON events "
    "FOR EACH ROW EXECUTE FUNCTION lastgood_append_only()",
    "CREATE TRIGGER events_no_delete BEFORE DELETE ON events "
    "FOR EACH ROW EXECUTE FUNCTION lastgood_append_only()",
    "CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events "
    "FOR EACH STATEMENT EXECUTE FUNCTION lastgood_append_only()",
    "CREATE TRIGGER events_extend_chain BEFORE INSERT ON events "
    "FOR EACH ROW EXECUTE FUNCTION lastgood_extend_chain()",
    """
    CREATE VIEW incidents AS
    SELECT first.incident_id, first.at AS declared_at,
        (first.payload::json ->> 'title') AS title,
        (SELECT COUNT(*) FROM events AS e WHERE e.incident_id = first.incident_id)
            AS event_count,
        (SELECT e.at FROM events AS e WHERE e.incident_id = first.incident_id
         ORDER BY e.seq DESC LIMIT 1) AS last_at
    FROM events AS first WHERE first.seq = 1 ORDER BY first.recorded
    """,
)
"""Version 3, the first PostgreSQL layout, whole."""

_KEEP_SUMMARIES_V5 = (
    f"""
    CREATE FUNCTION lastgood_summaries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{SUMMARIES_APPEND_ONLY_MESSAGE}' USING ERRCODE = 'insufficient_privilege';
    END $$
    """,
    # One lookup by the primary key of the event inserted just before, in the same
    # transaction.
    f"""
    CREATE FUNCTION lastgood_summary_names_tick() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT AS $$
    BEGIN
        IF NOT EXISTS (
            SELECT 1 FROM events WHERE incident_id = NEW.incident_id AND seq = NEW.seq
                AND hash = NEW.hash AND kind = '{TICK_KIND}'
        ) THEN
            RAISE EXCEPTION '{SUMMARY_NAMES_TICK_MESSAGE}'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END $$
    """,
    "CREATE TRIGGER tick_samples_no_update BEFORE UPDATE ON tick_samples "
    "FOR EACH ROW EXECUTE FUNCTION lastgood_summaries_append_only()",
    "CREATE TRIGGER tick_samples_no_delete BEFORE DELETE ON tick_samples "
    "FOR EACH ROW EXECUTE FUNCTION lastgood_summaries_append_only()",
    "CREATE TRIGGER tick_samples_no_truncate BEFORE TRUNCATE ON tick_samples "
    "FOR EACH STATEMENT EXECUTE FUNCTION lastgood_summaries_append_only()",
    "CREATE TRIGGER tick_samples_name_a_tick BEFORE INSERT ON tick_samples "
    "FOR EACH ROW EXECUTE FUNCTION lastgood_summary_names_tick()",
)
"""Version 3 to 5: `tick_samples` kept as `events` is. An upsert (`ON CONFLICT DO
UPDATE`) fires the update trigger, so no replacing insert gets past them."""

_DESCRIBE_OUTBOX_V6 = (
    "ALTER TABLE outbox ADD COLUMN template TEXT, ADD COLUMN severity TEXT, ADD COLUMN title TEXT",
)
"""Version 5 to 6: what a message is, as `store.schema` adds it to a file's outbox
(`OUTBOX_ABOUT_COLUMNS`); rows already there keep NULL and are delivered with what they
hold."""

_OWNS_TABLES = (
    "SELECT bool_and(pg_has_role(relowner, 'USAGE') "
    "AND has_schema_privilege(relnamespace, 'CREATE')) "
    "FROM pg_class WHERE oid IN ('tick_samples'::regclass, 'outbox'::regclass)"
)
"""Whether this role may upgrade the database: it owns `tick_samples` and `outbox` (a
superuser does) and may create the functions beside them."""

_TABLES = (
    "SELECT bool_or(relname = 'meta'), bool_or(relname = 'events') FROM pg_class "
    "WHERE relnamespace = current_schema()::regnamespace AND relname IN ('meta', 'events')"
)
"""Read from the catalog as a query (not `to_regclass`, whose cache can miss a table
another connection created while this one waited for `SCHEMA_LOCK`)."""
_VERSION = "SELECT value FROM meta WHERE key = 'schema_version'"


def writer_grants(role: str, schema: str = "public") -> list[str]:
    """What the role coordinators connect as needs: read and append, never change.

    UPDATE on `outbox` only (a message's status moves on); nothing may UPDATE or
    DELETE `events` or `tick_samples`. `role` and `schema` are identifiers the
    administrator chose; they are quoted here.
    """
    who, where = _identifier(role), _identifier(schema)
    return [
        f"GRANT USAGE ON SCHEMA {where} TO {who}",
        f"GRANT SELECT ON {where}.meta, {where}.events, {where}.tick_samples, "
        f"{where}.outbox, {where}.incidents TO {who}",
        f"GRANT INSERT ON {where}.events, {where}.tick_samples, {where}.outbox TO {who}",
        f"GRANT UPDATE (status, attempts, last_error, next_attempt_at, delivered_at) "
        f"ON {where}.outbox TO {who}",
    ]


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def stored_version(connection: psycopg.Connection[Any]) -> int:
    """0 for a database without lastgood's tables; refuses someone else's `events`."""
    row = connection.execute(_TABLES).fetchone()
    has_meta, has_events = (False, False) if row is None else (bool(row[0]), bool(row[1]))
    if not has_meta:
        if has_events:
            raise SchemaProblem("not a lastgood database (an events table, but no meta table)")
        return 0
    return read_version(connection.execute(_VERSION).fetchone())


def _refuse_other(version: int) -> None:
    refuse_newer(version, SCHEMA_VERSION)
    if version != 0 and version not in WRITTEN_VERSIONS:
        raise SchemaProblem(f"schema version {version} is not one lastgood ever wrote here")


def upgrade(connection: psycopg.Connection[Any]) -> None:
    """Create the schema if the database has none, bring a version 3, 5 or 6 one to 7
    if this role owns it; refuse one this code cannot use.

    Looks first without a transaction, so a current database (every opening but
    the first) takes no lock and a writer role without CREATE never needs it. A
    writer role that opens a version 3 or 5 database takes the lock to find it does
    not own the tables, and records into it as it is (it lacks only the triggers that
    keep `tick_samples` and the outbox's columns saying what a message is); the
    owner's next opening that writes (`declare`, `migrate`, an outbox's) upgrades it.

    Refused, as `check_readable` refuses a reader, when another schema of the
    database holds a record: the role's search_path misses it, and creating one here
    would split the team's record in two under the same URL.
    """
    version = stored_version(connection)
    _refuse_other(version)
    if version == SCHEMA_VERSION:
        return
    with connection.transaction():
        connection.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
        version = stored_version(connection)  # another machine may have created it
        _refuse_other(version)
        if version == SCHEMA_VERSION:
            return
        if version == 0:
            if _record_schemas(connection):
                raise SchemaProblem(no_record(connection))
            if (cannot := cannot_create(connection)) is not None:
                raise SchemaProblem(cannot)  # not PostgreSQL's "no schema has been selected"
            for statement in (*_CREATE_V3, *_KEEP_SUMMARIES_V5, *_DESCRIBE_OUTBOX_V6):
                connection.execute(statement)
            connection.execute(
                "INSERT INTO meta (key, value) VALUES ('schema_version', %s)",
                (str(SCHEMA_VERSION),),
            )
            return
        (owner,) = connection.execute(_OWNS_TABLES).fetchone() or (False,)
        if not owner:
            return
        steps = (
            *(_KEEP_SUMMARIES_V5 if version < 5 else ()),
            *(_DESCRIBE_OUTBOX_V6 if version < 6 else ()),
        )
        for statement in steps:
            connection.execute(statement)
        _summaries_keep_failures_v7(connection)
        connection.execute(
            "UPDATE meta SET value = %s WHERE key = 'schema_version'", (str(SCHEMA_VERSION),)
        )


def _summaries_keep_failures_v7(connection: psycopg.Connection[Any]) -> None:
    """Version 6 to 7: each tick summary an earlier release wrote rewritten to keep its
    failed samples' times (`store.summary_upgrade`), past the trigger that refuses an
    UPDATE, disabled for this transaction alone (its table locked until the commit)."""
    query = stale_summaries_query("%s")
    connection.execute("ALTER TABLE tick_samples DISABLE TRIGGER tick_samples_no_update")
    for page in rewrite_pages(lambda parameters: connection.execute(query, parameters)):
        if page:  # one statement a page: a row's UPDATE each took 49 s at 100k, loaded
            connection.execute(_REWRITE_PAGE, [list(column) for column in zip(*page, strict=True)])
    connection.execute("ALTER TABLE tick_samples ENABLE TRIGGER tick_samples_no_update")


_REWRITE_PAGE = (
    "UPDATE tick_samples AS t SET readings = v.readings "
    "FROM unnest(%s::text[], %s::text[], %s::bigint[]) AS v (readings, incident_id, seq) "
    "WHERE t.incident_id = v.incident_id AND t.seq = v.seq"
)
"""A page of `store.summary_upgrade.Rewrite`s, given as three arrays, in one UPDATE."""


def check_readable(connection: psycopg.Connection[Any]) -> None:
    """Refuse, for an opening that must find a record (a reader, a verb on an incident),
    what it cannot use as it is; it never creates the schema."""
    version = stored_version(connection)
    if version == 0:
        raise SchemaProblem(no_record(connection))
    _refuse_other(version)


_LASTGOOD_SCHEMAS = (
    "SELECT DISTINCT meta.relnamespace::regnamespace::text FROM pg_class AS meta "
    "JOIN pg_class AS events ON events.relnamespace = meta.relnamespace "
    "AND events.relname = 'events' "
    "JOIN pg_class AS outbox ON outbox.relnamespace = meta.relnamespace "
    "AND outbox.relname = 'outbox' "
    "JOIN pg_attribute AS chain ON chain.attrelid = events.oid AND chain.attname = 'prev_hash' "
    "WHERE meta.relname = 'meta' ORDER BY 1"
)
"""The schemas holding lastgood's tables, from the catalog, which every role can read
(so a schema this role has no USAGE on is found too). Its tables `meta`, `events`
(with the chain's `prev_hash`) and `outbox` together: an application's own `meta`
and `events` in `public` were taken for a record and refused the first declaration."""


def _record_schemas(connection: psycopg.Connection[Any]) -> list[str]:
    return [str(row[0]) for row in connection.execute(_LASTGOOD_SCHEMAS).fetchall()]


_MAY_CREATE = (
    "SELECT current_user, current_schema() IS NOT NULL "
    "AND has_schema_privilege(current_schema(), 'CREATE')"
)
"""Who this role is, and whether it may create lastgood's tables where it would: a schema
on its search_path that it may use, and CREATE on it."""


def cannot_create(connection: psycopg.Connection[Any]) -> str | None:
    """Why this role cannot create lastgood's tables, and what to do, or None when it can.

    The writer of the README's set-up, before the owner's first declare and the grants:
    `list` told it to declare an incident first, and `declare` then failed with
    PostgreSQL's `no schema has been selected to create in` (or `permission denied for
    schema ...` once it had USAGE)."""
    row = connection.execute(_MAY_CREATE).fetchone()
    if row is None or row[1]:
        return None
    return (
        f"this role ({row[0]}) cannot create lastgood's tables here: the first declare or "
        "migrate runs as the schema's owner, who then grants the writer "
        '(README, "Setting it up")'
    )


def no_record(connection: psycopg.Connection[Any]) -> str:
    """Why no record was found, naming where it was looked for and where one is.

    Every message shows the same URL, and a role without the README's `search_path`
    looks in `public`: a refused `note` used to create an empty record there, and
    the team then wrote to two records in one database without knowing it.
    """
    (schema,) = connection.execute("SELECT current_schema()").fetchone() or (None,)
    found = _record_schemas(connection)
    here = (
        f"in schema {schema}"
        if schema
        else "on this role's search_path (no schema on it can be used)"
    )
    if not found:
        if (cannot := cannot_create(connection)) is not None:
            return f"no lastgood record {here} yet; {cannot}"
        return f"no lastgood record {here} yet (declare an incident first)"
    where = ", ".join(found)
    return (
        f"no lastgood record {here}; this database has one in schema {where}: set the "
        f"role's search_path to it (ALTER ROLE ... SET search_path = {found[0]}) and grant "
        "USAGE on it"
    )
