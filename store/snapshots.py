"""The folded state every `SNAPSHOT_EVERY` events, stored beside the events it folds.

`replay --at` on a long record would otherwise fold every event before the moment.
The append that records event N·`SNAPSHOT_EVERY` also writes, in its transaction,
a `state_snapshots` row: the state after that event (`incident.core.state_codec`),
the event's hash, and whether every event up to it was recorded at or after the one
before (`ordered`: only then is "the events up to a moment" a prefix of the record).

A state holds lists that only grow (notes, messages...), so a row stores each list
as what it keeps of the row before it (`base`) and what it adds; a row with base 0
holds them whole. A reader rebuilds the lists from the last whole row on.

Like the tick summaries, the rows are a cache, never evidence: a reader uses a row
only while every row it is built from still names the hash its event has, and
`verify` folds the record again and reports a row that says anything else.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from msgspec import Struct

from incident.core.events import Event, format_timestamp
from incident.core.folding import Fold
from incident.core.state import IncidentState
from incident.core.state_codec import (
    SnapshotError,
    decode_state,
    encode_fields,
    encode_items,
    layout,
    list_fields,
    stored_fields,
)
from store.derived import Executes, kept_as_events
from store.rows import BadRow, decode, read_item

SNAPSHOT_EVERY = 1000
"""Events between stored states: what a `replay --at` folds at most after one."""
WHOLE_EVERY = 10
"""Every tenth row holds its lists whole (base 0): what a reader rebuilds them from."""

SNAPSHOTS_TABLE = """
CREATE TABLE IF NOT EXISTS state_snapshots (
    incident_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL,
    base INTEGER NOT NULL,
    layout TEXT NOT NULL,
    at TEXT NOT NULL,
    ordered INTEGER NOT NULL,
    lists TEXT NOT NULL,
    rest TEXT NOT NULL,
    PRIMARY KEY (incident_id, seq)
)
"""
"""One row per `SNAPSHOT_EVERY` events of an incident; the small columns first."""

_INSERT = (
    "INSERT INTO state_snapshots SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9 WHERE NOT EXISTS "
    "(SELECT 1 FROM state_snapshots WHERE incident_id = ?1 AND seq = ?2)"
)
"""A row is there already only where events were cut from the end past the triggers and
the incident recorded over: that row is kept (it names the cut event's hash, so no
reader uses it) and `verify` reports it, as a stale tick summary is kept
(`store.derived.INSERT`)."""

SNAPSHOTS_APPEND_ONLY_MESSAGE = "state snapshots are append-only; they are derived from the events"
SNAPSHOT_NAMES_EVENT_MESSAGE = (
    "a state snapshot must name a recorded event by its seq, hash and time"
)

_SNAPSHOT_TRIGGERS_V5 = kept_as_events(
    "state_snapshots",
    SNAPSHOTS_APPEND_ONLY_MESSAGE,
    check="name_an_event",  # once every SNAPSHOT_EVERY events
    names="e.hash IS NEW.hash AND e.at IS NEW.at",
    naming=SNAPSHOT_NAMES_EVENT_MESSAGE,
)

_HEADS = (
    "SELECT seq, hash, base, layout, at, ordered FROM state_snapshots "
    "WHERE incident_id = ? AND seq <= ? ORDER BY seq"
)
_LISTS = (
    "SELECT s.seq, s.lists, s.hash = e.hash AND s.at = e.at FROM state_snapshots AS s "
    "LEFT JOIN events AS e ON e.incident_id = s.incident_id AND e.seq = s.seq "
    "WHERE s.incident_id = ? AND s.seq >= ? AND s.seq <= ? ORDER BY s.seq"
)
_REST = "SELECT rest FROM state_snapshots WHERE incident_id = ? AND seq = ?"
_ROWS = (
    "SELECT incident_id, seq, at, mono_ns, actor, kind, payload, prev_hash, hash "
    "FROM events WHERE incident_id = ? AND seq > ? AND seq <= ? ORDER BY seq"
)
_TAIL_TIMES = "SELECT at FROM events WHERE incident_id = ? AND seq > ? ORDER BY seq"
ALL_ROWS = (
    "SELECT seq, hash, base, layout, at, ordered, lists, rest FROM state_snapshots "
    "WHERE incident_id = ? ORDER BY seq"
)

Query = Callable[[str, Sequence[object]], list[tuple[Any, ...]]]
"""Runs one query and returns its rows (a connection's `execute(...).fetchall()`)."""
Lists = dict[str, list[Any]]
"""Each list field of a state, encoded: what a row's `lists` rebuild."""


class StoredState(Struct):
    """A state read from a snapshot row: the state after event `seq`, whose hash is `hash`."""

    seq: int
    hash: str
    at: datetime
    state: IncidentState
    lists: Lists


def as_text(value: object) -> str:
    return json.dumps(value, separators=(",", ":"))


# --- reading ------------------------------------------------------------------------


def load(query: Query, incident_id: str, heads: list[tuple[Any, ...]]) -> StoredState | None:
    """The state of the last row of `heads` (rows of `_HEADS`), or None if it cannot be used.

    Usable: it and the rows back to the last whole one are of this code's layout,
    each the base of the next, and each names the hash its event has.
    """
    if not heads:
        return None
    ours = layout()
    chain: list[tuple[Any, ...]] = []
    for row in reversed(heads):
        seq, base, shape = row[0], row[2], row[3]
        if shape != ours or type(seq) is not int or type(base) is not int:
            return None
        if chain and chain[-1][2] != seq:
            return None  # the row after it was not written on top of it
        chain.append(row)
        if base == 0:
            break
    else:
        return None
    first, last = chain[-1][0], chain[0]
    try:
        lists = _rebuilt(query(_LISTS, (incident_id, first, last[0])), len(chain))
        rest = json.loads(query(_REST, (incident_id, last[0]))[0][0])
        declaration = _declaration(query, incident_id)
        if lists is None or declaration is None or type(rest) is not dict:
            return None
        state = decode_state(declaration, {**rest, **{k: list(v) for k, v in lists.items()}})
        at = datetime.fromisoformat(str(last[4]))
    except (SnapshotError, ValueError, TypeError, IndexError):
        return None
    return StoredState(last[0], str(last[1]), at, state, lists)


def _rebuilt(rows: Sequence[tuple[Any, ...]], count: int) -> Lists | None:
    """The lists the rows build, each row's kept part of the one before plus its own."""
    if len(rows) != count:
        return None
    lists: Lists = {}
    for _, text, belongs in rows:
        if belongs != 1 or type(text) is not str:
            return None
        changes = json.loads(text)
        if type(changes) is not dict:
            return None
        for name, change in changes.items():
            if type(change) is not list or len(change) != 2:
                return None
            keep, added = change
            held = lists.setdefault(name, [])
            if type(keep) is not int or not 0 <= keep <= len(held) or type(added) is not list:
                return None
            del held[keep:]
            held.extend(added)
    return lists


def _declaration(query: Query, incident_id: str) -> Event | None:
    rows = query(_ROWS, (incident_id, 0, 1))
    try:
        return decode(rows[0]) if rows else None
    except BadRow:
        return None


class ReplayStart(Struct, frozen=True):
    """Where folding the events up to a moment may start."""

    stored: StoredState | None
    """The latest usable stored state at or before the moment; None: the declaration."""


def before_moment(query: Query, incident_id: str, moment: datetime) -> ReplayStart | None:
    """Where to start folding the events recorded at or before `moment`, if every event
    of the record was recorded at or after the one before it (then those events are
    the ones up to the last stored state before `moment` and a run after it); None if
    some time goes back (or cannot be read): the whole record must be read."""
    heads = query(_HEADS, (incident_id, 2**63 - 1))
    if heads and heads[-1][5] != 1:
        return None
    previous = str(heads[-1][4]) if heads else ""
    for (at,) in query(_TAIL_TIMES, (incident_id, heads[-1][0] if heads else 0)):
        if type(at) is not str or at < previous:
            return None
        previous = at
    when = format_timestamp(moment)
    usable = [row for row in heads if str(row[4]) <= when]
    return ReplayStart(load(query, incident_id, usable))


# --- writing ------------------------------------------------------------------------


def write_due(db: Executes, incident_id: str, after_seq: int, last_seq: int) -> None:
    """Write the snapshots due for events `after_seq` + 1 to `last_seq` (just appended).

    A snapshot is a cache: one that cannot be made is left out, and the append goes on.
    """
    first = (after_seq // SNAPSHOT_EVERY + 1) * SNAPSHOT_EVERY
    for seq in range(first, last_seq + 1, SNAPSHOT_EVERY):
        try:
            row = snapshot_row(db, incident_id, seq)
        except Exception:  # whatever went wrong, the events are recorded all the same
            row = None
        if row is not None:
            with contextlib.suppress(sqlite3.IntegrityError):  # a trigger's refusal
                db.execute(_INSERT, row)  # undoes this row alone


def snapshot_row(db: Executes, incident_id: str, seq: int) -> tuple[object, ...] | None:
    """The row of the state after event `seq`, on top of the last usable row before it;
    None if the events up to it do not fold (a damaged record: `verify` says why).
    The events are streamed: without a row to start from, the whole record is read."""

    def query(sql: str, parameters: Sequence[object]) -> list[tuple[Any, ...]]:
        return db.execute(sql, parameters).fetchall()

    heads = query(_HEADS, (incident_id, seq - 1))
    stored = load(query, incident_id, heads)
    rows = db.execute(_ROWS, (incident_id, 0 if stored is None else stored.seq, seq))
    try:
        if stored is None:
            first = read_item(next(rows))
            if not isinstance(first, Event):
                return None
            fold, lists, base, ordered, at = Fold(first), {}, 0, True, first.at
        else:
            fold, lists, base = Fold.resume(stored.state), stored.lists, stored.seq
            ordered, at = heads[-1][5] == 1, stored.at
        if (seq // SNAPSHOT_EVERY) % WHOLE_EVERY == 0:
            lists, base = {}, 0
        before = fold.settled()  # nothing pending: the state as it starts
        kept = _held((name, getattr(before, name)) for name in list_fields())
        digest = None
        for row in rows:
            item = read_item(row)
            ordered = ordered and item.at >= at
            at, digest = item.at, item.hash
            fold.add(item)
        state = fold.settled()
    except (BadRow, ValueError, TypeError, StopIteration):
        return None
    if state.last_seq != seq or digest is None:
        return None
    changes = _changes(state, kept, lists)
    rest = encode_fields(state, [name for name in stored_fields() if name not in changes])
    return (
        incident_id,
        seq,
        digest,
        base,
        layout(),
        format_timestamp(at),
        int(ordered),
        as_text(changes),
        as_text(rest),
    )


def _held(lists: Iterable[tuple[str, list[Any]]]) -> dict[str, list[Any]]:
    """A copy of each list of a state before the fold goes on (its items are the same objects)."""
    return {name: list(items) for name, items in lists}


def _changes(state: IncidentState, kept: dict[str, list[Any]], lists: Lists) -> dict[str, Any]:
    """Per list field: [how many items of the row before it keeps, the items it adds].

    An item the fold left alone is the same object as before it went on; the first
    one that is not (added, or replaced) is where the row's own items start.
    """
    changes: dict[str, Any] = {}
    for name in list_fields():
        now: list[Any] = getattr(state, name)
        before = kept.get(name, [])
        keep = 0
        limit = min(len(before), len(now), len(lists.get(name, [])))
        while keep < limit and now[keep] is before[keep]:
            keep += 1
        changes[name] = [keep, encode_items(name, now[keep:])]
    return changes


def add_snapshot_triggers_v5(db: Executes) -> None:
    """Version 5 (with the tick summaries' triggers): `state_snapshots` append-only, as
    `events` is; the rows there are kept. What a trigger cannot check is that a new
    row's state is the fold's at its event (that takes folding): `verify` does."""
    for trigger in _SNAPSHOT_TRIGGERS_V5:
        db.execute(trigger)


def add_snapshots_v4(db: Executes) -> None:
    """Version 4: the table, and the snapshots of the incidents already recorded.

    Runs in the upgrade's transaction: a crash leaves version 3, not half the rows.
    """
    db.execute(SNAPSHOTS_TABLE)
    heads = db.execute("SELECT incident_id, MAX(seq) FROM events GROUP BY incident_id").fetchall()
    for incident_id, last in heads:
        write_due(db, str(incident_id), 0, int(last))
