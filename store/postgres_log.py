"""The incident record: `EventLog` on a shared PostgreSQL database.

The same rows, hash chain and answers as `store.sqlite_log.SqliteEventLog`, for a
team whose coordinators record from several machines. One append is one
transaction that first takes a transaction-scoped advisory lock on the incident,
then reads its head and inserts the batch (and the ticks' summaries), so writers
on any machine take turns per incident and each extends the chain the other left;
appends to different incidents do not wait for each other. The same transaction
notifies `NOTIFY_CHANNEL`, delivered to listeners only once it commits.

This module opens the database and appends to it (and `adopt`s a copied record);
what reads the record is `store.postgres_reading.PostgresReading`, which
`PostgresEventLog` extends.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from incident.core.chain import GENESIS_HASH, ChainHead, DamagedRecord
from incident.core.events import Event, NewEvent
from store.derived import FAILURES_KEPT_SINCE, summary_rows
from store.errors import StoreError
from store.paged_reading import MAX_SEQ, PAGE_ROWS
from store.postgres_connection import connect
from store.postgres_reading import HEAD, PAGE, PostgresReading
from store.postgres_schema import NOTIFY_CHANNEL, check_readable, stored_version, upgrade
from store.rows import Decision, Row, checked_batch, hashed_rows, recorded
from store.schema import EVENT_COLUMNS, SchemaProblem

if TYPE_CHECKING:
    import psycopg

    from store.postgres_listen import PostgresListener
    from store.postgres_outbox import PostgresOutbox

_COLUMNS = ", ".join(EVENT_COLUMNS)
_INSERT = f"INSERT INTO events ({_COLUMNS}) VALUES ({', '.join(['%s'] * len(EVENT_COLUMNS))})"
_INSERT_SUMMARY = "INSERT INTO tick_samples VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING"
"""A row already there is one left by an event deleted past the triggers: kept, and
reported by `verify`, as `store.derived.INSERT` keeps it in a file."""
_LOCK = "SELECT pg_advisory_xact_lock(hashtextextended('lastgood:' || %s, 0))"
_NOTIFY = "SELECT pg_notify(%s, %s)"


@dataclass(frozen=True)
class Disagreement:
    """Where an incident's events here part from the rows offered to `adopt`."""

    seq: int
    """The first event here that the rows do not hold as it is."""
    missing: bool
    """The rows end before `seq`: the event is here only (not a different one)."""


