"""Typed payloads: one per kind, a faithful round trip, a strict and clear decoder.

Hypothesis draws every field of every payload class from its declared type (a
field of a type this file does not know fails the test, so a new field is drawn
too). Each drawn payload goes through the store's own encoding and decoding
(`store.rows.chain_rows`), as a recorded event would.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from incident.core.chain import GENESIS_HASH, canonical_json
from incident.core.events import YEARS, JSONValue, Kind, NewEvent, truncate_to_millis
from incident.core.payloads import (
    PAYLOAD_TYPES,
    CommunicationSent,
    EventData,
    NoteAdded,
    PayloadError,
    PostmortemScheduled,
    ProbeSamples,
    StepChecked,
    decode_payload,
)
from incident.core.samples import Outcome, Sample
from runbooks.model import DeploymentPattern
from tests.store_helpers import chain_rows

TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)
FINITE = st.floats(allow_nan=False, allow_infinity=False)
NUMBERS = st.integers(-(2**53), 2**53) | FINITE
INTS = st.integers(-(2**63), 2**63)
MOMENTS = st.datetimes(
    min_value=datetime(1970, 1, 2),
    max_value=datetime(YEARS[-1], 12, 30),  # the last day, not in UTC+05:30
    timezones=st.sampled_from([UTC, timezone(timedelta(hours=5, minutes=30))]),
).map(truncate_to_millis)
"""Aware times to the millisecond (what a timestamp keeps), in UTC or not."""
JSON: st.SearchStrategy[JSONValue] = st.recursive(
    st.none() | st.booleans() | st.integers() | FINITE | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=10,
)
SAMPLES = st.builds(
    Sample,
    probe=TEXT,
    at=MOMENTS,
    outcome=st.sampled_from(Outcome),
    latency_ms=st.none() | st.floats(0, 1e9).map(lambda ms: round(ms, 3)),
    http_status=st.none() | INTS,
    value=st.none() | NUMBERS,
    text=st.none() | TEXT,
    detail=TEXT,
)
"""Latency is stored to the microsecond, so it is drawn that way."""

BY_TYPE: dict[str, st.SearchStrategy[Any]] = {
    "str": TEXT,
    "str | None": st.none() | TEXT,
    "bool": st.booleans(),
    "int": INTS,
    "int | None": st.none() | INTS,
    "float": NUMBERS,
    "datetime": MOMENTS,
    "datetime | None": st.none() | MOMENTS,
    "date | None": st.none() | st.dates(),
    "tuple[str, ...]": st.lists(TEXT, max_size=4).map(tuple),
    "tuple[datetime, datetime]": st.tuples(MOMENTS, MOMENTS),
    "tuple[Sample, ...]": st.lists(SAMPLES, max_size=4).map(tuple),
    "tuple[tuple[str, tuple[str, ...]], ...]": st.dictionaries(
        TEXT, st.lists(TEXT, min_size=1, max_size=3).map(tuple), max_size=3
    ).map(lambda found: tuple(sorted(found.items()))),
    "dict[str, JSONValue]": st.dictionaries(TEXT, JSON, max_size=4),
    "DeploymentPattern | None": st.none() | st.sampled_from(DeploymentPattern),
}
"""A strategy for every field type a payload declares (annotations are strings here)."""


def annotations(cls: type[EventData]) -> dict[str, str]:
    """Each field's annotation as written (the payload modules defer annotations)."""
    return {name: cls.__annotations__[name] for name in cls.__struct_fields__}


def payloads(cls: type[EventData]) -> st.SearchStrategy[EventData]:
    fields = {name: BY_TYPE[hint] for name, hint in annotations(cls).items()}
    return st.builds(cls, **fields)


CLASSES = pytest.mark.parametrize("cls", PAYLOAD_TYPES, ids=lambda cls: str(cls.KIND))


def test_one_frozen_slotted_class_per_kind() -> None:
    kinds = [cls.KIND for cls in PAYLOAD_TYPES]
    assert sorted(kinds) == sorted(Kind)
    for cls in PAYLOAD_TYPES:
        assert cls.__struct_config__.frozen, cls
        for name, hint in annotations(cls).items():
            assert hint in BY_TYPE, f"{cls.__name__}.{name}: {hint}"


