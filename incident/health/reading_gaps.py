"""Stretches in which a probe has no readings in the record: nobody was polling.

A monitor restarted, a coordinator's screen reopened, a database that refused the
writes for a minute: the probes went unrecorded, and the documents counted the
readings there were and drew them as a quiet line (a review counted 19 error-rate
readings in 7 minutes at a 15 s interval, and nothing said so). A quiet sparkline
must not be read as a healthy one, so the documents name each stretch longer than
`reading_gap` between two of a probe's ticks, or after its last one until the end
(the close, or now): `no readings of error-rate from T+01:12 to T+02:02 (50s)`.

The times are the ticks' (when a poller recorded its readings), read from every tick
as the record streams past; a run of ticks (`TickRun`) is read in a few calls
(`TickRun.ticks_of`), with each tick's time parsed once. A probe that never had a
reading says so by its count of readings; it has no gap here.

What the readings measure is measured only where they were taken (`covered`): a
trigger's time above its threshold, and the time a probe's readings cover, leave
its gaps out. A breach still open when the monitor died went on counting through
the twenty minutes nobody polled (ux_review10 #2).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from operator import sub

from msgspec import Struct

from incident.core.tick_runs import TickRun
from incident.core.ticks import PROBE
from incident.core.timefmt import printed_span
from runbooks.model import Probe, Runbook

GAP_INTERVALS = 3
"""A stretch without readings is a gap once it is longer than this many of the
probe's intervals (the Production panel calls a reading stale at the same count:
`incident.health.reading_line.STALE_AFTER_INTERVALS`)..."""
GAP_AT_LEAST = timedelta(seconds=30)
"""...and longer than this, so that a fast probe's missed poll or two is no gap."""


def reading_gap(probe: Probe) -> timedelta:
    """How long `probe` may go without a reading before the documents call it a gap."""
    return max(timedelta(seconds=probe.interval_s * GAP_INTERVALS), GAP_AT_LEAST)


class ReadingGap(Struct, frozen=True):
    """A stretch longer than `reading_gap` with no reading of `probe` recorded."""

    probe: str
    start: datetime
    """The tick of the last reading before it."""
    end: datetime
    """The tick of the next reading; or the end of the record (`to_end`)."""
    end_seq: int | None = None
    """The event of that next reading; None when none came (`to_end`)."""

    @property
    def to_end(self) -> bool:
        """No reading after it: it lasts until the close (or until now, if open)."""
        return self.end_seq is None

    @property
    def length(self) -> timedelta:
        return self.end - self.start


class ReadingGaps(Struct, frozen=True):
    """What the tally found in the whole record: the gaps between readings, and each
    probe's last reading, for the gap after it (`until`)."""

    between: tuple[ReadingGap, ...] = ()
    last: tuple[tuple[str, datetime], ...] = ()
    """Each probe with a reading, in the runbook's order, and its last tick's time."""
    limits: tuple[tuple[str, timedelta], ...] = ()
    first: tuple[tuple[str, datetime], ...] = ()
    """Each probe with a reading, in the runbook's order, and its first tick's time."""

    def between_of(self, probe: str) -> list[ReadingGap]:
        """`probe`'s gaps with a reading after them, in the order they began."""
        return [gap for gap in self.between if gap.probe == probe]

    def covered(self, probe: str) -> Covered | None:
        """The time `probe`'s readings cover: from its first tick to its last, its gaps
        left out; None if it has none."""
        first, last = dict(self.first).get(probe), dict(self.last).get(probe)
        if first is None or last is None:
            return None
        return covered([(first, last)], self.between_of(probe))

    def until(self, end: datetime) -> list[ReadingGap]:
        """Every gap, the ones that last until `end` (the close, or now) included, in
        the order they began (the runbook's order for gaps that began together)."""
        limits = dict(self.limits)
        found = list(self.between)
        for probe, last in self.last:
            if end - last > limits[probe]:
                found.append(ReadingGap(probe, last, end))
        order = {probe: position for position, (probe, _) in enumerate(self.limits)}
        return sorted(found, key=lambda gap: (gap.start, order[gap.probe]))


