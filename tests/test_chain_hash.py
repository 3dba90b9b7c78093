"""The hash chain's definition does not move: files written by earlier releases verify.

`incident.core.chain.text_hash` writes the hashed JSON out by hand (so `verify` need
not encode a payload twice); this checks it against the definition earlier
releases used, the canonical JSON of one dict, for any event Hypothesis finds:
any JSON payload through `text_hash`, and typed payloads through `event_hash`
(`tests/test_payloads.py` draws every payload class).
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from incident.core.chain import canonical_json, event_hash, text_hash
from incident.core.events import JSONValue, NewEvent, format_timestamp
from incident.core.payloads import NoteAdded

TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=20)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)


def released_hash(event: NewEvent, seq: int, prev_hash: str) -> str:
    """`event_hash` as the previous release wrote it, word for word."""
    return released_body_hash(
        event.incident_id,
        seq,
        event.at,
        event.mono_ns,
        event.actor,
        event.kind,
        dict(event.payload),
        prev_hash,
    )


def released_body_hash(
    incident: str,
    seq: int,
    at: datetime,
    mono_ns: int,
    actor: str,
    kind: str,
    payload: dict[str, JSONValue],
    prev_hash: str,
) -> str:
    body = {
        "incident": incident,
        "seq": seq,
        "at": format_timestamp(at),
        "mono_ns": mono_ns,
        "actor": actor,
        "kind": kind,
        "payload": payload,
        "prev": prev_hash,
    }
    encoded = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


@settings(max_examples=300)
@given(
    incident=TEXT,
    seq=st.integers(1, 2**62),
    at=st.datetimes(timezones=st.just(UTC)),
    mono_ns=st.integers(-(2**63), 2**63),
    actor=TEXT,
    kind=TEXT,
    payload=st.dictionaries(TEXT, JSON, max_size=5),
    prev=st.text("0123456789abcdef", min_size=64, max_size=64),
)
def test_the_hash_is_the_one_earlier_releases_wrote(
    incident: str,
    seq: int,
    at: object,
    mono_ns: int,
    actor: str,
    kind: str,
    payload: dict[str, object],
    prev: str,
) -> None:
    expected = released_body_hash(incident, seq, at, mono_ns, actor, kind, payload, prev)  # type: ignore[arg-type]
    stored = (format_timestamp(at), canonical_json(payload))  # type: ignore[arg-type]
    assert text_hash(incident, seq, stored[0], mono_ns, actor, kind, stored[1], prev) == expected
    note = NewEvent(incident, actor, at, mono_ns, NoteAdded(kind, actor))  # type: ignore[arg-type]
    assert event_hash(note, seq, prev) == released_hash(note, seq, prev)
