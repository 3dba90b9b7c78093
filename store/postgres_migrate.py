"""Moving a record from a SQLite file into a PostgreSQL database, hashes and all.

The rows are copied as stored, byte for byte (never decoded and encoded again, so
the hashes still cover exactly the text they covered), each incident in one
transaction under its advisory lock, its tick summaries derived again on the way
(as any append derives them). After the copy the incident's chain is verified in
the target and its head compared with the source's.

What is already in the target decides what happens, one incident at a time:

- nothing: the incident is copied;
- the same events: nothing to do (a migration run twice is harmless);
- the first events of the source, and no others: the rest is copied (a migration
  cut short resumes);
- anything else: refused, nothing written: two records disagree, and choosing
  between them is for a person.

A source incident whose chain does not verify is refused too: copying it would
spread a damaged record under a database that looks sound.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from store.derived import summary_rows
from store.postgres_log import _INSERT, _INSERT_SUMMARY, _LOCK, _SELECT, PostgresEventLog
from store.sqlite_log import SqliteEventLog

COPY_ROWS = 2000
"""Rows inserted per statement batch: a long record is never held whole."""


@dataclass(frozen=True)
class Copied:
    """What happened to one incident; `ok` False makes the migration fail."""

    incident_id: str
    ok: bool
    line: str


def migrate(source: SqliteEventLog, target: PostgresEventLog) -> Iterator[Copied]:
    """Copy every incident of `source` into `target`, one `Copied` per incident, in order."""
    for incident_id in source.incident_ids():
        yield copy_incident(source, target, incident_id)


def copy_incident(source: SqliteEventLog, target: PostgresEventLog, incident_id: str) -> Copied:
    report = source.verify(incident_id)
    if not report.ok:
        return Copied(
            incident_id,
            False,
            f"{incident_id}: REFUSED: the source does not verify (event "
            f"{report.first_bad_seq}: {report.problem}); nothing copied",
        )
    with target._writing(f"cannot copy incident {incident_id}") as connection:
        connection.execute(_LOCK, (incident_id,))
        present = connection.execute(_SELECT, (incident_id, 0)).fetchall()
        source_rows = source.stored_rows(incident_id)
        differs = _first_difference(present, source_rows)
        if differs is not None:
            return Copied(
                incident_id,
                False,
                f"{incident_id}: REFUSED: the target already holds other events "
                f"(event {differs} differs); nothing copied",
            )
        copied = _insert_rest(connection, source_rows)
    after = target.verify(incident_id)
    if not after.ok or after.head_hash != report.head_hash:
        return Copied(
            incident_id,
            False,
            f"{incident_id}: COPIED BUT DOES NOT VERIFY in the target "
            f"(event {after.first_bad_seq}: {after.problem})",
        )
    done = "already there" if copied == 0 else f"copied {copied} events"
    return Copied(
        incident_id,
        True,
        f"{incident_id}: {done}; {after.count} events verify, head {after.head_hash}",
    )


def _first_difference(
    present: list[tuple[Any, ...]], source_rows: Iterator[tuple[Any, ...]]
) -> int | None:
    """The seq of the first target event that is not the source's; None if the target's
    events are the source's first ones. Consumes from `source_rows` only as many
    rows as the target has."""
    for stored in present:
        theirs = next(source_rows, None)
        if theirs is None or tuple(theirs) != tuple(stored):
            return int(stored[1])
    return None


def _insert_rest(connection: Any, rows: Iterator[tuple[Any, ...]]) -> int:
    """Insert what is left of `rows`, a batch at a time; how many."""
    count = 0
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        batch.append(tuple(row))
        if len(batch) == COPY_ROWS:
            count += _insert(connection, batch)
            batch = []
    return count + (_insert(connection, batch) if batch else 0)


def _insert(connection: Any, batch: list[tuple[Any, ...]]) -> int:
    with connection.cursor() as cursor:
        cursor.executemany(_INSERT, batch)
        summaries = summary_rows(batch)
        if summaries:
            cursor.executemany(_INSERT_SUMMARY, summaries)
    return len(batch)