@CLASSES
@settings(max_examples=60)
@given(data=st.data())
def test_round_trip_through_the_store_encoding(cls: type[EventData], data: st.DataObject) -> None:
    payload = data.draw(payloads(cls))
    event = NewEvent("INC-1", "ada", datetime(2026, 11, 28, tzinfo=UTC), 0, payload)
    (row,), (recorded,) = chain_rows([event], 0, GENESIS_HASH)
    text = canonical_json(payload.to_json())
    assert row[5] == str(cls.KIND) and row[6] == text
    assert recorded.data == payload
    assert cls.from_json(json.loads(text)) == payload
    assert decode_payload(str(cls.KIND), json.loads(text)) == payload
    assert canonical_json(recorded.data.to_json()) == text  # stable: the same text again


def _refused(kind: str, data: dict[str, JSONValue]) -> str:
    with pytest.raises(PayloadError) as refused:
        decode_payload(kind, data)
    message = str(refused.value)
    assert "\n" not in message and message.startswith(kind)
    return message


@CLASSES
@settings(max_examples=30)
@given(data=st.data())
def test_decoding_is_strict_and_names_the_field(cls: type[EventData], data: st.DataObject) -> None:
    payload = data.draw(payloads(cls))
    kind, stored = str(cls.KIND), payload.to_json()
    assert "unknown field 'zz_later'" in _refused(kind, {**stored, "zz_later": 1})
    for key in stored:  # no field of any kind holds a list of lists
        assert f"field '{key}' is list, not" in _refused(kind, {**stored, key: [[]]})
        without = {name: value for name, value in stored.items() if name != key}
        try:
            optional = decode_payload(kind, without)
        except PayloadError as error:
            assert str(error) == f"{kind} field '{key}' is missing"
        else:  # a field writers leave out when it is empty: its absence reads as empty
            assert key not in optional.to_json()


def test_a_bad_sample_is_named_by_its_place() -> None:
    sample = Sample("health", datetime(2026, 11, 28, tzinfo=UTC), Outcome.OK, 1.5)
    stored = ProbeSamples((sample, sample)).to_json()
    samples = stored["samples"]
    assert isinstance(samples, list) and isinstance(samples[1], dict)
    broken = [samples[0], {**samples[1], "outcome": "fine"}]
    message = _refused("probe.samples", {"samples": broken})
    assert message == "probe.samples field 'samples[1].outcome' is not a probe outcome: 'fine'"
    broken = [samples[0], {**samples[1], "at": "yesterday"}]
    message = _refused("probe.samples", {"samples": broken})
    assert message == "probe.samples field 'samples[1].at' is not a timestamp: 'yesterday'"
    broken = [{**samples[0], "value": None}, samples[1]]  # left out when absent, never null
    message = _refused("probe.samples", {"samples": broken})
    assert message == "probe.samples field 'samples[0].value' is null, not a number"


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(PayloadError, match=r"unknown event kind 'note\.deleted'"):
        decode_payload("note.deleted", NoteAdded("x", "ada").to_json())


def test_optional_fields_are_left_out_as_before() -> None:
    """Written only when there is something to say, exactly as the previous release did."""
    assert StepChecked("s", "ada").to_json() == {"step": "s", "by": "ada", "note": ""}
    checked = StepChecked("s", "ada", "n", override="o", evidence="e", tier="t")
    assert checked.to_json() == {
        "step": "s",
        "by": "ada",
        "note": "n",
        "override": "o",
        "evidence": "e",
        "tier": "t",
    }
    sent = CommunicationSent("hi", None, "", "ada")
    assert sent.to_json() == {"text": "hi", "template": None, "channel": "", "by": "ada"}
    moment = datetime(2026, 11, 29, 9, 30, tzinfo=UTC)
    booked = PostmortemScheduled(moment, 60, (), False, "", (moment, moment), "ada")
    assert "previous_starts_at" not in booked.to_json()
    assert "organizer" not in booked.to_json()  # older readers never meet the new field
    invited = PostmortemScheduled(
        moment, 60, (), False, "", (moment, moment), "ada", None, "a@b.io"
    )
    assert PostmortemScheduled.from_json(invited.to_json()) == invited
    assert booked.to_json()["window"] == ["2026-11-29T09:30:00.000Z"] * 2
