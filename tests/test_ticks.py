"""Probe ticks read from their stored text: only what the decoder would read the same way.

`read_samples` lets a tick skip the decoder when its text is the canonical encoding of
a payload that decodes. Hypothesis draws samples of every shape, and then damages
their text one character at a time: whatever the reader accepts must be canonical
JSON, decode, and say what the decoder says; whatever this release writes with plain
text must be accepted (or the export would decode every tick after all).
"""

from __future__ import annotations

import json

import msgspec
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from incident.core.chain import canonical_json
from incident.core.events import format_timestamp, parse_timestamp
from incident.core.payloads import ProbeSamples, decode_payload
from incident.core.samples import Sample
from incident.core.tick_samples import typed_samples
from incident.core.ticks import AT, OUTCOME, PROBE, VALUE, is_stored_at, read_samples, reading
from tests.depth import examples
from tests.test_payloads import SAMPLES

KIND = "probe.samples"


def _plain(sample: Sample) -> bool:
    """No text in it that the encoding escapes: what probes record."""
    texts = [sample.probe, sample.text or "", sample.detail]
    return all(json.dumps(t, ensure_ascii=False) == f'"{t}"' for t in texts)


def _text(samples: list[Sample], poller: str | None = None) -> str:
    return canonical_json(ProbeSamples(tuple(samples), poller).to_json())


def _agrees(text: str) -> None:
    """`text` was accepted: it must be what the decoder reads, as the reader read it."""
    found = read_samples(text)
    assert found is not None
    data = json.loads(text)
    assert canonical_json(data) == text
    decoded = decode_payload(KIND, data)
    assert isinstance(decoded, ProbeSamples)
    assert len(found) == len(decoded.samples)
    typed = typed_samples(text)
    assert typed == decoded
    assert typed is not None
    for fast, strict in zip(typed.samples, decoded.samples, strict=True):
        assert [type(v) for v in msgspec.structs.astuple(fast)] == [
            type(v) for v in msgspec.structs.astuple(strict)
        ]
        assert fast.at.tzinfo is strict.at.tzinfo
    for read, sample, stored in zip(found, decoded.samples, data["samples"], strict=True):
        assert read[PROBE] == sample.probe
        assert read[OUTCOME] == str(sample.outcome)
        assert read[AT] == stored["at"]
        if sample.value is None:
            assert read[VALUE] is None
        else:
            assert read[VALUE] is not None
            value = reading(read[VALUE])
            assert value == sample.value and type(value) is type(sample.value)


POLLERS = st.none() | st.text(max_size=12)
"""A tick names its poller, or (recorded before it could) names none."""


def _plain_poller(poller: str | None) -> bool:
    return poller is None or json.dumps(poller, ensure_ascii=False) == f'"{poller}"'


@settings(max_examples=300)
@given(st.lists(SAMPLES, max_size=5), POLLERS)
def test_what_the_reader_accepts_it_reads_as_the_decoder_does(
    samples: list[Sample], poller: str | None
) -> None:
    text = _text(samples, poller)
    if read_samples(text) is not None:
        _agrees(text)
    if all(_plain(sample) for sample in samples) and _plain_poller(poller):
        assert read_samples(text) is not None, text  # what probes write is never decoded


MUTATIONS = st.sampled_from(list('0123456789.eE+-",:{}[] \\aZ'))


@settings(max_examples=examples(1500))  # tests/depth.py
@given(
    st.lists(SAMPLES.filter(_plain), min_size=1, max_size=3),
    POLLERS.filter(_plain_poller),
    st.integers(min_value=0),
    st.sampled_from(["insert", "delete", "replace"]),
    MUTATIONS,
)
def test_damaged_text_is_read_only_if_it_is_still_what_the_decoder_reads(
    samples: list[Sample], poller: str | None, where: int, how: str, char: str
) -> None:
    text = _text(samples, poller)
    at = where % (len(text) + 1)
    if how == "insert":
        damaged = text[:at] + char + text[at:]
    elif how == "delete":
        damaged = text[:at] + text[at + 1 :]
    else:
        damaged = text[:at] + char + text[at + 1 :]
    assume(damaged != text)
    if read_samples(damaged) is not None:
        _agrees(damaged)


