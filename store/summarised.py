"""Reading a record with its tick summaries (`store.derived`), and checking them.

Two readers, each given the log's rows a page at a time:

- `with_summaries`: every row, a tick whose summary still names it (same hash,
  and the row's text still hashes to it) made a `ProbeTick` from the summary
  instead of from its text: `scan`, which replay reads; `checked_with_summaries`
  is the same read verified into a chain walk, as a session opens a record.
- `entries_and_ticks`: the events that are not ticks, read through their index,
  and the ticks from their summaries alone (`SampledTick`, or a `TickRun` of those
  in a row: `store.tick_runs`, which also reads the JSON export's), their rows
  unread; a tick with no summary that names it is read from its row: the reports.
- `summary_problem`: what `verify` finds wrong with the summaries, the events
  already checked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from incident.core.chain import ChainWalk, json_string
from incident.core.digest import sha256_for
from incident.core.events import Event
from incident.core.ticks import (
    ProbeTick,
    SampledTick,
    legacy_summary_text,
    summary_samples,
    summary_text,
)
from store.derived import TICK_KIND
from store.rows import checked_item, checked_items, read_item

Rows = list[tuple[Any, ...]]
Page = Callable[[str, Sequence[object]], Rows]
"""Runs one query (under the log's lock) and returns its rows."""

PAGE_ROWS = 2000
COLUMNS = "incident_id, seq, at, mono_ns, actor, kind, payload, prev_hash, hash"
_SUMMARIES = (
    "SELECT seq, hash, samples, readings FROM tick_samples "
    "WHERE incident_id = ? AND seq > ? AND seq <= ? ORDER BY seq"
)
ENTRIES = (
    f"SELECT {COLUMNS} FROM events WHERE incident_id = ? AND kind != '{TICK_KIND}' "
    "AND seq > ? ORDER BY seq LIMIT ?"
)
SAMPLED = (  # the previous hash last: what a reader links the tick with (`ChainWalk`)
    "SELECT t.seq, e.at, t.hash, t.samples, t.readings, e.prev_hash FROM tick_samples AS t "
    "JOIN events AS e ON e.incident_id = t.incident_id AND e.seq = t.seq "
    f"WHERE t.incident_id = ? AND t.seq > ? AND e.hash = t.hash AND e.kind = '{TICK_KIND}' "
    "ORDER BY t.seq LIMIT ?"
)
_ALL_SUMMARIES = (
    "SELECT seq, hash, samples, readings FROM tick_samples "
    "WHERE incident_id = ? AND seq > ? ORDER BY seq LIMIT ?"
)


def with_summaries(page: Page, incident_id: str, rows: Rows) -> Iterator[Event | ProbeTick]:
    """One page of `events` rows read as `scan` reads them, ticks from their summaries."""
    ticks = summarised_ticks(page, incident_id, rows)
    for row, tick in zip(rows, ticks, strict=True):
        yield read_item(row) if tick is None else tick


def checked_pages(
    page: Page, incident_id: str, pages: Iterable[Rows], walk: ChainWalk
) -> Iterator[Event | ProbeTick]:
    """`checked_with_summaries` of each page in turn: `scan` with a walk."""
    for rows in pages:
        yield from checked_with_summaries(page, incident_id, rows, walk)


def checked_with_summaries(
    page: Page, incident_id: str, rows: Rows, walk: ChainWalk
) -> Iterator[Event | ProbeTick]:
    """`store.rows.checked_items` of one page, a tick its summary serves made from the
    summary: its text hashed (the walk's check of it), not parsed.

    A session opens a record this way, so a long one costs a hash a tick, not a
    reading of every sample. The payload of such a tick is not checked to be the
    canonical encoding, which the hash it still matches says it was when written
    (a forger who re-hashed the chain from there is `verify`'s to find, as ever).
    """
    ticks = summarised_ticks(page, incident_id, rows)
    for row, tick in zip(rows, ticks, strict=True):
        if tick is None:
            yield checked_item(row, walk)
        else:
            walk.add(tick, "", tick.hash)  # `served` found the text hashes to it
            yield tick


CHECKED_AT_ONCE = 128
"""Rows whose ticks are hashed in one comprehension: few enough that a reader that stops
early (replay, at a moment just past a stored state) hashes little past it."""


def summarised_ticks(page: Page, incident_id: str, rows: Rows) -> Iterator[ProbeTick | None]:
    """For each row of a page, the tick its summary makes, if a summary names the row's
    hash and the row's text still hashes to that (`served`, `CHECKED_AT_ONCE` rows at a
    time); None for the rest (an edited tick among them), read from their text as ever.

    The hash is `incident.core.chain.text_hash`, written out with the few strings
    that repeat from row to row (incident, actor, kind) quoted once.
    """
    if not rows:
        return
    found = {
        seq: (digest, samples, readings)
        for seq, digest, samples, readings in page(
            _SUMMARIES, (incident_id, rows[0][1] - 1, rows[-1][1])
        )
    }
    for start in range(0, len(rows), CHECKED_AT_ONCE):
        joined: Rows = []
        for row in rows[start : start + CHECKED_AT_ONCE]:
            summary = found.get(row[1]) if row[5] == TICK_KIND else None
            if summary is None or summary[0] != row[8]:
                joined.append((*row[:9], None, None))
            else:
                joined.append((*row[:9], summary[1], summary[2]))
        for row, good in zip(joined, served(joined, {}), strict=True):
            samples = summary_samples(row[9], row[10]) if good else None
            if samples is None:
                yield None
                continue
            incident, seq, at, mono, actor, _, payload, prev, digest = row[:9]
            yield ProbeTick(incident, seq, at, mono, actor, payload, prev, digest, samples)


def hashes_to_it(
    row: tuple[Any, ...],
    count: object,
    readings: object,
    quoted: dict[tuple[object, object], tuple[str, str] | None],
) -> bool:
    """Whether the row's text still hashes to its stored hash, a summary's typed beside it."""
    incident_id, seq, at, mono_ns, actor, _, payload, prev_hash, stored = row[:9]
    if type(count) is not int or type(readings) is not str:
        return False
    if not (type(mono_ns) is int and type(payload) is str and type(seq) is int):
        return False
    key = (incident_id, actor)
    names = quoted[key] if key in quoted else quoted.setdefault(key, _quote(incident_id, actor))
    if names is None or not (_plain(at) and _plain(prev_hash)):
        return False
    return _tick_digests(names, [seq], [at], [mono_ns], [payload], [prev_hash]) == [stored]


def served(rows: Rows, quoted: dict[tuple[object, object], tuple[str, str] | None]) -> list[bool]:
    """`hashes_to_it` for each row of a page of `events` rows with their summary's count
    and readings joined (None where no summary names the row's hash): in one pass over
    the page where its columns are all plain text and numbers, as this release writes."""
    named = [row for row in rows if row[9] is not None]
    pairs = {(row[0], row[4]) for row in named}
    names = _quote(*next(iter(pairs))) if len(pairs) == 1 else None
    if names is None or not _plain_columns(named):
        return [row[9] is not None and hashes_to_it(row, row[9], row[10], quoted) for row in rows]
    _, seqs, ats, monos, _, _, payloads, prevs, digests = tuple(zip(*named, strict=True))[:9]
    computed = _tick_digests(names, seqs, ats, monos, payloads, prevs)
    checked = zip(seqs, computed, digests, strict=True)
    good = {seq for seq, mine, stored in checked if mine == stored}
    return [row[9] is not None and row[1] in good for row in rows]


def all_served(incident_id: str, named: Rows) -> tuple[tuple[Any, ...], ...] | None:
    """The columns of a page's rows that have a summary joined, if each row's text still
    hashes to its stored hash: the usual page, checked column-wise (its hashes compared
    as one list) and handed on as columns; None: leave it to `served`, row by row.

    A row whose text was edited since its summary was written (the hash column kept)
    hashes to something else, so its page takes `served`'s way, which reads that row
    from its own text: this decides only how a page is checked, not what passes."""
    if not named:
        return None
    columns = tuple(zip(*named, strict=True))
    _, seqs, ats, mono_ns, actors, _, payloads, prevs, digests = columns[:9]
    if len(set(actors)) != 1:
        return None
    names = _quote(incident_id, actors[0])
    if names is None or not _plain_column_types(columns):
        return None
    computed = _tick_digests(names, seqs, ats, mono_ns, payloads, prevs)
    return columns if computed == list(digests) else None


def _tick_digests(
    names: tuple[str, str],
    seqs: Sequence[Any],
    ats: Sequence[Any],
    monos: Sequence[Any],
    payloads: Sequence[Any],
    prevs: Sequence[Any],
) -> list[str]:
    """`incident.core.chain.text_hash` of ticks whose texts are plain (`_plain`) and
    whose incident and actor are `names` (quoted once), in one comprehension."""
    who, incident = names
    start = f'{{"actor":{who},"at":"'
    middle = f'","incident":{incident},"kind":"{TICK_KIND}","mono_ns":'
    texts = [
        f'{start}{at}{middle}{mono},"payload":{payload},"prev":"{prev}","seq":{seq}}}'.encode()
        for seq, at, mono, payload, prev in zip(seqs, ats, monos, payloads, prevs, strict=True)
    ]
    sha256 = sha256_for(sum(map(len, texts)))
    return [sha256(text).hexdigest() for text in texts]


def _plain_columns(rows: Rows) -> bool:
    """Whether the rows' numbers are ints and their texts strings `json_string` leaves alone."""
    columns = list(zip(*rows, strict=True))
    return bool(columns) and _plain_column_types(columns)


def _plain_column_types(columns: Sequence[Sequence[Any]]) -> bool:
    """`_plain_columns` of the rows' columns."""
    for column, kind in ((1, int), (2, str), (3, int), (6, str), (7, str), (9, int), (10, str)):
        if set(map(type, columns[column])) != {kind}:
            return False
    return all(_plain_joined("".join(columns[column])) for column in (2, 7))


def _plain_joined(text: str) -> bool:
    """`_plain`, for ASCII text by deleting the characters it allows (in C, a byte at a time)."""
    if text.isascii():
        return not text.encode().translate(None, _PLAIN_ASCII)
    return _plain(text)


_PLAIN_ASCII = bytes(byte for byte in range(0x20, 0x7F) if chr(byte) not in '"\\')
"""The ASCII characters `json_string` writes as they are: printable, not `"` or `\\`."""


def _plain(text: object) -> bool:
    """A string `json_string` writes between quotes as it is."""
    return type(text) is str and text.isprintable() and '"' not in text and "\\" not in text


def _quote(incident_id: object, actor: object) -> tuple[str, str] | None:
    if type(incident_id) is not str or type(actor) is not str:
        return None
    return json_string(actor), json_string(incident_id)


def entries_and_ticks(
    page: Page,
    incident_id: str,
    rows_between: Callable[[int, int | None], Iterator[tuple[Any, ...]]],
    load: Callable[[int], Any],
    walk: ChainWalk,
) -> Iterator[Event | ProbeTick | SampledTick]:
    """The record in order: entries decoded, ticks from their summaries, the rest from rows.

    `rows_between(after, upto)` reads `events` rows in that range (for the ticks no
    summary names); `load(seq)` decodes one tick's samples (`SampledTick.decode`).
    Each row is verified into `walk` as it comes: a tick from its summary linked (the
    summary names its hash, and was made from its text), any other row checked as
    `verify` checks it (`checked_item`: its stored text canonical, and hashing to its
    hash).
    """
    entries = paged(page, ENTRIES, incident_id)
    sampled = paged(page, SAMPLED, incident_id)
    entry, tick = next(entries, None), next(sampled, None)
    expected = 1
    while entry is not None or tick is not None:
        if entry is not None and entry[1] == expected:
            yield checked_item(entry, walk)
            entry = next(entries, None)
        elif tick is not None and tick[0] == expected:
            walk.add_hashed(expected, tick[5], tick[2])
            made = sampled_tick(incident_id, tick, load)
            if made is not None:
                yield made
            else:  # a summary that does not read: the row is read instead
                yield from (read_item(row) for row in rows_between(expected - 1, expected))
            tick = next(sampled, None)
        else:
            known = [found for found in (entry and entry[1], tick and tick[0]) if found]
            upto = min(known) - 1
            yield from checked_items(rows_between(expected - 1, upto), walk)
            expected = upto
        expected += 1
    yield from checked_items(rows_between(expected - 1, None), walk)


def sampled_tick(
    incident_id: str, tick: tuple[Any, ...], load: Callable[[int], Any]
) -> SampledTick | None:
    seq, at, digest, count, readings = tick[:5]
    if type(at) is not str or type(count) is not int or type(readings) is not str:
        return None
    samples = summary_samples(count, readings)
    if samples is None:
        return None
    return SampledTick(incident_id, seq, at, digest, samples, load)


def paged(page: Page, query: str, incident_id: str) -> Iterator[tuple[Any, ...]]:
    """The rows of `query` (seq the second column, or the first), a page at a time."""
    last = 0
    key = 1 if query is ENTRIES else 0
    while True:
        rows = page(query, (incident_id, last, PAGE_ROWS))
        yield from rows
        if len(rows) < PAGE_ROWS:
            return
        last = rows[-1][key]


def stored_summaries(page: Page, incident_id: str) -> Iterator[tuple[Any, ...]]:
    """Every summary row of the incident, in order: (seq, hash, samples, readings)."""
    return paged(page, _ALL_SUMMARIES, incident_id)


def expected_summary(item: Event | ProbeTick) -> tuple[str, int, str] | None:
    """(hash, samples, readings) the writer stores for a verified event; None for none."""
    if not isinstance(item, ProbeTick):
        return None  # not a tick, or one whose text `read_samples` does not read
    text = summary_text(item.samples)
    return None if text is None else (item.hash, len(item.samples), text)


def summary_problem(stored: tuple[Any, ...] | None, item: Event | ProbeTick) -> str:
    """Why the summary stored for `item` (None: there is none) is not the one it has."""
    expected = expected_summary(item)
    if stored is None:
        return ""  # a tick without a summary is read from its text: nothing is misread
    if expected is None:
        return f"a tick summary is stored for event {item.seq}, which has none"
    if tuple(stored[1:]) != expected and not (
        isinstance(item, ProbeTick) and _legacy(stored, item)
    ):
        return f"the tick summary of event {item.seq} is not the event's (forged or stale)"
    return ""


def _legacy(stored: tuple[Any, ...], item: ProbeTick) -> bool:
    """Whether `stored` is what an earlier release wrote for `item` (no reader uses it:
    it does not say which samples failed; `incident.core.ticks.legacy_summary_text`)."""
    legacy = legacy_summary_text(item.samples)
    return legacy is not None and tuple(stored[1:]) == (item.hash, len(item.samples), legacy)
