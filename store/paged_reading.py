"""The record read a page at a time, ticks from their summaries: the same in both stores.

A session opening, a report, an export and a replay read an incident through the
same few paths (`scan`, `opening_items`, `report_items`, `export_items`), built on
`store.summarised` and `store.tick_runs` over pages of rows. SQLite and PostgreSQL
differ only in how a page is fetched (their SQL, their placeholders) and in what a
failure names, so those are theirs (`_page`, `_query`, `_fail`) and the paths
are written once, here: two copies had to be kept saying the same thing.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from incident.core.chain import ChainWalk
from incident.core.events import Event
from incident.core.log import Opened
from incident.core.payloads import ProbeSamples
from incident.core.tick_runs import TickRun
from incident.core.ticks import ProbeTick, SampledTick
from store.errors import StoreError
from store.rows import BadRow, checked_items, read_item
from store.summarised import checked_pages, entries_and_ticks, with_summaries
from store.tick_runs import checked_runs, export_runs, report_runs

Rows = list[tuple[Any, ...]]

PAGE_ROWS = 2000
"""Rows read at once by `scan`: enough to amortise the query, few enough to hold."""
MAX_SEQ = 2**63 - 1
"""The highest seq a store can hold: "no upper bound" in a page's query."""


class PagedReading:
    """The reads made alike over a store's pages; a store supplies the pages."""

    _summaries: bool = True
    """Whether the store keeps tick summaries: a version 2 SQLite file does not, and is
    read row by row."""

    def _page(self, incident_id: str, after_seq: int, upto_seq: int, limit: int) -> Rows:
        """The incident's first `limit` rows in (after_seq, upto_seq], in order: one query,
        the store's lock held for it alone."""
        raise NotImplementedError

    def _query(self, sql: str, parameters: Sequence[object]) -> Rows:
        """One query's rows (the summaries' and runs' own SQL, written for both stores)."""
        raise NotImplementedError

    def _fail(self, incident_id: str, problem: BadRow | str) -> StoreError:
        """An unreadable record, said as this store says it."""
        raise NotImplementedError

    def _page_lists(self, incident_id: str, after_seq: int, upto_seq: int | None) -> Iterator[Rows]:
        """Rows in pages of `PAGE_ROWS`, the lock held for each page only."""
        last = after_seq
        upper = MAX_SEQ if upto_seq is None else upto_seq
        while True:
            page = self._page(incident_id, last, upper, PAGE_ROWS)
            yield page
            if len(page) < PAGE_ROWS:
                return
            last = page[-1][1]

    def _pages(
        self, incident_id: str, after_seq: int, upto_seq: int | None
    ) -> Iterator[tuple[Any, ...]]:
        for page in self._page_lists(incident_id, after_seq, upto_seq):
            yield from page

    def scan(
        self,
        incident_id: str,
        *,
        after_seq: int = 0,
        upto_seq: int | None = None,
        walk: ChainWalk | None = None,
    ) -> Iterator[Event | ProbeTick]:
        """The incident's events with `after_seq < seq <= upto_seq`, as they are read.

        For a record too long to hold decoded: read a page at a time, a probe
        tick as a `ProbeTick` when its stored text allows (`store.rows.read_item`),
        every other event decoded. With `walk` (from genesis: `after_seq` 0), each
        is verified into it as it passes, as `read_chain` does. An unreadable row
        is a StoreError, as in `events`.
        """
        try:
            if walk is None:
                yield from self._read_pages(incident_id, after_seq, upto_seq)
            elif not self._summaries:
                yield from checked_items(self._pages(incident_id, after_seq, upto_seq), walk)
            else:
                pages = self._page_lists(incident_id, after_seq, upto_seq)
                yield from checked_pages(self._query, incident_id, pages, walk)
        except BadRow as exc:
            raise self._fail(incident_id, exc) from exc

    def _read_pages(
        self, incident_id: str, after_seq: int, upto_seq: int | None
    ) -> Iterator[Event | ProbeTick]:
        """As `_pages`, each row read (`read_item`); a tick from its summary where one names it."""
        if not self._summaries:
            for row in self._pages(incident_id, after_seq, upto_seq):
                yield read_item(row)
            return
        for page in self._page_lists(incident_id, after_seq, upto_seq):
            yield from with_summaries(self._query, incident_id, page)

    def opening_items(self, incident_id: str, walk: ChainWalk) -> Iterator[Opened]:
        """The record verified into `walk`, ticks in runs (`store.tick_runs.checked_runs`):
        what a session folds as it opens. Without summaries (a version 2 file), `scan`."""
        if not self._summaries:
            yield from self.scan(incident_id, walk=walk)
            return
        try:
            yield from checked_runs(self._query, incident_id, walk)
        except BadRow as exc:
            raise self._fail(incident_id, exc) from exc

    def report_items(
        self, incident_id: str, walk: ChainWalk, *, runs: bool = False
    ) -> Iterator[Event | ProbeTick | SampledTick | TickRun]:
        """The record as a report reads it: what `scan` gives, but each tick that has a
        summary given from the summary alone (`SampledTick`; with `runs`, ticks in a
        row as one `TickRun`), its row left unread.

        The events that are not ticks come through their own index, so a long
        record's ticks cost a report a small row each. Without summaries (a
        version 2 file), this is `scan`. Verified into `walk` as it is read
        (`EventLog.report_items`).
        """
        if not self._summaries:
            yield from self.scan(incident_id, walk=walk)
            return
        try:
            yield from (report_runs if runs else entries_and_ticks)(
                self._query,
                incident_id,
                lambda after, upto: self._pages(incident_id, after, upto),
                lambda seq: self._tick_data(incident_id, seq),
                walk,
            )
        except BadRow as exc:
            raise self._fail(incident_id, exc) from exc

    def export_items(
        self, incident_id: str, walk: ChainWalk
    ) -> Iterator[Event | ProbeTick | TickRun]:
        """The record as the JSON export copies it (`store.tick_runs.export_runs`):
        ticks whose text hashes to their summary's hash in runs; without summaries, `scan`.
        Verified into `walk` as it is read."""
        if not self._summaries:
            yield from self.scan(incident_id, walk=walk)
            return
        try:
            yield from export_runs(
                self._query, incident_id, lambda seq: self._tick_data(incident_id, seq), walk
            )
        except BadRow as exc:
            raise self._fail(incident_id, exc) from exc

    def _tick_data(self, incident_id: str, seq: int) -> ProbeSamples:
        """The samples of one tick, read from its row (for a `SampledTick` a state keeps)."""
        for item in self.scan(incident_id, after_seq=seq - 1, upto_seq=seq):
            data = item.decode() if isinstance(item, ProbeTick) else item.data
            if isinstance(data, ProbeSamples):
                return data
        raise self._fail(incident_id, f"event {seq} is not a probe tick")
