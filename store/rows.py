"""Turning events into rows and back, refusing rows that cannot be events.

Decoding is strict because a row edited by hand (the very thing `verify`
exists to catch) may hold anything; a clear "event N is not readable" beats a
`KeyError` three layers up in the state fold. The payload is decoded here, once,
into its typed class: a payload that is not what its kind records is a BadRow
like any other.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from incident.core.chain import (
    ChainHead,
    ChainReport,
    ChainWalk,
    canonical_json,
    encoding_problem,
    text_hash,
)
from incident.core.events import Event, Kind, NewEvent, format_timestamp, parse_timestamp
from incident.core.payloads import PAYLOAD_TYPES, PayloadError, decode_payload
from incident.core.ticks import ProbeTick, is_stored_at, read_samples

Row = tuple[str, int, str, int, str, str, str, str, str]
"""One `events` row, in `schema.EVENT_COLUMNS` order."""


class BadRow(Exception):
    """A stored row that does not decode to an Event."""

    def __init__(self, seq: object, reason: str) -> None:
        self.seq = seq
        self.reason = reason
        super().__init__(f"event {seq}: {reason}")


def check_new_event(event: NewEvent) -> str:
    """Fail before the write lock is taken on anything that cannot be stored; the
    payload's stored text, encoded once here for the row."""
    if not isinstance(event.incident_id, str) or not event.incident_id:
        raise ValueError(f"incident_id must be a non-empty string, not {event.incident_id!r}")
    if not isinstance(event.data, PAYLOAD_TYPES):
        raise ValueError(f"data must be an event payload, not {type(event.data).__name__}")
    if not isinstance(event.actor, str):
        raise ValueError(f"actor must be a string, not {event.actor!r}")
    format_timestamp(event.at)
    payload_text = canonical_json(event.payload)
    payload_text.encode("utf-8")
    if not isinstance(event.mono_ns, int) or isinstance(event.mono_ns, bool):
        raise ValueError(f"mono_ns must be an int, not {type(event.mono_ns).__name__}")
    return payload_text


def checked_batch(incident_id: str, batch: Sequence[NewEvent]) -> list[str]:
    """Refuse a batch that is not one incident's storable events; their payload texts."""
    texts: list[str] = []
    for event in batch:
        if event.incident_id != incident_id:
            raise ValueError(
                f"one append holds one incident: {incident_id!r} and {event.incident_id!r}"
            )
        texts.append(check_new_event(event))
    return texts


class Decision:
    """What an `append_decided` appends: the proposal, checked and encoded before the
    lock, when nothing was appended since it was decided; else what `decide` says on
    the events others appended meanwhile."""

    def __init__(
        self,
        incident_id: str,
        decide: Callable[[list[Event]], Sequence[NewEvent]],
        proposal: Sequence[NewEvent] | None,
    ) -> None:
        self._incident_id = incident_id
        self._decide = decide
        self._proposal = None if proposal is None else list(proposal)
        self._texts = checked_batch(incident_id, self._proposal or [])

    def batch(self, fresh: list[Event]) -> tuple[list[NewEvent], list[str]]:
        """The events to append after `fresh`, and their payload texts."""
        if fresh or self._proposal is None:
            batch = list(self._decide(fresh))
            return batch, checked_batch(self._incident_id, batch)
        return self._proposal, self._texts


def hashed_rows(
    events: Sequence[NewEvent], payload_texts: Sequence[str], last_seq: int, last_hash: str
) -> list[Row]:
    """Number and hash `events`, whose payloads `checked_batch` encoded, after
    (`last_seq`, `last_hash`): the rows to insert, and all a writer does under its lock.

    The Events a later read would return (`recorded`) are decoded from these rows
    once the lock is released: decoding a tick of 200 samples took longer than
    writing it, and a key pressed meanwhile on another terminal waited for both.
    """
    rows: list[Row] = []
    prev = last_hash
    for offset, (event, payload_text) in enumerate(zip(events, payload_texts, strict=True), 1):
        seq = last_seq + offset
        fields = (event.incident_id, seq, format_timestamp(event.at), event.mono_ns, event.actor)
        row: Row = (
            *fields,
            event.kind,
            payload_text,
            prev,
            text_hash(*fields, event.kind, payload_text, prev),
        )
        rows.append(row)
        prev = row[8]
    return rows