def _one(**fields: object) -> str:
    sample = {"at": "2026-11-28T09:00:05.000Z", "outcome": "ok", "probe": "error-rate", **fields}
    return canonical_json({"samples": [sample]})


@pytest.mark.parametrize(
    "text",
    [
        _one(value=0.004).replace("0.004", "0.0040"),  # not how Python writes the float
        _one(value=0.004).replace("0.004", "4e-3"),
        _one(value=1e16).replace("1e+16", "1E+16"),
        _one(value=0).replace('"value":0', '"value":-0'),
        _one(latency_ms=12.5).replace("12.5", "12.50"),
        _one(value=1).replace('"value":1', '"value":' + "9" * 5000),  # json.loads refuses it
        _one(value=0.004).replace("2026-11-28", "2026-02-30"),  # no such day
        _one(value=0.004).replace("2026-11-28", "0000-01-01"),
        _one(value=0.004).replace("T09:", "T24:"),
        _one(value=0.004).replace('"ok"', '"fine"'),  # no such outcome
        _one(value=0.004).replace('"probe"', '"probe":"x","probe"'),  # repeated key
        _one(value=0.004).replace('{"at"', '{"zz":1,"at"'),  # a field samples do not have
        _one(value=0.004).replace(",", ", "),
        _one(value=0.004, detail='say "no"'),  # escapes are left to the decoder
        _one(value=0.004, text="é\\n"),
        _one(value=float("nan")),
        _one(http_status=True),
        _one(http_status=200.0),
        '{"samples":[],"more":1}',
        '{"samples":{}}',
        '{"poller":"Ada","samples":{}}',
        '{"poller":1,"samples":[]}',
        '{"poller":"say \\"hi\\"","samples":[]}',  # escapes are left to the decoder
        '{"samples":[],"poller":"Ada"}',  # not in sorted order
    ],
)
def test_what_the_reader_leaves_to_the_decoder(text: str) -> None:
    """Not canonical, not decodable, or written with escapes (or NaN): decoded as ever."""
    assert read_samples(text) is None


def test_an_empty_tick_and_one_of_each_outcome_are_read() -> None:
    assert read_samples('{"samples":[]}') == ()
    assert read_samples('{"poller":"Ada","samples":[]}') == ()
    text = _one(value=1e-05, latency_ms=12, http_status=503, detail="x y", text="2.4.0 🚀\x9b")
    _agrees(text)


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("2026-11-28T09:00:05.000Z", True),
        ("2028-02-29T23:59:59.999Z", True),
        ("2026-02-29T09:00:05.000Z", False),
        ("2026-11-28T09:00:05Z", False),
        ("2026-11-28T09:00:05.000+00:00", False),
        ("2026-11-28 09:00:05.000Z", False),
        ("2026-11-28T09:60:05.000Z", False),
    ],
)
def test_is_stored_at(text: str, stored: bool) -> None:
    assert is_stored_at(text) is stored
    if stored:
        assert format_timestamp(parse_timestamp(text)) == text


@pytest.mark.parametrize(
    "fields",
    [
        {"text": None},  # left out is never written as null
        {"latency_ms": None},
        {"http_status": True},
        {"extra": 1},
        {"outcome": "melted"},
        {"at": "2026-11-28T10:00:05.000+01:00"},  # the same moment, not as written
    ],
)
def test_what_the_typed_reading_refuses_it_leaves_to_the_decoder(fields: dict[str, object]) -> None:
    text = _one(**fields)
    assert typed_samples(text) is None
    try:
        decoded = decode_payload(KIND, json.loads(text))
    except ValueError:
        return  # the decoder refuses it too, and says why
    assert isinstance(decoded, ProbeSamples)  # it reads the offset as UTC
