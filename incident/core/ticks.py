"""A probe tick read from its stored text, without decoding it into samples.

In a long incident nine events in ten are `probe.samples` ticks, and reading each
into `Sample` objects (a dict from JSON, a datetime per sample, every field
checked) is most of what reading the record costs, while an export or a replay
needs only how many samples each tick holds, the numbers of a few probes and the
latest samples of each. So a tick whose stored text has exactly the shape this
release writes (the canonical encoding of `ProbeSamples`, strings without
escapes) is read by one pattern: what it matches is valid JSON, is its own
canonical encoding (so `verify` has nothing to add and an export may copy the
text), and decodes to a `ProbeSamples` without error. Anything else is left to
the strict decoder, which reads it or says why not, exactly as before.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, datetime
from functools import cache
from typing import Final, NamedTuple

from incident.core.events import YEARS, Event, Kind
from incident.core.payloads import ProbeSamples, decode_payload
from incident.core.samples import Outcome

_DAY = r"\d{4}-\d\d-\d\d"
"""A day's digits; whether it is a real day is asked of `date` (see `_Days`)."""
_TIME = r"T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z"
_PLAIN = r'[^"\\\x00-\x1f]*+'
_TEXT = f'"{_PLAIN}"'
"""A JSON string that needs no escape: its canonical encoding is itself."""
_INTEGER = r"(?:0|-?[1-9]\d*+)"
_NUMBER = r"-?+(?:0|[1-9]\d*+)(?:\.\d++)?+(?:[eE][+-]?+\d++)?+"
_OUTCOME = "|".join(sorted((str(outcome) for outcome in Outcome), key=len, reverse=True))


@cache
def _stored_at() -> re.Pattern[str]:
    """A timestamp exactly as `format_timestamp` writes it (the day is checked apart)."""
    return re.compile(f"({_DAY}){_TIME}")


@cache
def _sample() -> re.Pattern[str]:
    """One sample as `sample_to_json` and the canonical encoding write it: keys sorted.

    Possessive quantifiers: a field that does not fit is not tried another way, since
    the encoding allows only one."""
    return re.compile(
        f'{{"at":"(({_DAY}){_TIME})"'
        f'(?:,"detail":{_TEXT})?+'
        f'(?:,"http_status":{_INTEGER})?+'
        f'(?:,"latency_ms":({_NUMBER}))?+'
        f',"outcome":"({_OUTCOME})"'
        f',"probe":"({_PLAIN})"'
        f'(?:,"text":{_TEXT})?+'
        f'(?:,"value":({_NUMBER}))?+}}'
    )


_KIND: Final = str(Kind.PROBE_SAMPLES)
_OPEN = '{"samples":['
_CLOSE = "]}"
_EMPTY = _OPEN + _CLOSE


@cache
def _polled_open() -> re.Pattern[str]:
    """The start of a tick that names its poller (the key sorts before `samples`)."""
    return re.compile(f'{{"poller":"({_PLAIN})","samples":\\[')


TickSample = tuple[str, str, str | None, str, str, str | None]
"""A sample as read without decoding: its stored text for `at`, the day of `at`, the
latency, the outcome, the probe and the value (`None` where left out). Index it
with `AT`, `OUTCOME`, `PROBE` and `VALUE`; `reading` gives the value's number."""
AT: Final = 0
OUTCOME: Final = 3
PROBE: Final = 4
VALUE: Final = 5


