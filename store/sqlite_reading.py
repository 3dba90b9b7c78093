"""Reading the incident record from a SQLite file: the read side of `SqliteEventLog`.

Everything a session, a report, an export, `verify` or `migrate` reads lives here,
apart from the append path (`store.sqlite_log`), because the two change for
different reasons: how a long record is read a page at a time, ticks from their
summaries, is the reports' and the fold's concern; how an append is chained and
serialised is the writers'. A read-only opening uses only this side. Every sqlite3
failure leaves as a `StoreError` naming the file (`SqliteFile._using`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from incident.core.chain import GENESIS, ChainHead, ChainReport
from incident.core.events import Event
from incident.core.ticks import ProbeTick
from store.derived import has_snapshots, has_summaries
from store.errors import StoreError
from store.open_incidents import OPEN_PARAMETERS, not_drills, open_query
from store.paged_reading import PagedReading, Rows
from store.rows import BadRow, check_rows, decode, read_item
from store.schema import EVENT_COLUMNS
from store.sqlite_file import SqliteFile, check_findings
from store.verifying import verify_record

if TYPE_CHECKING:
    from store.snapshots import ReplayStart

_COLUMNS = ", ".join(EVENT_COLUMNS)
_SELECT = f"SELECT {_COLUMNS} FROM events WHERE incident_id = ? AND seq > ? ORDER BY seq"
_PAGE = (
    f"SELECT {_COLUMNS} FROM events WHERE incident_id = ? AND seq > ? AND seq <= ? "
    "ORDER BY seq LIMIT ?"
)
_LAST = f"SELECT {_COLUMNS} FROM events WHERE incident_id = ? ORDER BY seq DESC LIMIT 1"
_ANY = "SELECT 1 FROM events WHERE incident_id = ? LIMIT 1"
HEAD = "SELECT seq, hash FROM events WHERE incident_id = ? ORDER BY seq DESC LIMIT 1"
"""The incident's last (seq, hash): its head, which an append also chains onto."""
_IDS = "SELECT incident_id FROM events GROUP BY incident_id ORDER BY MIN(rowid)"
_OPEN = open_query("rowid", "?")


_DAMAGE_CODES = (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)
"""What SQLite says of a file whose pages it cannot read as its own: damage. Any other
error (a lock held past the busy timeout, a disk I/O error) says nothing of the file."""


def _code(error: sqlite3.Error) -> int:
    """`error`'s primary result code (its extended code's low byte); -1 when it has none."""
    code = getattr(error, "sqlite_errorcode", None)
    return -1 if code is None else int(code) & 0xFF


