"""What production says: probe samples, rollback triggers, baselines."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import ClassVar

from msgspec import Struct

from incident.core.events import JSONValue, Kind, format_timestamp
from incident.core.payloads.base import Fields
from incident.core.samples import Outcome, Sample


class TriggerChanged(Struct, frozen=True):
    """A rollback trigger turned met or cleared, by a probe's verdict or a person."""

    KIND: ClassVar[Kind] = Kind.TRIGGER_CHANGED
    trigger: str
    met: bool
    source: str
    """`probe` (decided from samples) or `manual` (a person's judgement)."""
    by: str
    detail: str

    def to_json(self) -> dict[str, JSONValue]:
        return {
            "trigger": self.trigger,
            "met": self.met,
            "source": self.source,
            "by": self.by,
            "detail": self.detail,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, JSONValue]) -> TriggerChanged:
        f = Fields(cls.KIND, data)
        decoded = cls(
            f.text("trigger"), f.flag("met"), f.text("source"), f.text("by"), f.text("detail")
        )
        f.done()
        return decoded


class ProbeSamples(Struct, frozen=True):
    """One tick of probe samples."""

    KIND: ClassVar[Kind] = Kind.PROBE_SAMPLES
    samples: tuple[Sample, ...]
    poller: str | None = None
    """Who polled them ("Ada's monitor (pid 4242 on bastion)"), so that a second poller
    of the incident sees the first at work and leaves the probes to it
    (`incident.health.turns`). Left out of the stored payload when None, as ticks
    recorded before it was written are: they read, and hash, as they always did."""
    unset: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """The probes this poller leaves out because its environment does not set a
    `${NAME}` they read, each with those names (`runbooks.unset`): so a face that
    polls nothing can say why they have no reading (`incident.health.no_reading`).
    Sorted by probe, as stored: `{"health": ["SHOP_HOST"]}`, only when there are some, on the first
    tick a poller records; left out otherwise, so other ticks read and hash as before."""

    def to_json(self) -> dict[str, JSONValue]:
        data: dict[str, JSONValue] = {
            "samples": [sample_to_json(sample) for sample in self.samples]
        }
        if self.poller is not None:
            data["poller"] = self.poller
        if self.unset:
            data["unset"] = {probe: list(names) for probe, names in self.unset}
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, JSONValue]) -> ProbeSamples:
        f = Fields(cls.KIND, data)
        items = f.objects("samples")
        poller = f.text_if_given("poller")
        unset = _unset(f) if "unset" in data else ()
        f.done()
        samples = tuple(_sample(item, f"samples[{n}].") for n, item in enumerate(items))
        return cls(samples, poller, unset)


def _unset(f: Fields) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """`unset` as stored: a non-empty object of probe names, each a list of names."""
    stored = f.obj("unset")
    found: list[tuple[str, tuple[str, ...]]] = []
    for probe, names in stored.items():
        if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
            f.fail("unset", f"{probe!r} is not a list of variable names")
        found.append((probe, tuple(str(name) for name in names)))
    if not found:
        f.fail("unset", "is empty (left out when nothing is unset)")
    return tuple(found)


def sample_to_json(sample: Sample) -> dict[str, JSONValue]:
    """A sample as stored: latency to the microsecond, absent readings left out."""
    data: dict[str, JSONValue] = {
        "probe": sample.probe,
        "at": format_timestamp(sample.at),
        "outcome": str(sample.outcome),
    }
    if sample.latency_ms is not None:
        data["latency_ms"] = round(sample.latency_ms, 3)
    if sample.http_status is not None:
        data["http_status"] = sample.http_status
    if sample.value is not None and math.isfinite(sample.value):
        data["value"] = sample.value
    if sample.text is not None:
        data["text"] = sample.text
    if sample.detail:
        data["detail"] = sample.detail
    return data


_OUTCOMES = {str(outcome): outcome for outcome in Outcome}


def _sample(data: Mapping[str, JSONValue], where: str) -> Sample:
    f = Fields(Kind.PROBE_SAMPLES, data, where)
    outcome = _OUTCOMES.get(f.text("outcome"))
    if outcome is None:
        f.fail("outcome", f"is not a probe outcome: {data['outcome']!r}")
    sample = Sample(
        probe=f.text("probe"),
        at=f.moment("at"),
        outcome=outcome,
        latency_ms=f.number_if_given("latency_ms"),
        http_status=f.integer_if_given("http_status"),
        value=f.number_if_given("value"),
        text=f.text_if_given("text"),
        detail=f.text("detail", ""),
    )
    f.done()
    return sample


class BaselineCaptured(Struct, frozen=True):
    """A probe's healthy value: given by a person, or the median of its samples."""

    KIND: ClassVar[Kind] = Kind.BASELINE_CAPTURED
    probe: str
    value: float
    source: str
    """`given` or `samples`."""

    def to_json(self) -> dict[str, JSONValue]:
        return {"probe": self.probe, "value": self.value, "source": self.source}

    @classmethod
    def from_json(cls, data: Mapping[str, JSONValue]) -> BaselineCaptured:
        f = Fields(cls.KIND, data)
        decoded = cls(f.text("probe"), f.number("value"), f.text("source"))
        f.done()
        return decoded