class ProbeTick(NamedTuple):
    """A `probe.samples` event as stored, its samples read but not decoded.

    `text` is the payload as stored and is its canonical encoding; `at_text` the
    time exactly as stored; `decode` gives the `ProbeSamples` the strict decoder
    would, and `event` the whole event. A named tuple: a long record makes many.
    """

    incident_id: str
    seq: int
    at_text: str
    mono_ns: int
    actor: str
    text: str
    prev_hash: str
    hash: str
    samples: tuple[TickSample, ...]

    @property
    def kind(self) -> str:
        return _KIND

    @property
    def at(self) -> datetime:
        """The time, parsed when asked (an export never asks)."""
        return datetime.fromisoformat(self.at_text)

    def decode(self) -> ProbeSamples:
        # Imported when a tick is first decoded: a command that decodes none (`status`
        # on most records, `note`) does not load it.
        from incident.core.tick_samples import typed_samples

        typed = typed_samples(self.text)
        if typed is not None:
            return typed
        data = decode_payload(self.kind, json.loads(self.text))
        assert isinstance(data, ProbeSamples)
        return data

    def event(self) -> Event:
        """The event, decoded, as `store.rows.decode` gives it."""
        payload = json.loads(self.text)
        data = decode_payload(self.kind, payload)
        return Event(
            self.incident_id,
            self.seq,
            self.kind,
            self.actor,
            self.at,
            self.mono_ns,
            payload,
            data,
            self.prev_hash,
            self.hash,
        )


_MEMORY = 1 << 16
"""Entries a cache below keeps before it starts again."""
_DAYS: dict[str, bool] = {}
"""`YYYY-MM-DD` -> whether it is a real day: an incident has few."""
_CANONICAL: dict[str, bool] = {}
"""Number token -> whether it is how the encoding writes its number: latencies repeat."""


def _real_day(text: str) -> bool:
    """Whether `text` is a day of `YEARS`, as the decoder reads it."""
    known = _DAYS.get(text)
    if known is None:
        try:
            known = date.fromisoformat(text).year in YEARS
        except ValueError:
            known = False
        if len(_DAYS) >= _MEMORY:
            _DAYS.clear()
        _DAYS[text] = known
    return known


def _number(token: str) -> float | None:
    """The number `token` is, if `token` is how the canonical encoding writes it."""
    try:
        if "." in token or "e" in token or "E" in token:
            value = float(token)
            return value if repr(value) == token else None
        return None if token == "-0" else int(token)
    except ValueError:  # more digits than int() takes: json.loads refuses it too
        return None


def _canonical(token: str) -> bool:
    known = _CANONICAL.get(token)
    if known is None:
        known = _number(token) is not None
        if len(_CANONICAL) >= _MEMORY:
            _CANONICAL.clear()
        _CANONICAL[token] = known
    return known


def is_stored_at(text: str) -> bool:
    """Whether `text` is a real moment written exactly as `format_timestamp` writes it."""
    match = _stored_at().fullmatch(text)
    return match is not None and _real_day(match.group(1))


def reading(token: str) -> float:
    """The number a `VALUE` of a `TickSample` holds (an int stays an int, as in JSON)."""
    if "." in token or "e" in token or "E" in token:
        return float(token)
    return int(token)


def read_samples(text: str) -> tuple[TickSample, ...] | None:
    """The samples of a stored `probe.samples` payload, or None to leave it to the decoder.

    Not None only if `text` is the canonical encoding of a payload that decodes:
    every key in place, every string free of escapes, every number as Python
    writes it, every timestamp a real moment.
    """
    if text == _EMPTY:
        return ()
    if not text.endswith(_CLOSE):
        return None
    if text.startswith(_OPEN):
        position = len(_OPEN)
    else:
        polled = _polled_open().match(text)
        if polled is None:
            return None
        position = polled.end()
    found: list[TickSample] = []
    end = len(text) - len(_CLOSE)
    if position == end:
        return ()
    match_sample, days, canonical = _sample().match, _DAYS, _CANONICAL
    while True:
        match = match_sample(text, position, end)
        if match is None:
            return None
        sample: TickSample = match.groups()  # type: ignore[assignment]
        day, latency, value = sample[1], sample[2], sample[VALUE]
        if not (days.get(day) or _real_day(day)):
            return None
        if latency is not None and not (canonical.get(latency) or _canonical(latency)):
            return None
        if value is not None and not (canonical.get(value) or _canonical(value)):
            return None
        found.append(sample)
        position = match.end()
        if position == end:
            return tuple(found)
        if text[position] != ",":
            return None
        position += 1


# --- a tick's samples as the store keeps them beside it -----------------------------

ENTRY = "\x1e"
"""Between two samples in a summary."""
FIELD = "\x1f"
"""Between the probe, time and value of an OK numeric reading in a summary."""


