"""Which of a run's ticks hold a sample of a probe, found in a few C calls.

A gap in a probe's readings is a stretch between two of its ticks; finding them
takes, for each probe, the ticks that hold it. Splitting each tick's summary to
look (`summary_samples`) costs microseconds a tick, the cost `TickRun` exists to
avoid, so the summaries are read here as one text with each tick after a `TICK`
(`ticks_text`), and a probe's ticks found by counting and replacing in it:

- `every_tick`: the probes every tick of the run holds, if the run is regular. The
  first tick's leading entries up to its first time or value are fixed text (an OK
  sample without a value is its probe and two `FIELD`s); as far as it is counted once
  per tick in `ticks_text` (after each `TICK`), every tick starts with it, so holds
  each probe it names. A poller writes each due probe
  in the runbook's order, so the probes polled most often lead every tick: `health`
  and `version` every 5 s before an `error-rate` every 15 s.
- `ticks_holding`: any probe. Each of its entries (after an `ENTRY`, before a
  `FIELD`, an `ENTRY` or a `TICK`) is replaced by a `MARK`, the text is cut down
  to its `TICK`s and `MARK`s, and a tick holds the probe if a `MARK` follows its
  `TICK`. A tick with the probe twice in a row may keep one mark of the two (a
  replacement takes the separator the next entry starts with): one is enough.

The summaries never hold a `TICK` or a `MARK` (they are control characters no probe
name `summary_text` writes has; `ticks_holding` checks, and reads each summary
if one does).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from itertools import compress
from typing import Final

from incident.core.ticks import ENTRY, FIELD

TICK: Final = "\x1d"
"""Before each tick's summary in `ticks_text`."""
MARK: Final = "\x1c"
"""Where `ticks_holding` found an entry of its probe."""

_KEPT: Final = (TICK + MARK).encode()
_NOT_KEPT: Final = bytes(byte for byte in range(256) if byte not in _KEPT)
_FLAGS: Final = bytes.maketrans(TICK.encode() + b"Y", b"\x00\x01")


def ticks_text(readings: Sequence[str]) -> str:
    """Each summary after a `TICK` and an `ENTRY` (so every entry follows an `ENTRY`),
    and a `TICK` after the last."""
    return TICK + ENTRY + (TICK + ENTRY).join(readings) + TICK


def every_tick(readings: Sequence[str], text: str, probes: Collection[str]) -> frozenset[str]:
    """The probes every tick holds, found from the first tick's leading entries (see the
    module): as many as every tick starts with (one count of the text each); empty if
    the ticks do not all start alike. Every name in the start is followed by its
    `FIELD`, so no longer name of `probes` is taken for it."""
    if not readings or not readings[0]:
        return frozenset()
    names: list[str] = []
    fixed: list[str] = []
    for entry in readings[0].split(ENTRY):
        probe, _, rest = entry.partition(FIELD)
        fixed.append(entry if rest == FIELD else probe + FIELD)
        if text.count(TICK + ENTRY + ENTRY.join(fixed)) != len(readings):  # a `TICK` each
            break
        names.append(probe)
        if rest != FIELD:  # a time or a value: the start ends after this name
            break
    return frozenset(names)


def ticks_holding(readings: Sequence[str], text: str, probe: str) -> list[int]:
    """The indexes of the ticks holding a sample of `probe`, in order (see the module)."""
    if not probe or any(mark in probe for mark in (ENTRY, FIELD, TICK, MARK)):
        return []  # no summary names such a probe (`summary_text`)
    if MARK in text or text.count(TICK) != len(readings) + 1:
        return [
            index
            for index, summary in enumerate(readings)
            if probe in {entry.partition(FIELD)[0] for entry in summary.split(ENTRY)}
        ]
    marked = text
    for after in (FIELD, ENTRY, TICK):
        marked = marked.replace(ENTRY + probe + after, MARK + after)
    kept = marked.encode("utf-8", "surrogatepass").translate(None, _NOT_KEPT)
    twice = (MARK + MARK).encode()
    while twice in kept:
        kept = kept.replace(twice, MARK.encode())
    flags = kept[:-1].replace((TICK + MARK).encode(), b"Y").translate(_FLAGS)
    return list(compress(range(len(flags)), flags))
