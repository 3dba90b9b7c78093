"""The hash chain: each event's SHA-256 covers its content and the hash before it.

Kept pure (no storage) so that the store, `verify` and the report all compute it
the same way. The canonical encoding is JSON with sorted keys, no whitespace and
UTF-8 text; the timestamp is the stored millisecond string.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from incident.events import Event, JSONValue, NewEvent, Payload, format_timestamp

GENESIS_HASH = "0" * 64
"""The `prev_hash` of every incident's first event."""


def canonical_json(value: JSONValue | Payload) -> str:
    """The one JSON encoding used for payloads and hashing."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event_hash(event: NewEvent | Event, seq: int, prev_hash: str) -> str:
    """SHA-256 over the canonical encoding of an event at position `seq`."""
    body: dict[str, JSONValue] = {
        "incident": event.incident_id,
        "seq": seq,
        "at": format_timestamp(event.at),
        "mono_ns": event.mono_ns,
        "actor": event.actor,
        "kind": event.kind,
        "payload": dict(event.payload),
        "prev": prev_hash,
    }
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class ChainReport:
    """The outcome of recomputing one incident's chain."""

    incident_id: str
    ok: bool
    count: int
    head_hash: str
    first_bad_seq: int | None = None
    problem: str = ""


def verify_chain(incident_id: str, events: Iterable[Event]) -> ChainReport:
    """Recompute the chain; report the first sequence number that does not hold.

    Detects edits (hash mismatch), deletions and insertions (sequence gaps or a
    `prev_hash` that does not link), and reordering (both).
    """
    prev = GENESIS_HASH
    expected_seq = 1
    count = 0
    for event in events:
        if event.seq != expected_seq:
            return ChainReport(
                incident_id,
                False,
                count,
                prev,
                expected_seq,
                f"expected event {expected_seq}, found {event.seq}",
            )
        if event.prev_hash != prev:
            return ChainReport(
                incident_id,
                False,
                count,
                prev,
                event.seq,
                "previous-hash link broken",
            )
        if event_hash(event, event.seq, prev) != event.hash:
            return ChainReport(
                incident_id,
                False,
                count,
                prev,
                event.seq,
                "content does not match its hash",
            )
        prev = event.hash
        expected_seq += 1
        count += 1
    if count == 0:
        return ChainReport(incident_id, False, 0, GENESIS_HASH, 1, "no events")
    return ChainReport(incident_id, True, count, prev)
