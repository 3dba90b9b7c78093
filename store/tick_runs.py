"""The record as the exports read it: probe ticks a page at a time, as `TickRun`s.

Reading a long record one object per tick cost the exports several microseconds a
tick against about one for a raw read of its row; `incident.core.tick_runs` says
what a run saves. Here the store hands over ticks in runs of up to a page:

- `report_runs` (the Markdown report and the timeline): the events that are not
  ticks through their index, the ticks from their summaries alone, as
  `entries_and_ticks` reads them (`store.summarised`);
- `export_runs` (the JSON export, which copies every event): every row, its
  summary joined, a tick in a run only while its text still hashes to the hash its
  summary names (as `scan` takes a summary), so each text copied is one whose
  summary was made from it;
- `checked_runs` (a session opening the record): the same runs, the chain verified
  as they are read.

A run holds the events that are not ticks between its first and last tick
(`TickRun.between`) and is handed over after the events before it and before the
events after it. Any tick its summary does not serve ends the run and is read from
its row, exactly as before; a run whose summaries do not read is given tick by tick.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from incident.core.chain import ChainWalk
from incident.core.events import Event
from incident.core.tick_runs import TickRun, whole, whole_text
from incident.core.ticks import ProbeTick, SampledTick
from store.derived import TICK_KIND
from store.rows import checked_item, checked_items, linked_rows, read_item
from store.summarised import (
    ENTRIES,
    PAGE_ROWS,
    SAMPLED,
    Page,
    Rows,
    all_served,
    checked_with_summaries,
    paged,
    sampled_tick,
    served,
)

Item = Event | ProbeTick | SampledTick | TickRun
Copied = Event | ProbeTick | TickRun
"""What the JSON export reads: no tick is known from its summary alone."""
T = TypeVar("T", Item, Copied)
Stored = tuple[str, str]
"""An event's time and payload as stored, for the JSON export to copy (`TickRun.between_text`)."""
MakeRun = Callable[[Rows, list[Event], Sequence[Stored]], Iterator[T]]
"""Makes a run of tick rows, the events between them and those events' `Stored` text."""
Columns = tuple[tuple[Any, ...], ...]
"""A page's tick rows as columns (`store.summarised.all_served`)."""
Load = Callable[[int], Any]
"""Decodes one tick's samples from its row (`SampledTick.decode`)."""

_EXPORT = (  # no incident id (the query's own) and no kind for a summarised tick: see `_full`
    "SELECT NULL, e.seq, e.at, e.mono_ns, e.actor, CASE WHEN t.samples IS NULL THEN e.kind END, "
    "e.payload, e.prev_hash, e.hash, t.samples, t.readings FROM events AS e "
    "LEFT JOIN tick_samples AS t "
    "ON t.incident_id = e.incident_id AND t.seq = e.seq AND t.hash = e.hash "
    f"AND e.kind = '{TICK_KIND}' WHERE e.incident_id = ? AND e.seq > ? ORDER BY e.seq LIMIT ?"
)


class _Gathering:
    """Tick rows gathered into one run, and the events read while it was open."""

    def __init__(self) -> None:
        self.rows: Rows = []
        self.between: list[Event] = []
        self.texts: list[Stored] = []
        """Each of `between`'s time and payload as stored."""
        self.after: list[Event] = []
        """Events after the last tick so far: between, if another tick follows."""
        self.after_texts: list[Stored] = []

    def tick(self, row: tuple[Any, ...]) -> None:
        if self.after:
            self.between += self.after
            self.texts += self.after_texts
            self.after, self.after_texts = [], []
        self.rows.append(row)

    def hold(self, item: Event | ProbeTick, row: tuple[Any, ...]) -> bool:
        """Keep an event read (from `row`) while a run is open; False (not kept) if none is."""
        if not self.rows or not isinstance(item, Event):
            return False
        self.after.append(item)
        self.after_texts.append((row[2], row[6]))  # strings: `read_item` refuses a row without
        return True

    def end(self, run: MakeRun[T]) -> Iterator[T | Event]:
        """The run (`run` makes it of the rows and the events between), then the events after."""
        if self.rows:
            yield from run(self.rows, self.between, self.texts)
        yield from self.after
        self.rows, self.between, self.texts, self.after, self.after_texts = [], [], [], [], []