def summary_text(samples: tuple[TickSample, ...]) -> str | None:
    """What the store keeps of a tick's samples, so that reading them needs no pattern.

    Per sample, in order, three fields: its probe, then for an OK numeric reading its
    time and value as stored (the only samples a metric's figures read one by one),
    for a failed one (any outcome but OK) its time and nothing, and for any other OK
    one nothing and nothing. A health check's failures are read from these as a
    metric's readings are (ux_review16 #4). None if a probe's name holds a separator
    (it never does in a tick `read_samples` accepts).
    """
    entries = []
    for sample in samples:
        probe = sample[PROBE]
        if ENTRY in probe or FIELD in probe:
            return None
        if sample[OUTCOME] != "ok":
            entries.append(f"{probe}{FIELD}{sample[AT]}{FIELD}")
        elif sample[VALUE] is not None:
            entries.append(f"{probe}{FIELD}{sample[AT]}{FIELD}{sample[VALUE]}")
        else:
            entries.append(f"{probe}{FIELD}{FIELD}")
    return ENTRY.join(entries)


def legacy_summary_text(samples: tuple[TickSample, ...]) -> str | None:
    """What releases before the failures were kept wrote (`summary_text` before it):
    an OK numeric reading's probe, time and value, any other sample's probe alone.

    Such a summary does not say which samples failed, so no reader uses it
    (`summary_samples` refuses a bare probe): its tick is read from its own text.
    `verify` takes it for what it is, not for a forged summary.
    """
    entries = []
    for sample in samples:
        probe = sample[PROBE]
        if ENTRY in probe or FIELD in probe:
            return None
        if sample[OUTCOME] == "ok" and sample[VALUE] is not None:
            entries.append(f"{probe}{FIELD}{sample[AT]}{FIELD}{sample[VALUE]}")
        else:
            entries.append(probe)
    return ENTRY.join(entries)


FAILED: Final = "failed"
"""The `OUTCOME` of a failed sample read from a summary, which keeps no outcome class."""


def summary_samples(count: int, text: str) -> tuple[TickSample, ...] | None:
    """`TickSample`s from `summary_text` of `count` samples; None if the text is not that
    (a summary written before failures were kept among them, `legacy_summary_text`).

    Only the fields the fold and the reports read are filled: `PROBE`; `AT`, `OUTCOME`
    ("ok") and `VALUE` for an OK numeric reading; `AT` and `OUTCOME` (`FAILED`) for a
    failed one; `OUTCOME` ("ok") for another OK one; the rest are empty.
    """
    if count == 0:
        return () if text == "" else None
    entries = text.split(ENTRY)
    if len(entries) != count:
        return None
    found: list[TickSample] = []
    for entry in entries:
        fields = entry.split(FIELD)
        if len(fields) != 3:
            return None
        probe, at, value = fields
        if value:
            found.append((at, "", None, "ok", probe, value))
        elif at:
            found.append((at, "", None, FAILED, probe, None))
        else:
            found.append(("", "", None, "ok", probe, None))
    return tuple(found)


class SampledTick:
    """A probe tick known only from the store's summary of it, its row left unread.

    What a report reads of nine events in ten: the sequence number, the time, and
    each sample's probe and OK numeric reading (`summary_samples`). `decode` reads
    the event itself, for the few ticks whose samples a state keeps.
    """

    __slots__ = ("_load", "at_text", "hash", "incident_id", "samples", "seq")

    def __init__(
        self,
        incident_id: str,
        seq: int,
        at_text: str,
        digest: str,
        samples: tuple[TickSample, ...],
        load: Callable[[int], ProbeSamples],
    ) -> None:
        self.incident_id = incident_id
        self.seq = seq
        self.at_text = at_text
        self.hash = digest
        self.samples = samples
        self._load = load

    @property
    def kind(self) -> str:
        return _KIND

    @property
    def at(self) -> datetime:
        return datetime.fromisoformat(self.at_text)

    def decode(self) -> ProbeSamples:
        return self._load(self.seq)