class PostgresEventLog(PostgresReading):
    """An append-only, hash-chained event log in a PostgreSQL database.

    Build it with `PostgresEventLog.open`. Shared between threads like the SQLite
    log: calls are serialised by a lock.
    """

    _legacy_summaries: bool = False
    """Whether the database, older than `FAILURES_KEPT_SINCE` (a writer role cannot
    upgrade it), keeps its tick summaries as that version's readers read them."""

    @classmethod
    def open(
        cls, url: str, *, read_only: bool = False, snapshot: bool = False, creating: bool = True
    ) -> PostgresEventLog:
        """Connect; a writable opening that is `creating` (a declaration) creates the
        schema in an empty database.

        A read-only opening runs every transaction READ ONLY and creates nothing, nor
        does a writer on an incident (not `creating`): it must find the record.
        `snapshot` is accepted for the SQLite log's signature: a server has no
        files beside it to leave alone.
        """
        where, connection = connect(url, read_only=read_only)
        log = cls(where, connection, url=url, read_only=read_only)
        try:
            with log._using("cannot open") as opened:
                (upgrade if creating and not read_only else check_readable)(opened)
                log._legacy_summaries = stored_version(opened) < FAILURES_KEPT_SINCE
        except SchemaProblem as exc:
            log.close()
            raise StoreError(where, str(exc)) from None
        except BaseException:
            log.close()
            raise
        return log

    @property
    def read_only(self) -> bool:
        """Whether this log refuses appends."""
        return self._read_only

    def listen(self, incident_id: str) -> PostgresListener:
        """A live feed of the incident's appends, on a connection of its own: a screen
        learns of other machines' events when they commit, not on its next poll."""
        from store.postgres_listen import PostgresListener

        return PostgresListener.open(self._url, incident_id)

    def open_outbox(self) -> PostgresOutbox:
        """The outbox in the same database."""
        from store.postgres_outbox import PostgresOutbox

        return PostgresOutbox.open(self._url)

    def _refuse_read_only(self, incident_id: str) -> None:
        if self._read_only:
            raise StoreError(self._where, f"opened read-only; cannot append to {incident_id}")

    def append(self, events: Sequence[NewEvent]) -> list[Event]:
        """Record `events` in one transaction; durable when this returns."""
        batch = list(events)
        if not batch:
            return []
        incident_id = batch[0].incident_id
        self._refuse_read_only(incident_id)
        texts = checked_batch(incident_id, batch)
        with self._writing(f"cannot append to incident {incident_id}") as connection:
            connection.execute(_LOCK, (incident_id,))
            rows = self._insert(connection, incident_id, batch, texts)
        return recorded(rows)

    def append_decided(
        self,
        incident_id: str,
        after: ChainHead,
        decide: Callable[[list[Event]], Sequence[NewEvent]],
        proposal: Sequence[NewEvent] | None = None,
    ) -> tuple[list[Event], list[Event]]:
        """Read what others appended after `after`, decide, and append: one transaction,
        under the incident's lock, as `SqliteEventLog.append_decided`."""
        self._refuse_read_only(incident_id)
        rows: list[Row] = []
        decision = Decision(incident_id, decide, proposal)
        with self._writing(f"cannot append to incident {incident_id}") as connection:
            connection.execute(_LOCK, (incident_id,))
            fresh, report = self._read_verified(connection, incident_id, after)
            if not report.ok:
                raise DamagedRecord(report)
            batch, texts = decision.batch(fresh)
            if batch:
                rows = self._insert(connection, incident_id, batch, texts)
        return fresh, recorded(rows)

    def _insert(
        self,
        connection: psycopg.Connection[Any],
        incident_id: str,
        batch: Sequence[NewEvent],
        payload_texts: Sequence[str],
    ) -> list[Row]:
        """Chain `batch` onto the head, summarise its ticks, notify: in the caller's transaction."""
        legacy = self._still_legacy(connection)
        head = connection.execute(HEAD, (incident_id,)).fetchone()
        last_seq, last_hash = (0, GENESIS_HASH) if head is None else head
        rows = hashed_rows(batch, payload_texts, int(last_seq), str(last_hash))
        with connection.cursor() as cursor:
            cursor.executemany(_INSERT, rows)
            summaries = summary_rows(rows, legacy=legacy)
            if summaries:
                cursor.executemany(_INSERT_SUMMARY, summaries)
        connection.execute(_NOTIFY, (NOTIFY_CHANNEL, f"{incident_id} {rows[-1][1]}"))
        return rows

    def _still_legacy(self, connection: psycopg.Connection[Any]) -> bool:
        """Whether this transaction writes version 6's summaries: the database was older
        than `FAILURES_KEPT_SINCE` when opened, and the owner has not upgraded it since.
        `tick_samples` is locked first as an INSERT locks it, so an upgrade (whose
        rewrite locks it against writers) either commits before the version is read
        here, or waits for this transaction and then rewrites what it wrote."""
        if not self._legacy_summaries:
            return False
        connection.execute("LOCK TABLE tick_samples IN ROW EXCLUSIVE MODE")
        self._legacy_summaries = stored_version(connection) < FAILURES_KEPT_SINCE
        return self._legacy_summaries

    def adopt(
        self, incident_id: str, rows: Iterator[Sequence[Any]]
    ) -> tuple[Disagreement | None, int]:
        """Take in an incident's rows as another store keeps them (`lastgood migrate`).

        One transaction under the incident's lock. The events already here must be
        the first of `rows`, exactly: then the rest is inserted as it is (the hashes
        still cover the same text) with its tick summaries. Returns (where the events
        here part from `rows`, None if they do not; how many were inserted), and
        inserts nothing when they part.
        """
        self._refuse_read_only(incident_id)
        with self._writing(f"cannot copy incident {incident_id}") as connection:
            connection.execute(_LOCK, (incident_id,))
            last = 0
            while True:
                page = connection.execute(PAGE, (incident_id, last, MAX_SEQ, PAGE_ROWS)).fetchall()
                for stored in page:
                    theirs = next(rows, None)
                    if theirs is None or tuple(theirs) != tuple(stored):
                        return Disagreement(int(stored[1]), missing=theirs is None), 0
                if len(page) < PAGE_ROWS:
                    break
                last = page[-1][1]
            inserted, head = 0, last
            legacy = self._still_legacy(connection)
            while batch := [tuple(row) for row in itertools.islice(rows, PAGE_ROWS)]:
                with connection.cursor() as cursor:
                    cursor.executemany(_INSERT, batch)
                    summaries = summary_rows(batch, legacy=legacy)
                    if summaries:
                        cursor.executemany(_INSERT_SUMMARY, summaries)
                inserted, head = inserted + len(batch), batch[-1][1]
            if inserted:
                connection.execute(_NOTIFY, (NOTIFY_CHANNEL, f"{incident_id} {head}"))
        return None, inserted

    def __repr__(self) -> str:
        mode = "read-only" if self._read_only else "writable"
        return f"<PostgresEventLog {self._where!r} {mode}>"
