"""A canonical tick's samples decoded in one call, for the screens that show them.

Opening an incident decodes the ticks its health panel draws from: the last 120
samples of each probe, so with 200 probes the last 120 ticks of 200 samples each.
Through `json.loads` and the payload's field-by-field checks that took 4.1 µs a
sample, about 100 ms of the first frame. A tick whose text `read_samples` accepted
(every field in the one form this release writes) is decoded here by msgspec into
the stored shape, which keeps what the strict decoder keeps: a number as it was
written (an int stays an int), no null where a field is left out, no key it does not
know. Anything it refuses goes to the strict decoder, which reads it or says why.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TypeVar

import msgspec
from msgspec import UNSET, Struct, UnsetType

from incident.core.payloads.health import ProbeSamples
from incident.core.samples import Outcome, Sample

Number = int | float | UnsetType
T = TypeVar("T")


class _StoredSample(Struct, forbid_unknown_fields=True):
    """A sample as `sample_to_json` writes it."""

    probe: str
    at: datetime
    outcome: Outcome
    latency_ms: Number = UNSET
    http_status: int | UnsetType = UNSET
    value: Number = UNSET
    text: str | UnsetType = UNSET
    detail: str = ""


class _StoredTick(Struct, forbid_unknown_fields=True):
    samples: list[_StoredSample]
    poller: str | UnsetType = UNSET


_DECODER = msgspec.json.Decoder(_StoredTick)


def _given(value: T | UnsetType) -> T | None:
    """The field's value, or None where the text left it out."""
    return None if isinstance(value, UnsetType) else value


def typed_samples(text: str) -> ProbeSamples | None:
    """The tick `read_samples` accepted, decoded; None to leave `text` to the strict
    decoder (what it would refuse, or a time not written in UTC)."""
    try:
        stored = _DECODER.decode(text)
    except msgspec.DecodeError:
        return None
    samples = []
    for s in stored.samples:
        if s.at.tzinfo is not UTC:
            return None
        samples.append(
            Sample(
                s.probe,
                s.at,
                s.outcome,
                _given(s.latency_ms),
                _given(s.http_status),
                _given(s.value),
                _given(s.text),
                s.detail,
            )
        )
    return ProbeSamples(tuple(samples), _given(stored.poller))