def report_runs(
    page: Page,
    incident_id: str,
    rows_between: Callable[[int, int | None], Iterator[tuple[Any, ...]]],
    load: Load,
    walk: ChainWalk,
) -> Iterator[Item]:
    """As `store.summarised.entries_and_ticks`, the summarised ticks in runs, each row
    verified into `walk` as that verifies."""

    def run(rows: Rows, between: list[Event], _: Sequence[Stored]) -> Iterator[Item]:
        seqs, ats, digests, counts, readings, _prevs = zip(*rows, strict=True)
        if _typed(ats, counts, readings) and whole(counts, readings):
            yield TickRun(incident_id, seqs, ats, digests, counts, readings, load, between=between)
            return
        one_by_one: list[Item] = list(between)
        for row in rows:  # a summary that does not read: the tick is read as it was
            made = sampled_tick(incident_id, row, load)
            one_by_one += [made] if made else map(read_item, rows_between(row[0] - 1, row[0]))
        yield from sorted(one_by_one, key=_seq)

    entries = paged(page, ENTRIES, incident_id)
    sampled = paged(page, SAMPLED, incident_id)
    entry, tick = next(entries, None), next(sampled, None)
    gathering = _Gathering()
    expected = 1
    add_tick = walk.add_hashed
    while entry is not None or tick is not None:
        if entry is not None and entry[1] == expected:
            item = checked_item(entry, walk)
            if not gathering.hold(item, entry):
                yield item
            entry = next(entries, None)
        elif tick is not None and tick[0] == expected:
            add_tick(expected, tick[5], tick[2])
            gathering.tick(tick)
            tick = next(sampled, None)
            if len(gathering.rows) >= PAGE_ROWS:
                yield from gathering.end(run)
        else:  # rows no summary serves: read as they are, after the run so far
            yield from gathering.end(run)
            known = [found for found in (entry and entry[1], tick and tick[0]) if found]
            upto = min(known) - 1
            yield from checked_items(rows_between(expected - 1, upto), walk)
            expected = upto
        expected += 1
    yield from gathering.end(run)
    yield from checked_items(rows_between(expected - 1, None), walk)


def export_runs(page: Page, incident_id: str, load: Load, walk: ChainWalk) -> Iterator[Copied]:
    """Every row in order, as `scan` reads it, but the ticks its summaries serve in runs
    that carry their stored text; one query a page, the summaries joined.

    Each page is verified into `walk` before it is handed over (`linked_rows`): the
    ticks in runs were hashed to serve, so they are only linked, and every other row
    is hashed from its stored text. What the export copies is then what was hashed,
    or `walk` says where it is not.
    """

    def run(
        rows: Rows,
        between: list[Event],
        between_text: Sequence[Stored],
        columns: Columns | None = None,
    ) -> Iterator[Copied]:
        columns = columns or tuple(zip(*rows, strict=True))
        joined = whole_text(columns[9], columns[10])
        if joined is not None:
            yield _carrying_text(incident_id, columns, load, between, between_text, joined)
            return
        # A summary that does not read: each tick from its text, as `scan` reads it.
        ticks = (read_item(_full(incident_id, row)[:9]) for row in rows)
        yield from sorted([*between, *ticks], key=_seq)

    last = 0
    quoted: dict[tuple[object, object], tuple[str, str] | None] = {}
    while True:
        rows = page(_EXPORT, (incident_id, last, PAGE_ROWS))
        named = [row for row in rows if row[9] is not None]
        unsummarised = any(row[5] == TICK_KIND for row in rows if row[9] is None)
        columns = None if unsummarised else all_served(incident_id, named)
        if columns is not None:  # the usual page: every tick summarised and checked at once
            linked_rows(incident_id, rows, [row[9] is not None for row in rows], walk)
            yield from _one_run(incident_id, rows, named, columns, run)
        else:  # checked row by row (`served`), each row whole
            whole_rows = [_full(incident_id, row) for row in rows]
            flags = served(whole_rows, quoted)
            linked_rows(incident_id, whole_rows, flags, walk)
            named = [row for row in whole_rows if row[9] is not None]
            if unsummarised or sum(flags) < len(named):
                # a tick its summary does not serve: read from its row, ending the run so far
                yield from _tick_by_tick(whole_rows, flags, run)
            else:
                yield from _one_run(incident_id, whole_rows, named, None, run)
        if len(rows) < PAGE_ROWS:
            return
        last = rows[-1][1]


def checked_runs(page: Page, incident_id: str, walk: ChainWalk) -> Iterator[Copied]:
    """The record from genesis verified into `walk`, as `scan` with a walk reads it, but
    each page's ticks in one run that carries their text: what a session folds as it
    opens (`Fold.add_run` reads a run's probes once, not each tick's samples).

    A page goes this way when its summaries serve every tick on it and read whole
    (`all_served`, `whole_text`), checked before the walk moves: each tick's text is
    hashed, with the page's at once, and linked to the event before it; every other
    row is read and checked as `checked_items` does. Any other page is read as
    `checked_with_summaries` reads it, tick by tick.
    """
    last = 0
    while True:
        rows = page(_EXPORT, (incident_id, last, PAGE_ROWS))
        yield from _checked_page(page, incident_id, rows, walk)
        if len(rows) < PAGE_ROWS:
            return
        last = rows[-1][1]


