"""What the store keeps beside the events so that reading a long record skips its ticks.

Nine events in ten of a long incident are probe ticks, and what a report needs of
each (its time, how many samples, which probes, the OK numeric readings, when a
sample failed) is a few bytes of a 300-byte payload that takes a pattern to read. So
every append writes, in the same transaction, one `tick_samples` row per tick: that summary
(`incident.core.ticks.summary_text`) and the tick's hash.

These rows are a cache, never evidence. Each names the event it describes by its
hash, and a reader uses a row only for the event that still has that hash (a
changed event is read from its own text, as if it had no summary); `verify`
derives every row again from the event's text and reports one that differs, is
missing or is extra (`SqliteEventLog.verify`).

Since version 5 the file keeps them as it keeps the events: triggers refuse an
UPDATE or DELETE of a row, an INSERT that would replace one, and an INSERT of one
that names no recorded probe tick by its seq and hash. What a trigger cannot check
is that a new row's figures are its tick's (that takes decoding the tick): `verify`
does. Whoever can write the file can drop the triggers and forge a summary as they
can forge events; the same `verify` and head hash catch both.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from incident.core.events import Kind
from incident.core.ticks import legacy_summary_text, read_samples, summary_text

TICK_KIND = str(Kind.PROBE_SAMPLES)

TICK_SAMPLES_TABLE = """
CREATE TABLE IF NOT EXISTS tick_samples (
    incident_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL,
    samples INTEGER NOT NULL,
    readings TEXT NOT NULL,
    PRIMARY KEY (incident_id, seq)
) WITHOUT ROWID
"""
"""One row per probe tick: its hash, how many samples, and `summary_text` of them."""

ENTRIES_INDEX = (
    "CREATE INDEX IF NOT EXISTS events_entries ON events (incident_id, seq) "
    f"WHERE kind != '{TICK_KIND}'"
)
"""The events that are not probe ticks, found without visiting the ticks.

A partial index: SQLite uses it for a query whose WHERE has the same term, and a
tick appended costs it nothing. It changes neither the columns nor the triggers
of `events`, so older releases and read-only openings read the table as before."""

INSERT = (
    "INSERT INTO tick_samples SELECT ?1, ?2, ?3, ?4, ?5 WHERE NOT EXISTS "
    "(SELECT 1 FROM tick_samples WHERE incident_id = ?1 AND seq = ?2)"
)
"""Each writer inserts the rows of the ticks it has just appended, so a row is there
already only where an event was deleted past the triggers (a tail cut, then recorded
over): that row is kept, read by no one (it names the deleted event's hash) and
reported by `verify`, and the append goes on. It was INSERT OR REPLACE, which
overwrote that evidence, and which the triggers now refuse."""

SUMMARIES_APPEND_ONLY_MESSAGE = "tick summaries are append-only; they are derived from the events"
SUMMARY_NAMES_TICK_MESSAGE = "a tick summary must name a recorded probe tick by its seq and hash"


def kept_as_events(
    table: str, refused: str, *, check: str, names: str, naming: str
) -> tuple[str, ...]:
    """The triggers that keep a derived `table` as `events` is kept: no UPDATE, no
    DELETE, no INSERT over a row there (`refused` said), and (trigger `{table}_{check}`)
    no INSERT of a row unless `names`, an SQL condition on `events` e and the NEW row,
    finds the event it is of (`naming` said). Version 5, for the tick summaries and
    the state snapshots."""
    stop = "SELECT RAISE(ABORT, '{}');"
    return (
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table} "
        f"BEGIN {stop.format(refused)} END",
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table} "
        f"BEGIN {stop.format(refused)} END",
        # INSERT OR REPLACE deletes the row it replaces without firing the delete
        # trigger unless recursive_triggers is on, which a plain `sqlite3` session
        # does not set.
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_replace BEFORE INSERT ON {table} "
        f"WHEN EXISTS (SELECT 1 FROM {table} "
        "WHERE incident_id = NEW.incident_id AND seq = NEW.seq) "
        f"BEGIN {stop.format(refused)} END",
        # One lookup by the primary key of an event inserted in the same transaction.
        f"CREATE TRIGGER IF NOT EXISTS {table}_{check} BEFORE INSERT ON {table} "
        "WHEN NOT EXISTS (SELECT 1 FROM events AS e "
        f"WHERE e.incident_id = NEW.incident_id AND e.seq = NEW.seq AND {names}) "
        f"BEGIN {stop.format(naming)} END",
    )


_SUMMARY_TRIGGERS_V5 = kept_as_events(
    "tick_samples",
    SUMMARIES_APPEND_ONLY_MESSAGE,
    check="name_a_tick",
    names=f"e.hash IS NEW.hash AND e.kind = '{TICK_KIND}'",
    naming=SUMMARY_NAMES_TICK_MESSAGE,
)

FAILURES_KEPT_SINCE = 7
"""The version since which a tick summary keeps a failed sample's time (`summary_text`).
A PostgreSQL writer that may not upgrade an older database writes the summaries of
that database's version (`legacy_summary_text`), which its older readers read."""

SummaryRow = tuple[str, int, str, int, str]
"""(incident_id, seq, hash, samples, readings): one `tick_samples` row."""


class Executes(Protocol):
    """What a migration runs its statements on (a sqlite3 connection, or a wrapper)."""

    def execute(self, sql: str, parameters: Any = ..., /) -> sqlite3.Cursor: ...


def summary_row(row: Sequence[Any], *, legacy: bool = False) -> SummaryRow | None:
    """The `tick_samples` row of an `events` row; None if it is not a tick whose text
    `read_samples` reads (that one is read from its own text whenever it is read).
    `legacy`: as a database before `FAILURES_KEPT_SINCE` keeps it."""
    incident_id, seq, _, _, _, kind, payload, _, digest = row
    if kind != TICK_KIND or type(payload) is not str:
        return None
    samples = read_samples(payload)
    if samples is None:
        return None
    text = legacy_summary_text(samples) if legacy else summary_text(samples)
    if text is None:
        return None
    return (incident_id, seq, digest, len(samples), text)


def summary_rows(rows: Iterable[Sequence[Any]], *, legacy: bool = False) -> list[SummaryRow]:
    return [found for row in rows if (found := summary_row(row, legacy=legacy)) is not None]


def add_tick_samples_v3(db: Executes) -> None:
    """Version 3: the summaries and the index of entries, filled from the events there are.

    Runs in the upgrade's transaction: a crash leaves version 2, not half the rows.
    """
    db.execute(TICK_SAMPLES_TABLE)
    db.execute(ENTRIES_INDEX)
    rows = db.execute(
        "SELECT incident_id, seq, at, mono_ns, actor, kind, payload, prev_hash, hash "
        "FROM events WHERE kind = ?",
        [TICK_KIND],
    )
    for row in rows:  # streamed: a long record is not held
        found = summary_row(row)
        if found is not None:
            db.execute(INSERT, found)


def add_summary_triggers_v5(db: Executes) -> None:
    """Version 5: `tick_samples` append-only, as `events` is (the rows there are kept)."""
    for trigger in _SUMMARY_TRIGGERS_V5:
        db.execute(trigger)


def has_snapshots(connection: sqlite3.Connection) -> bool:
    """Whether the file has the `state_snapshots` table (not a version 3 file read as it is)."""
    row = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'state_snapshots'"
    ).fetchone()
    return row is not None


def has_summaries(connection: sqlite3.Connection) -> bool:
    """Whether the file has the `tick_samples` table (a version 2 file read as it is has not)."""
    row = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tick_samples'"
    ).fetchone()
    return row is not None