def recorded(rows: Sequence[Row]) -> list[Event]:
    """The Events `rows` hold, as a later read returns them: millisecond timestamps and
    each payload as decoded from its JSON."""
    return [decode(row) for row in rows]


def _expect(value: Any, kind: type, seq: object, column: str) -> None:
    if not isinstance(value, kind) or isinstance(value, bool):
        raise BadRow(seq, f"{column} is {type(value).__name__}, not {kind.__name__}")


def decode(row: Sequence[Any]) -> Event:
    """An Event from a row in `EVENT_COLUMNS` order, or BadRow."""
    incident_id, seq, at, mono_ns, actor, kind, payload, prev_hash, digest = row
    if not _all_stored_types(row):  # the column that is not says which
        _expect(seq, int, seq, "seq")
        for column, value in (
            ("incident_id", incident_id),
            ("at", at),
            ("actor", actor),
            ("kind", kind),
            ("payload", payload),
            ("prev_hash", prev_hash),
            ("hash", digest),
        ):
            _expect(value, str, seq, column)
        _expect(mono_ns, int, seq, "mono_ns")
    try:
        moment = parse_timestamp(at)
    except ValueError:
        raise BadRow(seq, f"unreadable timestamp {at!r}") from None
    try:
        data = json.loads(payload)
    except ValueError:
        raise BadRow(seq, "payload is not JSON") from None
    if not isinstance(data, dict):
        raise BadRow(seq, "payload is not a JSON object")
    try:
        typed = decode_payload(kind, data)
    except PayloadError as error:
        raise BadRow(seq, str(error)) from None
    return Event(
        incident_id=incident_id,
        seq=seq,
        kind=kind,
        actor=actor,
        at=moment,
        mono_ns=mono_ns,
        payload=data,
        data=typed,
        prev_hash=prev_hash,
        hash=digest,
    )


def read_item(row: Sequence[Any]) -> Event | ProbeTick:
    """A probe tick read without decoding when its stored text allows, else `decode`."""
    if row[5] == _TICK:
        tick = _tick(row)
        if tick is not None:
            return tick
    return decode(row)


_TICK = str(Kind.PROBE_SAMPLES)


def _tick(row: Sequence[Any]) -> ProbeTick | None:
    """The row as a ProbeTick, if every column is what `decode` accepts and the time and
    payload are the canonical text this release writes; None leaves it to `decode`."""
    incident_id, seq, at, mono_ns, actor, _, payload, prev_hash, digest = row
    if not (_all_stored_types(row) and is_stored_at(at)):
        return None
    samples = read_samples(payload)
    if samples is None:
        return None
    return ProbeTick(incident_id, seq, at, mono_ns, actor, payload, prev_hash, digest, samples)


def checked_items(rows: Iterable[Sequence[Any]], walk: ChainWalk) -> Iterator[Event | ProbeTick]:
    """`rows` read (`read_item`) and verified into `walk` as they stream, from genesis.

    The same checks as `check_rows`: a probe tick read from its text has no
    encoding problem to find, only its hash to recompute. An unreadable row is
    failed in `walk` and raised as BadRow; nothing after it can be folded.
    """
    for row in rows:
        yield checked_item(row, walk)


def checked_item(row: Sequence[Any], walk: ChainWalk) -> Event | ProbeTick:
    """One row of `checked_items`."""
    try:
        item = read_item(row)
    except BadRow as exc:
        walk.fail(walk.head.seq + 1, f"unreadable event: {exc.reason}")
        raise
    if walk.failure is None:
        if isinstance(item, ProbeTick):
            walk.add(item, "", _stored_hash(row))
        else:
            encoding = encoding_problem(row[2], row[6], item.at, item.payload)
            walk.add(item, encoding, None if encoding else _stored_hash(row))
    return item


