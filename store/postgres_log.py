"""The incident record: `EventLog` on a shared PostgreSQL database.

The same rows, hash chain and answers as `store.sqlite_log.SqliteEventLog`, for a
team whose coordinators record from several machines. One append is one
transaction that first takes a transaction-scoped advisory lock on the incident,
then reads its head and inserts the batch (and the ticks' summaries), so writers
on any machine take turns per incident and each extends the chain the other left;
appends to different incidents do not wait for each other. The same transaction
notifies `NOTIFY_CHANNEL`, delivered to listeners only once it commits.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from incident.core.chain import (
    GENESIS,
    GENESIS_HASH,
    ChainHead,
    ChainReport,
    ChainWalk,
    DamagedRecord,
)
from incident.core.events import Event, NewEvent
from incident.core.log import Opened
from incident.core.payloads import ProbeSamples
from incident.core.tick_runs import TickRun
from incident.core.ticks import ProbeTick, SampledTick
from store import summarised, tick_runs
from store.derived import summary_rows
from store.errors import StoreError
from store.postgres_connection import PostgresDatabase, connect
from store.postgres_schema import NOTIFY_CHANNEL, check_readable, upgrade
from store.rows import (
    BadRow,
    Decision,
    Row,
    check_rows,
    checked_batch,
    checked_items,
    decode,
    hashed_rows,
    read_item,
    recorded,
)
from store.schema import EVENT_COLUMNS, SchemaProblem

if TYPE_CHECKING:
    from datetime import datetime

    import psycopg

    from store.postgres_listen import PostgresListener
    from store.postgres_outbox import PostgresOutbox
    from store.snapshots import ReplayStart

_COLUMNS = ", ".join(EVENT_COLUMNS)
_INSERT = f"INSERT INTO events ({_COLUMNS}) VALUES ({', '.join(['%s'] * len(EVENT_COLUMNS))})"
_INSERT_SUMMARY = "INSERT INTO tick_samples VALUES (%s, %s, %s, %s, %s)"
_SELECT = f"SELECT {_COLUMNS} FROM events WHERE incident_id = %s AND seq > %s ORDER BY seq"
_PAGE = (
    f"SELECT {_COLUMNS} FROM events WHERE incident_id = %s AND seq > %s AND seq <= %s "
    "ORDER BY seq LIMIT %s"
)
_LAST = f"SELECT {_COLUMNS} FROM events WHERE incident_id = %s ORDER BY seq DESC LIMIT 1"
_HEAD = "SELECT seq, hash FROM events WHERE incident_id = %s ORDER BY seq DESC LIMIT 1"
_LOCK = "SELECT pg_advisory_xact_lock(hashtextextended('lastgood:' || %s, 0))"
_NOTIFY = "SELECT pg_notify(%s, %s)"
_IDS = "SELECT incident_id FROM events GROUP BY incident_id ORDER BY MIN(recorded)"
"""Every incident with a row, in the order first recorded: not the rows of seq 1
alone, which hid an incident whose declaration was deleted from `verify --all`."""
PAGE_ROWS = 2000
_MAX_SEQ = 2**63 - 1

Rows = list[tuple[Any, ...]]


@dataclass(frozen=True)
class Disagreement:
    """Where an incident's events here part from the rows offered to `adopt`."""

    seq: int
    """The first event here that the rows do not hold as it is."""
    missing: bool
    """The rows end before `seq`: the event is here only (not a different one)."""


