"""The hash chain's definition does not move: files written by earlier releases verify.

`incident.core.chain.text_hash` writes the hashed JSON out by hand (so `verify` need
not encode a payload twice); this checks it against the definition earlier
releases used, the canonical JSON of one dict, for any event Hypothesis finds.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC

from hypothesis import given, settings
from hypothesis import strategies as st

from incident.core.chain import canonical_json, event_hash, text_hash
from incident.core.events import NewEvent, format_timestamp

TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=20)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)


def released_hash(event: NewEvent, seq: int, prev_hash: str) -> str:
    """`event_hash` as the previous release wrote it, word for word."""
    body = {
        "incident": event.incident_id,
        "seq": seq,
        "at": format_timestamp(event.at),
        "mono_ns": event.mono_ns,
        "actor": event.actor,
        "kind": event.kind,
        "payload": dict(event.payload),
        "prev": prev_hash,
    }
    encoded = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


@settings(max_examples=300, deadline=None)
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
    event = NewEvent(incident, kind, actor, at, mono_ns, payload)  # type: ignore[arg-type]
    expected = released_hash(event, seq, prev)
    assert event_hash(event, seq, prev) == expected
    stored = (format_timestamp(event.at), canonical_json(payload))  # type: ignore[arg-type]
    assert text_hash(incident, seq, stored[0], mono_ns, actor, kind, stored[1], prev) == expected
