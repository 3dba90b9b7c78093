"""Probe ticks one after another, known from the store's summaries, read as columns.

A long record is nine events in ten probe ticks, and reading each into an object
(`SampledTick`, `ProbeTick`), splitting its summary into tuples and handing it to a
fold and a tally is what a report spent most of its time on: several microseconds
a tick, against one for a raw read of the row. A `TickRun` holds a run of ticks as
lists, one entry per tick, so that a report counts them, takes a probe's readings
from them and keeps a reference for the fold in a few calls per run; only the ticks
whose samples a state keeps are ever made into objects (`last_ticks_of`).

The summaries are those of `summary_text`: per sample its probe, `FIELD`, a time (an
OK numeric reading's or a failed sample's), `FIELD`, and a value (an OK numeric
reading's). `whole` says whether a run's summaries have exactly that shape; a store
hands over only runs that have (not those written before failures were kept,
`legacy_summary_text`, whose ticks are read from their rows).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import cache
from itertools import repeat
from operator import sub
from typing import Final

from incident.core.events import Event, Kind
from incident.core.payloads import ProbeSamples
from incident.core.tick_presence import every_tick, ticks_holding, ticks_text
from incident.core.ticks import ENTRY, FIELD, ProbeTick, SampledTick, summary_samples

_KIND: Final = str(Kind.PROBE_SAMPLES)


@cache
def _time_and_value() -> re.Pattern[str]:
    return re.compile(f"{FIELD}[^{ENTRY}]*")


_SHAPE: Final = f"[^{ENTRY}{FIELD}]*+{FIELD}[^{ENTRY}{FIELD}]*+{FIELD}[^{ENTRY}{FIELD}]*+"
"""One sample's summary: a probe, a time (or nothing) and a value (or nothing)."""


@cache
def _shapes() -> re.Pattern[str]:
    """What `_shaped` checks, as a pattern (`_shaped` is the quicker)."""
    return re.compile(f"{_SHAPE}(?:{ENTRY}{_SHAPE})*+")


COUNTED_PROBES: Final = 12
"""Up to this many probes, a run's samples are counted per probe by searching its whole
text for each (in C); past it, by reading each entry once. Where the two cost the same,
measured on runs of equal length: 3 probes 3.6 against 16.9 ms, 12 probes 13.5 against
13.8, 50 probes 53.3 against 13.5, and 200 probes' 150 ticks 96.8 against 6.8."""

Stored = tuple[Sequence[int], Sequence[str], Sequence[str], Sequence[str]]
"""Each tick's `mono_ns`, actor, payload and previous hash, as stored."""
_READINGS: dict[str, re.Pattern[str]] = {}
"""Per probe, the pattern of its readings in a run's summaries joined by `ENTRY`."""
_CHECKS: dict[str, re.Pattern[str]] = {}
"""Per probe, the pattern of all its samples in the same text."""


def whole(counts: Sequence[int], readings: Sequence[str]) -> bool:
    """Whether each summary holds `count` samples, each a probe, time and value (what
    `summary_samples` reads; anything else is left to the tick's own row)."""
    return whole_text(counts, readings) is not None


def whole_text(counts: Sequence[int], readings: Sequence[str]) -> str | None:
    """The summaries, each after an `ENTRY` (what `TickRun` reads its probes from), if
    they are `whole`; else None."""
    if 0 in counts:  # an empty summary holds no ENTRY, as a summary of one sample does
        held = [
            text.count(ENTRY) + 1 if count else len(text)
            for count, text in zip(counts, readings, strict=True)
        ]
        if held != list(counts):
            return None
        if not _shaped("".join([ENTRY + t for c, t in zip(counts, readings, strict=True) if c])):
            return None
        return ENTRY + ENTRY.join(readings)
    if list(map(str.count, readings, repeat(ENTRY))) != list(map(sub, counts, repeat(1))):
        return None
    text = ENTRY + ENTRY.join(readings)
    return text if _shaped(text) else None