class PostgresEventLog(PostgresDatabase):
    """An append-only, hash-chained event log in a PostgreSQL database.

    Build it with `PostgresEventLog.open`. Shared between threads like the SQLite
    log: calls are serialised by a lock.
    """

    _noun = "log"

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

    def replay_start(self, incident_id: str, moment: datetime) -> ReplayStart | None:
        """None: a PostgreSQL record keeps no state snapshots, so a replay folds from the
        declaration (a server-side snapshot table is work not done yet)."""
        return None

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

    def read_chain(
        self, incident_id: str, after: ChainHead = GENESIS
    ) -> tuple[list[Event], ChainReport]:
        """The events after `after` and the report of verifying them as its successors."""
        with self._using(f"cannot read incident {incident_id}") as connection:
            return self._read_verified(connection, incident_id, after)

    def _read_verified(
        self, connection: psycopg.Connection[Any], incident_id: str, after: ChainHead
    ) -> tuple[list[Event], ChainReport]:
        rows = connection.execute(_SELECT, (incident_id, max(after.seq - 1, 0))).fetchall()
        events, report, unreadable = check_rows(incident_id, rows, after)
        if unreadable is not None:
            raise self._fail(incident_id, unreadable)
        return events, report

    @staticmethod
    def _insert(
        connection: psycopg.Connection[Any],
        incident_id: str,
        batch: Sequence[NewEvent],
        payload_texts: Sequence[str],
    ) -> list[Row]:
        """Chain `batch` onto the head, summarise its ticks, notify: in the caller's transaction."""
        head = connection.execute(_HEAD, (incident_id,)).fetchone()
        last_seq, last_hash = (0, GENESIS_HASH) if head is None else head
        rows = hashed_rows(batch, payload_texts, int(last_seq), str(last_hash))
        with connection.cursor() as cursor:
            cursor.executemany(_INSERT, rows)
            summaries = summary_rows(rows)
            if summaries:
                cursor.executemany(_INSERT_SUMMARY, summaries)
        connection.execute(_NOTIFY, (NOTIFY_CHANNEL, f"{incident_id} {rows[-1][1]}"))
        return rows

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
                page = connection.execute(
                    _PAGE, (incident_id, last, _MAX_SEQ, PAGE_ROWS)
                ).fetchall()
                for stored in page:
                    theirs = next(rows, None)
                    if theirs is None or tuple(theirs) != tuple(stored):
                        return Disagreement(int(stored[1]), missing=theirs is None), 0
                if len(page) < PAGE_ROWS:
                    break
                last = page[-1][1]
            inserted, head = 0, last
            while batch := [tuple(row) for row in itertools.islice(rows, PAGE_ROWS)]:
                with connection.cursor() as cursor:
                    cursor.executemany(_INSERT, batch)
                    summaries = summary_rows(batch)
                    if summaries:
                        cursor.executemany(_INSERT_SUMMARY, summaries)
                inserted, head = inserted + len(batch), batch[-1][1]
            if inserted:
                connection.execute(_NOTIFY, (NOTIFY_CHANNEL, f"{incident_id} {head}"))
        return None, inserted

    def _fail(self, incident_id: str, problem: BadRow | str) -> StoreError:
        return StoreError(self._where, f"incident {incident_id}: {problem}; run verify for details")

    def events(self, incident_id: str, after_seq: int = 0) -> list[Event]:
        """The incident's events with `seq > after_seq`, in order."""
        with self._using(f"cannot read incident {incident_id}") as connection:
            rows = connection.execute(_SELECT, (incident_id, after_seq)).fetchall()
        try:
            return [decode(row) for row in rows]
        except BadRow as exc:
            raise self._fail(incident_id, exc) from exc

    def scan(
        self,
        incident_id: str,
        *,
        after_seq: int = 0,
        upto_seq: int | None = None,
        walk: ChainWalk | None = None,
    ) -> Iterator[Event | ProbeTick]:
        """As `SqliteEventLog.scan`: a page at a time, ticks from their summaries."""
        try:
            if walk is None:
                for page in self._page_lists(incident_id, after_seq, upto_seq):
                    yield from summarised.with_summaries(self._query, incident_id, page)
            else:
                pages = self._page_lists(incident_id, after_seq, upto_seq)
                yield from summarised.checked_pages(self._query, incident_id, pages, walk)
        except BadRow as exc:
            raise self._fail(incident_id, exc) from exc

    def opening_items(self, incident_id: str, walk: ChainWalk) -> Iterator[Opened]:
        """As `SqliteEventLog.opening_items`: verified, ticks in runs."""
        try:
            yield from tick_runs.checked_runs(self._query, incident_id, walk)
        except BadRow as exc:
            raise self._fail(incident_id, exc) from exc

    def report_items(
        self, incident_id: str, *, runs: bool = False
    ) -> Iterator[Event | ProbeTick | SampledTick | TickRun]:
        """As `SqliteEventLog.report_items`: entries by their index, ticks from summaries."""
        try:
            yield from (tick_runs.report_runs if runs else summarised.entries_and_ticks)(
                self._query,
                incident_id,
                lambda after, upto: self._pages(incident_id, after, upto),
                lambda seq: self._tick_data(incident_id, seq),
            )
        except BadRow as exc:
            raise self._fail(incident_id, exc) from exc

    def export_items(self, incident_id: str) -> Iterator[Event | ProbeTick | TickRun]:
        """As `SqliteEventLog.export_items`: ticks whose text hashes to their summary's in runs."""
        try:
            yield from tick_runs.export_runs(
                self._query, incident_id, lambda s: self._tick_data(incident_id, s)
            )
        except BadRow as exc:
            raise self._fail(incident_id, exc) from exc

    def _tick_data(self, incident_id: str, seq: int) -> ProbeSamples:
        for item in self.scan(incident_id, after_seq=seq - 1, upto_seq=seq):
            data = item.decode() if isinstance(item, ProbeTick) else item.data
            if isinstance(data, ProbeSamples):
                return data
        raise StoreError(self._where, f"incident {incident_id}: event {seq} is not a probe tick")

    def _pages(
        self, incident_id: str, after_seq: int, upto_seq: int | None
    ) -> Iterator[tuple[Any, ...]]:
        for page in self._page_lists(incident_id, after_seq, upto_seq):
            yield from page

    def _page_lists(self, incident_id: str, after_seq: int, upto_seq: int | None) -> Iterator[Rows]:
        last = after_seq
        upper = _MAX_SEQ if upto_seq is None else upto_seq
        while True:
            with self._using(f"cannot read incident {incident_id}") as connection:
                page = connection.execute(_PAGE, (incident_id, last, upper, PAGE_ROWS)).fetchall()
            yield page
            if len(page) < PAGE_ROWS:
                return
            last = page[-1][1]

    def _one(self, incident_id: str, sql: str, parameters: Sequence[object]) -> Any:
        with self._using(f"cannot read incident {incident_id}") as connection:
            return connection.execute(sql, parameters).fetchone()

    def last_event(self, incident_id: str) -> Event | ProbeTick | None:
        """The incident's last event (by seq), read as `scan` reads it; None if it has none."""
        row = self._one(incident_id, _LAST, (incident_id,))
        if row is None:
            return None
        try:
            return read_item(row)
        except BadRow as exc:
            raise self._fail(incident_id, exc) from exc

    def has_incident(self, incident_id: str) -> bool:
        """Whether the log holds any event of the incident (one index lookup)."""
        sql = "SELECT 1 FROM events WHERE incident_id = %s LIMIT 1"
        return self._one(incident_id, sql, (incident_id,)) is not None

    def incident_ids(self) -> list[str]:
        """Every incident in the log, in the order it was first recorded."""
        with self._using("cannot list incidents") as connection:
            return [str(row[0]) for row in connection.execute(_IDS).fetchall()]

    def last_seq(self, incident_id: str) -> int:
        """The incident's highest sequence number; 0 if it has no events."""
        row = self._one(incident_id, _HEAD, (incident_id,))
        return 0 if row is None else int(row[0])

    def verify(self, incident_id: str) -> ChainReport:
        """Recompute the incident's chain and its tick summaries, as `SqliteEventLog.verify`."""
        walk = ChainWalk(incident_id)
        summaries = summarised.stored_summaries(self._query, incident_id)
        pending = next(summaries, None)
        try:
            for item in checked_items(self._pages(incident_id, 0, None), walk):
                if walk.failure is not None:
                    break
                stored = None
                if pending is not None and pending[0] == item.seq:
                    stored, pending = pending, next(summaries, None)
                if problem := summarised.summary_problem(stored, item):
                    walk.fail(item.seq, problem)
                    break
        except BadRow:
            pass  # failed in `walk` already
        if walk.failure is None and pending is not None:
            walk.fail(
                int(pending[0]), f"a tick summary stands for event {pending[0]}, not recorded"
            )
        return walk.report()

    def seq_of_hash(self, incident_id: str, digest: str) -> int | None:
        """The seq of the incident's event whose hash is `digest`, if there is one."""
        sql = "SELECT seq FROM events WHERE incident_id = %s AND hash = %s"
        row = self._one(incident_id, sql, (incident_id, digest))
        return None if row is None else int(row[0])

    def __repr__(self) -> str:
        mode = "read-only" if self._read_only else "writable"
        return f"<PostgresEventLog {self._where!r} {mode}>"
