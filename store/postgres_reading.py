"""Reading the incident record from PostgreSQL: the read side of `PostgresEventLog`.

The same queries and answers as `store.sqlite_reading.SqliteReading`, a page at a
time, ticks from their summaries. Kept apart from the append path
(`store.postgres_log`: the advisory lock, NOTIFY, `adopt`) because the two change
for different reasons; psycopg is loaded only when a URL is opened
(`store.postgres_connection.load_psycopg`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from incident.core.chain import GENESIS, ChainHead, ChainReport, ChainWalk
from incident.core.events import Event
from incident.core.ticks import ProbeTick
from store import summarised
from store.errors import StoreError
from store.open_incidents import OPEN_PARAMETERS, not_drills, open_query
from store.paged_reading import PagedReading, Rows
from store.postgres_connection import PostgresDatabase
from store.rows import BadRow, check_rows, checked_items, decode, read_item
from store.schema import EVENT_COLUMNS

if TYPE_CHECKING:
    from datetime import datetime

    import psycopg

    from store.snapshots import ReplayStart

_COLUMNS = ", ".join(EVENT_COLUMNS)
_SELECT = f"SELECT {_COLUMNS} FROM events WHERE incident_id = %s AND seq > %s ORDER BY seq"
PAGE = (
    f"SELECT {_COLUMNS} FROM events WHERE incident_id = %s AND seq > %s AND seq <= %s "
    "ORDER BY seq LIMIT %s"
)
"""The incident's rows in (after, upto], at most a limit: a page (`adopt` compares by it)."""
_LAST = f"SELECT {_COLUMNS} FROM events WHERE incident_id = %s ORDER BY seq DESC LIMIT 1"
HEAD = "SELECT seq, hash FROM events WHERE incident_id = %s ORDER BY seq DESC LIMIT 1"
"""The incident's last (seq, hash): its head, which an append also chains onto."""
_IDS = "SELECT incident_id FROM events GROUP BY incident_id ORDER BY MIN(recorded)"
_OPEN = open_query("recorded", "%s")
"""Every incident with a row, in the order first recorded: not the rows of seq 1
alone, which hid an incident whose declaration was deleted from `verify --all`."""


class PostgresReading(PostgresDatabase, PagedReading):
    """The queries on the incident record in a PostgreSQL database; `PostgresEventLog`
    adds opening and appending. Calls are serialised by `PostgresDatabase`'s lock."""

    _noun = "log"

    def replay_start(self, incident_id: str, moment: datetime) -> ReplayStart | None:
        """None: a PostgreSQL record keeps no state snapshots, so a replay folds from the
        declaration (a server-side snapshot table is work not done yet)."""
        return None

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

    def _page(self, incident_id: str, after_seq: int, upto_seq: int, limit: int) -> Rows:
        with self._using(f"cannot read incident {incident_id}") as connection:
            rows: Rows = connection.execute(
                PAGE, (incident_id, after_seq, upto_seq, limit)
            ).fetchall()
            return rows

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

    def open_incidents(self) -> list[str]:
        """The incidents not closed, drills left out, oldest first (`store.open_incidents`)."""
        with self._using("cannot list incidents") as connection:
            return not_drills(connection.execute(_OPEN, OPEN_PARAMETERS).fetchall())

    def last_seq(self, incident_id: str) -> int:
        """The incident's highest sequence number; 0 if it has no events."""
        row = self._one(incident_id, HEAD, (incident_id,))
        return 0 if row is None else int(row[0])

    def file_problem(self) -> None:
        """None: a PostgreSQL server keeps its own pages (data checksums, `amcheck`), and
        asking it takes a superuser, which lastgood's role is not. `verify` still
        recomputes every chain (`SqliteReading.file_problem` checks a file's pages)."""
        return None

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

    def hashes_starting(self, incident_id: str, prefix: str) -> list[str]:
        """The hashes of the incident's events that start with `prefix`, at most two
        (`verify --expect-head` with the 12 digits the faces print: one, or ambiguous)."""
        sql = (
            "SELECT hash FROM events WHERE incident_id = %s AND substr(hash, 1, %s) = %s "
            "ORDER BY seq LIMIT 2"
        )
        with self._using(f"cannot read incident {incident_id}") as connection:
            rows = connection.execute(sql, (incident_id, len(prefix), prefix)).fetchall()
        return [str(row[0]) for row in rows]