def _shaped(text: str) -> bool:
    """Whether each sample of `text` (each after an `ENTRY`) holds exactly two `FIELD`s,
    in a few C calls: its separators alone are `ENTRY FIELD FIELD` over and over. UTF-8
    writes no other character with the bytes of these two, so the separators are found
    in its bytes."""
    skeleton = text.encode("utf-8", "surrogatepass").translate(None, _NOT_SEPARATORS)
    return skeleton == _SAMPLE * (len(skeleton) // len(_SAMPLE))


_NOT_SEPARATORS: Final = bytes(byte for byte in range(256) if chr(byte) not in (ENTRY, FIELD))
_SAMPLE: Final = (ENTRY + FIELD + FIELD).encode()


class TickRun:
    """Ticks that follow one another in the record, as columns (one entry per tick),
    and the other events among them (`between`): a reader takes those first, as the
    run comes after every event before its last tick and before every one after it.

    `payloads`, `mono_ns`, `actors` and `prev_hashes` are filled only for the JSON
    export, which copies each tick's stored text; the store gives those only when
    the text still hashes to the hash its summary names.
    """

    __slots__ = (
        "_every",
        "_held",
        "_load",
        "_made",
        "_probes",
        "_text",
        "_ticks",
        "actors",
        "ats",
        "between",
        "between_text",
        "counts",
        "hashes",
        "incident_id",
        "mono_ns",
        "payloads",
        "prev_hashes",
        "readings",
        "samples",
        "seqs",
    )

    def __init__(
        self,
        incident_id: str,
        seqs: Sequence[int],
        ats: Sequence[str],
        hashes: Sequence[str],
        counts: Sequence[int],
        readings: Sequence[str],
        load: Callable[[int], ProbeSamples],
        stored: Stored = ((), (), (), ()),
        *,
        between: Sequence[Event] = (),
        between_text: Sequence[tuple[str, str]] = (),
        joined: str | None = None,
    ) -> None:
        self.incident_id = incident_id
        self.seqs = seqs
        self.ats = ats
        self.hashes = hashes
        self.counts = counts
        self.readings = readings
        self.samples = sum(counts)
        """Samples in all the run's ticks."""
        self.mono_ns, self.actors, self.payloads, self.prev_hashes = stored
        self.between = between
        """The events that are not ticks between the first tick and the last, in order."""
        self.between_text = between_text
        """For the JSON export, each of `between`'s time and payload as stored (if given)."""
        self._load = load
        self._made: dict[int, SampledTick | ProbeTick] = {}
        self._held: dict[int, Counter[str]] = {}
        """Each tick's samples per probe, counted once when first asked (`last_ticks_of`)."""
        self._text = joined
        """Every summary, each after an `ENTRY` (`whole_text`), once made."""
        self._probes: dict[str, int] | None = None
        self._ticks: str | None = None
        """Every summary, each after a `TICK` (`tick_presence.ticks_text`), once made."""
        self._every: frozenset[str] | None = None

    def __len__(self) -> int:
        return len(self.seqs)

    @property
    def kind(self) -> str:
        return _KIND

    @property
    def seq(self) -> int:
        """The last tick's: a run stands where its last tick does."""
        return self.seqs[-1]

    @property
    def hash(self) -> str:
        return self.hashes[-1]

    @property
    def at(self) -> datetime:
        return datetime.fromisoformat(self.ats[-1])

    def probes(self) -> dict[str, int]:
        """Each probe sampled in the run, in the order it first appears, and its samples
        (counted once: the fold and the gaps' tally both ask)."""
        if self._probes is None:
            self._probes = self._probes_held()
        return self._probes

    def ticks_of(self, probe: str) -> Sequence[int]:
        """The indexes of the run's ticks that hold a sample of `probe`, in order
        (`incident.core.tick_presence`): a range when every tick does."""
        if self._ticks is None:
            self._ticks = ticks_text(self.readings)
            self._every = every_tick(self.readings, self._ticks, self.probes())
        if self._every and probe in self._every:
            return range(len(self.seqs))
        return ticks_holding(self.readings, self._ticks, probe)

    def _probes_held(self) -> dict[str, int]:
        if not self.samples:
            return {}
        if 0 not in self.counts:
            counted = self._probes_counted()
            if counted is not None:
                return counted
        if 0 in self.counts:  # a tick without samples: its empty summary is no probe's
            text = ENTRY.join(t for c, t in zip(self.counts, self.readings, strict=True) if c)
        else:
            text = self._joined()[1:]
        each = _time_and_value().sub("", text).split(ENTRY)
        return dict(Counter(each))  # in the order each probe first appears

    def _probes_counted(self) -> dict[str, int] | None:
        """`probes` found by counting, in C, the entries of each probe of the first and
        last ticks in the forms they have there (`ENTRY`, the probe, then a `FIELD`; or
        then another `ENTRY` or the end): a run usually samples the same probes the
        same way throughout. Each count is of whole entries of that probe, so if they
        add up to the run's samples every entry is counted; else (another probe, another
        form, or two bare entries of one probe in a row, which one count does not see
        apart) None."""
        text = self._joined()
        forms: dict[str, set[str]] = {}
        for entry in (self.readings[0] + ENTRY + self.readings[-1]).split(ENTRY):
            probe, timed, _ = entry.partition(FIELD)
            forms.setdefault(probe, set()).add(timed or ENTRY)
        if len(forms) > COUNTED_PROBES:
            return None
        first: dict[str, int] = {}
        held: dict[str, int] = {}
        for probe, ends in forms.items():
            needles = [f"{ENTRY}{probe}{end}" for end in ends]
            last = ENTRY in ends and text.endswith(f"{ENTRY}{probe}")
            held[probe] = sum(map(text.count, needles)) + last
            found = [at for at in map(text.find, needles) if at >= 0]
            first[probe] = min(found) if found else len(text)
        if sum(held.values()) != self.samples:
            return None
        return {probe: held[probe] for probe in sorted(held, key=first.__getitem__)}

    def readings_of(self, probe: str) -> list[tuple[str, str]]:
        """(time, value) of each OK numeric reading of `probe`, in order, as stored."""
        pattern = _READINGS.get(probe)
        if pattern is None:
            if len(_READINGS) > 1024:
                _READINGS.clear()
            pattern = _READINGS[probe] = re.compile(  # a literal first: searched for, not tried
                f"{ENTRY}{re.escape(probe)}{FIELD}([^{ENTRY}{FIELD}]*){FIELD}([^{ENTRY}]+)"
            )
        return pattern.findall(self._joined())

    def checks_of(self, probe: str) -> list[tuple[str, str]]:
        """(time, value) of each sample of `probe`, in order, as its summary stores them:
        a failed one has its time and no value, another OK one neither."""
        pattern = _CHECKS.get(probe)
        if pattern is None:
            if len(_CHECKS) > 1024:
                _CHECKS.clear()
            pattern = _CHECKS[probe] = re.compile(
                f"{ENTRY}{re.escape(probe)}{FIELD}([^{ENTRY}{FIELD}]*){FIELD}([^{ENTRY}]*)"
            )
        return pattern.findall(self._joined())

    def _joined(self) -> str:
        """Every summary, each after an `ENTRY`: read by a pattern, once per run."""
        if self._text is None:
            self._text = ENTRY + ENTRY.join(self.readings)
        return self._text

    def last_ticks_of(self, probe: str, wanted: int) -> list[SampledTick | ProbeTick]:
        """The run's last ticks holding `probe`, each once per sample of it, in order:
        at least `wanted` entries if the run has them (what a fold keeps of it)."""
        found: list[SampledTick | ProbeTick] = []
        for index in range(len(self.seqs) - 1, -1, -1):
            if not self.counts[index]:
                continue
            held = self._held.get(index)
            if held is None:  # asked for each probe in turn: each tick's entries read once
                entries = self.readings[index].split(ENTRY)
                held = self._held[index] = Counter(e.partition(FIELD)[0] for e in entries)
            found.extend([self.tick(index)] * held[probe])
            if len(found) >= wanted:
                break
        found.reverse()
        return found

    def tick(self, index: int) -> SampledTick | ProbeTick:
        """The tick at `index`, the same object each time asked: a `ProbeTick` when the
        run carries its stored text (decoded from it), else a `SampledTick`."""
        made = self._made.get(index)
        if made is None:
            count, text = self.counts[index], self.readings[index]
            samples = summary_samples(count, text) or ()
            if self.payloads:
                made = self._made[index] = ProbeTick(
                    self.incident_id,
                    self.seqs[index],
                    self.ats[index],
                    self.mono_ns[index],
                    self.actors[index],
                    self.payloads[index],
                    self.prev_hashes[index],
                    self.hashes[index],
                    samples,
                )
                return made
            made = self._made[index] = SampledTick(
                self.incident_id,
                self.seqs[index],
                self.ats[index],
                self.hashes[index],
                samples,
                self._load,
            )
        return made