class GapTally:
    """Each runbook probe's readings as the record streams past, in order: the gaps
    between them, found as each tick (or run of ticks) is added."""

    def __init__(self, runbook: Runbook) -> None:
        self._limits = {probe.name: reading_gap(probe) for probe in runbook.probes}
        self._first: dict[str, datetime] = {}
        self._last: dict[str, datetime] = {}
        self._gaps: list[ReadingGap] = []

    def add_tick(self, seq: int, at: datetime, probes: Iterable[str]) -> None:
        """A tick recorded at `at` holding readings of `probes`."""
        for probe in set(probes):
            limit = self._limits.get(probe)
            if limit is None:
                continue
            last = self._last.get(probe)
            if last is None:
                self._first[probe] = at
            elif at - last > limit:
                self._gaps.append(ReadingGap(probe, last, at, seq))
            self._last[probe] = at

    def add_stored(self, seq: int, at: str, probes: Iterable[str]) -> None:
        """`add_tick` for a tick's time as stored; one that does not read as stored (a row
        edited by hand, which the store reports) is left out."""
        moment = _stored_time(at)
        if moment is not None:
            self.add_tick(seq, moment, probes)

    def add_run(self, run: TickRun) -> None:
        """Every tick of `run`: each time parsed once, each probe's ticks found at once."""
        held = run.probes()
        wanted = [probe for probe in self._limits if probe in held]
        if not wanted:
            return
        try:  # each a time with its zone, as stored: steps between them can be taken
            times = list(map(datetime.fromisoformat, run.ats))
            widest = max(map(sub, times[1:], times[:-1]), default=timedelta(0))
            if times[0].tzinfo is None:
                raise TypeError("a time without its zone")
        except (ValueError, TypeError):  # edited by hand: left to the store to report
            self._tick_by_tick(run, wanted)
            return
        steps: Sequence[timedelta] = ()
        if widest > min(self._limits[probe] for probe in wanted):  # seldom: each step kept
            steps = list(map(sub, times[1:], times[:-1]))
        for probe in wanted:
            where = run.ticks_of(probe)
            if not where:
                continue
            if isinstance(where, range):  # every tick: the steps between ticks, taken once
                self._add_times(probe, run.seqs, times, where, steps, widest)
            else:
                mine = list(map(times.__getitem__, where))
                between = list(map(sub, mine[1:], mine[:-1]))
                widest_mine = max(between, default=timedelta(0))
                self._add_times(probe, run.seqs, mine, where, between, widest_mine)

    def _tick_by_tick(self, run: TickRun, wanted: Sequence[str]) -> None:
        """`run`'s ticks one at a time, any whose time does not read as stored (a row
        edited by hand, which the store reports) left out."""
        for index, text in enumerate(run.ats):
            held = {sample[PROBE] for sample in run.tick(index).samples}
            self.add_stored(run.seqs[index], text, [probe for probe in wanted if probe in held])

    def _add_times(
        self,
        probe: str,
        seqs: Sequence[int],
        times: Sequence[datetime],
        where: Sequence[int],
        steps: Sequence[timedelta],
        widest: timedelta,
    ) -> None:
        """`probe`'s readings at `times` (its ticks', at `where` in the run), `steps`
        between each and the next, the largest `widest`. In the record's order: a tick
        whose time goes back (a clock set back) starts the next stretch from there."""
        limit = self._limits[probe]
        last = self._last.get(probe)
        if last is None:
            self._first[probe] = times[0]
        elif times[0] - last > limit:
            self._gaps.append(ReadingGap(probe, last, times[0], seqs[where[0]]))
        if widest > limit:  # seldom: found one by one
            for index, step in enumerate(steps):
                if step > limit:
                    self._gaps.append(
                        ReadingGap(probe, times[index], times[index + 1], seqs[where[index + 1]])
                    )
        self._last[probe] = times[-1]

    def result(self) -> ReadingGaps:
        """The gaps in the order they began (a run's are found probe by probe)."""
        order = {probe: position for position, probe in enumerate(self._limits)}
        found = sorted(self._gaps, key=lambda gap: (gap.start, order[gap.probe]))
        last = tuple((probe, self._last[probe]) for probe in self._limits if probe in self._last)
        first = tuple((probe, self._first[probe]) for probe in self._limits if probe in self._first)
        return ReadingGaps(tuple(found), last, tuple(self._limits.items()), first)


class Covered(Struct, frozen=True):
    """What some spans of time come to once a probe's gaps are cut out of them."""

    exact: timedelta = timedelta(0)
    printed: timedelta = timedelta(0)
    """The pieces left, each between the seconds its ends are printed at (`printed_span`):
    the figure the times beside it add up to."""
    cut: tuple[ReadingGap, ...] = ()
    """The gaps that fell inside a span, in the order they began."""


def covered(spans: Iterable[tuple[datetime, datetime]], gaps: Sequence[ReadingGap]) -> Covered:
    """The time `spans` take with one probe's `gaps` (`between_of`) cut out: each span
    less the part of each gap inside it. A span whose end is not after its start (a
    clock set back) counts nothing."""
    ordered = sorted(gaps, key=lambda gap: gap.start)  # one probe's: one after another
    exact = printed = timedelta(0)
    cut: dict[int, ReadingGap] = {}
    first = 0
    for start, end in sorted(spans):
        while first < len(ordered) and ordered[first].end <= start:
            first += 1
        piece = start
        index = first
        while index < len(ordered) and ordered[index].start < end:
            gap = ordered[index]
            if gap.start > piece:
                exact += gap.start - piece
                printed += printed_span(piece, gap.start)
            piece = max(piece, gap.end)
            cut[index] = gap
            index += 1
        if end > piece:
            exact += end - piece
            printed += printed_span(piece, end)
    return Covered(exact, printed, tuple(cut[index] for index in sorted(cut)))


def _stored_time(text: str) -> datetime | None:
    """A tick's stored time, if it reads as one with its zone."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None
