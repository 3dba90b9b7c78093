"""Turning events into rows and back, refusing rows that cannot be events.

Decoding is strict because a row edited by hand (the very thing `verify`
exists to catch) may hold anything; a clear "event N is not readable" beats a
`KeyError` three layers up in the state fold.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from incident.chain import canonical_json, event_hash
from incident.events import Event, NewEvent, format_timestamp, parse_timestamp

Row = tuple[str, int, str, int, str, str, str, str, str]
"""One `events` row, in `schema.EVENT_COLUMNS` order."""


class BadRow(Exception):
    """A stored row that does not decode to an Event."""

    def __init__(self, seq: object, reason: str) -> None:
        self.seq = seq
        self.reason = reason
        super().__init__(f"event {seq}: {reason}")


def check_new_event(event: NewEvent) -> None:
    """Fail before the write lock is taken on anything that cannot be stored."""
    for name, value in (("incident_id", event.incident_id), ("kind", event.kind)):
        if not isinstance(value, str) or not value:
            raise ValueError(f"{name} must be a non-empty string, not {value!r}")
    if not isinstance(event.actor, str):
        raise ValueError(f"actor must be a string, not {event.actor!r}")
    format_timestamp(event.at)
    canonical_json(event.payload).encode("utf-8")
    if not isinstance(event.mono_ns, int) or isinstance(event.mono_ns, bool):
        raise ValueError(f"mono_ns must be an int, not {type(event.mono_ns).__name__}")


def chain_rows(
    events: Sequence[NewEvent], last_seq: int, last_hash: str
) -> tuple[list[Row], list[Event]]:
    """Number and hash `events` after (`last_seq`, `last_hash`).

    Returns the rows to insert and the Events as a later read would return
    them: millisecond timestamps and the payload as decoded from its JSON.
    """
    rows: list[Row] = []
    recorded: list[Event] = []
    prev = last_hash
    for offset, event in enumerate(events, start=1):
        seq = last_seq + offset
        digest = event_hash(event, seq, prev)
        row: Row = (
            event.incident_id,
            seq,
            format_timestamp(event.at),
            event.mono_ns,
            event.actor,
            event.kind,
            canonical_json(event.payload),
            prev,
            digest,
        )
        rows.append(row)
        recorded.append(decode(row))
        prev = digest
    return rows, recorded


def _expect(value: Any, kind: type, seq: object, column: str) -> None:
    if not isinstance(value, kind) or isinstance(value, bool):
        raise BadRow(seq, f"{column} is {type(value).__name__}, not {kind.__name__}")


def decode(row: Sequence[Any]) -> Event:
    """An Event from a row in `EVENT_COLUMNS` order, or BadRow."""
    incident_id, seq, at, mono_ns, actor, kind, payload, prev_hash, digest = row
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
    return Event(
        incident_id=incident_id,
        seq=seq,
        kind=kind,
        actor=actor,
        at=moment,
        mono_ns=mono_ns,
        payload=data,
        prev_hash=prev_hash,
        hash=digest,
    )