def _checked_page(page: Page, incident_id: str, rows: Rows, walk: ChainWalk) -> Iterator[Copied]:
    """One page of `checked_runs`: its ticks in runs, each tick without a summary (one
    whose text the summaries do not read) read from its row between them."""
    named = [row for row in rows if row[9] is not None]
    columns = all_served(incident_id, named) if named and walk.failure is None else None
    joined = None if columns is None else whole_text(columns[9], columns[10])
    if joined is None:
        whole_rows = [_full(incident_id, row)[:9] for row in rows]
        if named:  # some summary does not serve: each tick as `scan` takes it
            yield from checked_with_summaries(page, incident_id, whole_rows, walk)
        else:  # no summarised tick: nothing to ask the summaries again
            yield from checked_items(whole_rows, walk)
        return
    # Every summarised tick's text hashes to its stored hash, and its summary reads.
    if not any(row[9] is None and row[5] == TICK_KIND for row in rows):
        yield from _checked_run(incident_id, rows, walk, joined)  # the usual page: one run
        return
    stretch: Rows = []
    for row in rows:
        if row[9] is None and row[5] == TICK_KIND:
            yield from _checked_run(incident_id, stretch, walk)
            stretch = []
            yield checked_item(_full(incident_id, row)[:9], walk)
        else:
            stretch.append(row)
    yield from _checked_run(incident_id, stretch, walk)


def _checked_run(
    incident_id: str, rows: Rows, walk: ChainWalk, joined: str | None = None
) -> Iterator[Copied]:
    """Rows whose ticks are served (hashed already): each linked into `walk` in order,
    the others read and checked; the events before the first tick, the run (`joined`:
    its summaries' text, if made already), the rest."""
    others: list[Event] = []
    ticks: Rows = []
    for row in rows:
        if row[9] is None:
            item = checked_item((incident_id, *row[1:9]), walk)
            assert isinstance(item, Event)  # not a tick: those are outside `rows`
            others.append(item)
        else:
            walk.add_hashed(row[1], row[7], row[8])
            ticks.append(row)
    if not ticks:
        yield from others
        return
    first, final = ticks[0][1], ticks[-1][1]
    yield from (item for item in others if item.seq < first)
    between = [item for item in others if first < item.seq < final]
    columns = tuple(zip(*ticks, strict=True))
    yield _carrying_text(incident_id, columns, _unused_load, between, joined=joined)
    yield from (item for item in others if item.seq > final)


def _unused_load(seq: int) -> Any:
    """A run that carries its ticks' text decodes them from it (`TickRun.tick`)."""
    raise AssertionError(f"tick {seq} has its text in the run")


def _carrying_text(
    incident_id: str,
    columns: Columns,
    load: Load,
    between: list[Event],
    between_text: Sequence[Stored] = (),
    joined: str | None = None,
) -> TickRun:
    """A run of `_EXPORT` tick rows, given as columns, that carries each tick's stored text."""
    _, seqs, ats, mono_ns, actors, _, payloads, prevs, digests, counts, readings = columns
    return TickRun(
        incident_id,
        seqs,
        ats,
        digests,
        counts,
        readings,
        load,
        (mono_ns, actors, payloads, prevs),
        between=between,
        between_text=between_text,
        joined=joined,
    )


def _full(incident_id: str, row: tuple[Any, ...]) -> tuple[Any, ...]:
    """An `_EXPORT` row with the columns the query leaves out: the incident's id, and the
    kind of a tick with a summary joined (the join names only ticks)."""
    return (incident_id, *row[1:5], TICK_KIND if row[9] is not None else row[5], *row[6:])


def _tick_by_tick(rows: Rows, flags: list[bool], run: MakeRun[Copied]) -> Iterator[Copied]:
    """A page in order, its served ticks in runs that each unserved tick ends."""
    gathering = _Gathering()
    for row, summarised in zip(rows, flags, strict=True):
        if summarised:
            gathering.tick(row)
            continue
        item = read_item(row[:9])
        if row[5] == TICK_KIND or not gathering.hold(item, row):
            yield from gathering.end(run)
            yield item
    yield from gathering.end(run)


def _one_run(
    incident_id: str,
    rows: Rows,
    ticks: Rows,
    columns: Columns | None,
    run: Callable[[Rows, list[Event], Sequence[Stored], Columns | None], Iterator[Copied]],
) -> Iterator[Copied]:
    """A page whose every tick its summary serves (`ticks`, in `columns` if known): the
    events before its first tick, one run (with the events between), the events after."""
    others = [read_item((incident_id, *row[1:9])) for row in rows if row[9] is None]
    if not ticks:
        yield from others
        return
    first, last = ticks[0][1], ticks[-1][1]
    between: list[Event] = []
    texts: list[Stored] = []
    for row, item in zip((row for row in rows if row[9] is None), others, strict=True):
        if first < item.seq < last:
            assert isinstance(item, Event)  # not a tick: `read_item` decoded it
            between.append(item)
            texts.append((row[2], row[6]))  # strings: `read_item` refuses a row without
    yield from (item for item in others if item.seq < first)
    yield from run(ticks, between, texts, columns)
    yield from (item for item in others if item.seq > last)


def _typed(
    ats: tuple[object, ...], counts: tuple[object, ...], readings: tuple[object, ...]
) -> bool:
    """Whether the columns hold what a summary's do (a file edited by hand may not)."""
    return (
        set(map(type, ats)) == {str}
        and set(map(type, counts)) == {int}
        and set(map(type, readings)) == {str}
    )


def _seq(item: Item | Copied) -> int:
    return item.seq