class SqliteReading(SqliteFile, PagedReading):
    """The queries on the incident record in one SQLite file; `SqliteEventLog` adds
    opening and appending. Calls are serialised by `SqliteFile`'s lock."""

    _noun = "log"

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        super().__init__(path, connection)
        with self._using("cannot open") as opened:
            self._summaries = has_summaries(opened)
            """Whether the file keeps tick summaries (`store.derived`; not a version 2 file)."""
            self._snapshots = has_snapshots(opened)
            """Whether the file keeps state snapshots (`store.snapshots`; not a version 3 file)."""

    def read_chain(
        self, incident_id: str, after: ChainHead = GENESIS
    ) -> tuple[list[Event], ChainReport]:
        """The events after `after` and the report of verifying them as its successors.

        One pass serves a session that folds every event and must know whether
        the chain holds. An unreadable row is a StoreError here, since nothing
        after it can be folded; `verify` reports it instead.
        """
        with self._using(f"cannot read incident {incident_id}") as connection:
            return self._read_verified(connection, incident_id, after)

    def _read_verified(
        self, connection: sqlite3.Connection, incident_id: str, after: ChainHead
    ) -> tuple[list[Event], ChainReport]:
        rows = connection.execute(_SELECT, (incident_id, max(after.seq - 1, 0))).fetchall()
        events, report, unreadable = check_rows(incident_id, rows, after)
        if unreadable is not None:
            raise self._fail(incident_id, unreadable)
        return events, report

    def _rows(self, incident_id: str, after_seq: int) -> list[tuple[object, ...]]:
        with self._using(f"cannot read incident {incident_id}") as connection:
            return connection.execute(_SELECT, (incident_id, after_seq)).fetchall()

    def _fail(self, incident_id: str, problem: BadRow | str) -> StoreError:
        return StoreError(self._path, f"incident {incident_id}: {problem}; run verify for details")

    def events(self, incident_id: str, after_seq: int = 0) -> list[Event]:
        """The incident's events with `seq > after_seq`, in order."""
        try:
            return [decode(row) for row in self._rows(incident_id, after_seq)]
        except BadRow as exc:
            raise self._fail(incident_id, exc) from exc

    def replay_start(self, incident_id: str, moment: datetime) -> ReplayStart | None:
        """Where folding the events up to `moment` may start, if the record's times never
        go back (`store.snapshots.before_moment`); None: read the whole record."""
        if not self._snapshots:
            return None
        from store.snapshots import before_moment

        return before_moment(self._query, incident_id, moment)

    def _query(self, sql: str, parameters: Sequence[object]) -> Rows:
        with self._using("cannot read the log") as connection:
            return connection.execute(sql, parameters).fetchall()

    def stored_rows(self, incident_id: str) -> Iterator[tuple[object, ...]]:
        """The incident's rows as stored, in `EVENT_COLUMNS` order, a page at a time
        (`lastgood migrate` copies them as they are, so the hashes still cover them)."""
        return self._pages(incident_id, 0, None)

    def _page(self, incident_id: str, after_seq: int, upto_seq: int, limit: int) -> Rows:
        with self._using(f"cannot read incident {incident_id}") as connection:
            return connection.execute(_PAGE, (incident_id, after_seq, upto_seq, limit)).fetchall()

    def last_event(self, incident_id: str) -> Event | ProbeTick | None:
        """The incident's last event (by seq), read as `scan` reads it; None if it has none."""
        with self._using(f"cannot read incident {incident_id}") as connection:
            row = connection.execute(_LAST, (incident_id,)).fetchone()
        if row is None:
            return None
        try:
            return read_item(row)
        except BadRow as exc:
            raise self._fail(incident_id, exc) from exc

    def has_incident(self, incident_id: str) -> bool:
        """Whether the log holds any event of the incident (one index lookup)."""
        with self._using(f"cannot read incident {incident_id}") as connection:
            row = connection.execute(_ANY, (incident_id,)).fetchone()
        return row is not None

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
        with self._using(f"cannot read incident {incident_id}") as connection:
            row = connection.execute(HEAD, (incident_id,)).fetchone()
        return 0 if row is None else int(row[0])

    def verify(self, incident_id: str) -> ChainReport:
        """Recompute the incident's chain, and check what is kept beside it
        (`store.verifying.verify_record`); an unreadable row is reported, not raised."""
        return verify_record(
            self._query,
            lambda: self._pages(incident_id, 0, None),
            incident_id,
            summaries=self._summaries,
            snapshots=self._snapshots,
        )

    def file_problem(self) -> str | None:
        """What SQLite's own check finds wrong with the file's pages and indexes, as one
        line; None when it finds nothing.

        `verify` asks this once per file. The chain proves the events it reads, but an
        index that lost rows hides them from every query through it (the outbox's
        `outbox_due` would skip a message falling due), and a damaged page that no
        incident's rows sit on is read by no chain. `integrity_check` reads every page
        and index (about 0.16 s for a 100k-event record); its first three findings
        are kept. A file too damaged to be checked says why."""
        with self._using("cannot check the file") as connection:
            try:
                rows = connection.execute("PRAGMA integrity_check(3)").fetchall()
            except sqlite3.DatabaseError as error:
                if _code(error) not in _DAMAGE_CODES:
                    raise  # locked, an I/O error: no verdict on the file (a StoreError)
                return " ".join(str(error).split())
        found = check_findings(rows)
        return None if found == ["ok"] else "; ".join(found)

    def seq_of_hash(self, incident_id: str, digest: str) -> int | None:
        """The seq of the incident's event whose hash is `digest`, if there is one."""
        with self._using(f"cannot read incident {incident_id}") as connection:
            row = connection.execute(
                "SELECT seq FROM events WHERE incident_id = ? AND hash = ?", (incident_id, digest)
            ).fetchone()
        return None if row is None else int(row[0])

    def hashes_starting(self, incident_id: str, prefix: str) -> list[str]:
        """The hashes of the incident's events that start with `prefix`, at most two
        (`verify --expect-head` with the 12 digits the faces print: one, or ambiguous)."""
        with self._using(f"cannot read incident {incident_id}") as connection:
            rows = connection.execute(
                "SELECT hash FROM events WHERE incident_id = ? AND substr(hash, 1, ?) = ? "
                "ORDER BY seq LIMIT 2",
                (incident_id, len(prefix), prefix),
            ).fetchall()
        return [str(row[0]) for row in rows]