def linked_rows(
    incident_id: str, rows: Sequence[Sequence[Any]], hashed: Sequence[bool], walk: ChainWalk
) -> None:
    """A page of rows verified into `walk` in order, for a reader that does not decode
    them all (the JSON export): a row `hashed` is a tick whose stored text the caller
    found to hash to its stored hash, so it is only linked; any other is hashed from
    its stored text as it is. At once, as columns (`ChainWalk.add_columns`); row by
    row (`checked_item`, which names the first problem) only where that does not hold.

    The rows are `events` rows but for their first column, which may be left out.
    """
    if walk.failure is not None:
        return
    hashes = [row[8] for row in rows]
    computed = [
        digest if done else _text_hash_as_stored((incident_id, *row[1:9]))
        for row, done, digest in zip(rows, hashed, hashes, strict=True)
    ]
    if walk.add_columns([row[1] for row in rows], [row[7] for row in rows], hashes, computed):
        return
    for row, done in zip(rows, hashed, strict=True):
        if walk.failure is not None:
            return
        if done:
            walk.add_hashed(row[1], row[7], row[8])
        else:
            checked_item((incident_id, *row[1:9]), walk)


def _text_hash_as_stored(row: Sequence[Any]) -> str:
    """`_stored_hash` of a row whose columns have the types a stored event's have; ""
    (which no stored hash is) for any other, for `checked_item` to name its problem."""
    return _stored_hash(row) if _all_stored_types(row) else ""


def check_rows(
    incident_id: str, rows: Iterable[Sequence[Any]], start: ChainHead
) -> tuple[list[Event], ChainReport, BadRow | None]:
    """Decode and verify in one pass: (the events, the report, the first unreadable row).

    `rows` are the incident's rows from `start.seq` on (from seq 1 if `start`
    is the genesis head): the row at `start.seq` is checked again, so a head
    edited since it was verified is caught, and is not returned. Decoding goes
    on past the first problem, for a caller that still shows the incident, but
    stops at an unreadable row, after which nothing can be folded.
    """
    walk = ChainWalk(incident_id, start)
    events: list[Event] = []
    pending = iter(rows)
    if start.seq > 0:
        _recheck_head(walk, next(pending, None), start)
    for row in pending:
        try:
            event = decode(row)
        except BadRow as exc:
            walk.fail(walk.head.seq + 1, f"unreadable event: {exc.reason}")
            return events, walk.report(), exc
        if walk.failure is None:
            encoding = encoding_problem(row[2], row[6], event.at, event.payload)
            walk.add(event, encoding, None if encoding else _stored_hash(row))
        events.append(event)
    return events, walk.report(), None


def _stored_hash(row: Sequence[Any]) -> str:
    """The hash of a decoded row whose `at` and `payload` text are canonical."""
    incident_id, seq, at, mono_ns, actor, kind, payload, prev_hash, _ = row
    return text_hash(incident_id, seq, at, mono_ns, actor, kind, payload, prev_hash)


def _recheck_head(walk: ChainWalk, row: Sequence[Any] | None, start: ChainHead) -> None:
    """The row a reader verified before must still be there, as it was.

    Its stored text must hash, as stored, to the hash verified then: the hash covers
    every column, so the payload is not decoded again. This runs inside a writer's
    lock, and the head is often a tick of 200 samples.
    """
    if row is None or row[1] != start.seq:
        walk.fail(start.seq, f"event {start.seq} is gone")
        return
    if not _all_stored_types(row) or row[8] != start.hash or _stored_hash(row) != start.hash:
        walk.fail(start.seq, f"event {start.seq} changed after it was verified")


def _all_stored_types(row: Sequence[Any]) -> bool:
    """Whether every column has the type `decode` accepts: ints for seq and mono_ns,
    strings for the rest (exactly those types, the fast way; `decode` then accepts a
    subclass too, as it always did, and names the column that is neither)."""
    incident_id, seq, at, mono_ns, actor, kind, payload, prev_hash, digest = row
    return (
        type(seq) is int
        and type(mono_ns) is int
        and type(incident_id) is str
        and type(at) is str
        and type(actor) is str
        and type(kind) is str
        and type(payload) is str
        and type(prev_hash) is str
        and type(digest) is str
    )
