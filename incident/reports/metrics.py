"""Each metric trigger's probe over the whole incident: readings, breaches, time above.

The figures come from every recorded sample, not the recent ones kept in state, so
they are gathered as the record is read, one reading at a time (`MetricTally`): a
long incident's samples are never all held, and a time is parsed only where a run
above the threshold starts or ends. The time above is counted only where the
readings were taken: the probe's gaps (`incident.health.reading_gaps`, found from
every tick's time as the same read streams past) are cut out of the runs once the
record is read.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from itertools import repeat

from msgspec import Struct

from incident.core.events import Event
from incident.core.payloads import ProbeSamples
from incident.core.state import IncidentState
from incident.core.sums import exact_mean
from incident.health.reading_gaps import Covered, GapTally, ReadingGap, ReadingGaps, covered
from incident.health.readings import OPERATORS
from runbooks.model import Probe, Runbook, Trigger, TriggerKind

Moment = datetime | str
"""A reading's time: a datetime, or its stored text (read only when needed)."""


class MetricFigures(Struct, frozen=True):
    """One metric trigger's probe over the whole incident."""

    trigger: Trigger
    probe: Probe | None
    readings: int
    above: int
    """Readings that breached the threshold (over it, for a `>` trigger)."""
    peak: float | None
    """The worst breaching reading (the highest, for `>` and `>=`)."""
    mean: float | None
    """The mean of the breaching readings."""
    worst_overall: float | None
    first_above_at: datetime | None
    last_above_at: datetime | None
    time_above: timedelta
    """From each first breaching reading to the next reading that did not breach, the
    probe's gaps left out (`left_out`): no reading says what happened in them."""
    time_above_printed: timedelta
    """`time_above` as the documents print it: each run between the seconds its ends
    are printed at (`printed_span`), so a run still open reads as its T+ to T+."""
    last_value: float | None
    baseline: float | None
    covered: Covered | None = None
    """The time the probe's readings cover, from its first tick to its last, its gaps
    left out; None without a tick of it."""
    left_out: tuple[ReadingGap, ...] = ()
    """The probe's gaps inside a run above the threshold, not counted in `time_above`."""
    above_at_end: bool = False
    """Whether a run above the threshold was still open at the last reading."""
    runs: int = 0
    """Runs of readings above the threshold, each from its first reading above it."""
    below_after: datetime | None = None
    """The reading that ended the last run: the next one not above the threshold after
    the last above it (`time_above` counts to it); None while still above at the end."""

    @property
    def unit(self) -> str:
        return self.probe.unit if self.probe else ""


def _moment(at: Moment) -> datetime:
    return at if isinstance(at, datetime) else datetime.fromisoformat(at)


class MetricTally:
    """One metric trigger's figures so far, from its probe's OK numeric readings in order."""

    def __init__(self, trigger: Trigger, op: str, threshold: float) -> None:
        self.trigger = trigger
        self._breaches = OPERATORS[op]
        self._threshold = threshold
        self._lower_is_worse = op in ("<", "<=")
        self.readings = 0
        self._above: list[float] = []
        self._peak: float | None = None
        self._worst: float | None = None
        self._last: float | None = None
        self._first_above: Moment | None = None
        self._last_above: Moment | None = None
        self._run_start: Moment | None = None
        self._runs: list[tuple[datetime, datetime]] = []
        """Each run above the threshold ended so far: its first breaching reading and the
        next reading that did not breach."""

    def _worse(self, value: float, than: float | None) -> bool:
        """As `max` (or `min`) picks: the first of equals stays."""
        if than is None:
            return True
        return value < than if self._lower_is_worse else value > than

    def add(self, at: Moment, value: float) -> None:
        self.readings += 1
        self._last = value
        if self._worse(value, self._worst):
            self._worst = value
        if self._breaches(value, self._threshold):
            self._above.append(value)
            if self._worse(value, self._peak):
                self._peak = value
            if self._first_above is None:
                self._first_above = at
            self._last_above = at
            if self._run_start is None:
                self._run_start = at
        elif self._run_start is not None:
            self._runs.append((_moment(self._run_start), _moment(at)))
            self._run_start = None

    def add_stored(self, readings: Sequence[tuple[str, str]]) -> None:
        """`add` for each (time, value) in order, as a tick summary stores them.

        A long incident's readings mostly stay on one side of the threshold: with none
        breaching and no breach run open, they change only the count, the worst and
        the last, found in a few calls. The values are the canonical encoding's
        numbers, so `json` reads each as `incident.core.ticks.reading` does.
        """
        if not readings:
            return
        values: list[float] = json.loads("[" + ",".join([value for _, value in readings]) + "]")
        if self._run_start is not None or any(map(self._breaches, values, repeat(self._threshold))):
            for (at, _), value in zip(readings, values, strict=True):
                self.add(at, value)
            return
        self.readings += len(values)
        self._last = values[-1]
        worst = min(values) if self._lower_is_worse else max(values)  # the first of equals
        if self._worse(worst, self._worst):
            self._worst = worst

    def figures(self, state: IncidentState, gaps: ReadingGaps | None = None) -> MetricFigures:
        """The figures, `gaps` (the whole record's) cut out of the time above."""
        name = self.trigger.probe or ""
        runs = list(self._runs)
        if self._run_start is not None and self._last_above is not None:
            runs.append((_moment(self._run_start), _moment(self._last_above)))
        gaps = gaps or ReadingGaps()
        above = covered(runs, gaps.between_of(name))
        baseline = state.baselines.get(name)
        return MetricFigures(
            trigger=self.trigger,
            probe=state.runbook.probe(name),
            readings=self.readings,
            above=len(self._above),
            peak=self._peak,
            mean=exact_mean(self._above) if self._above else None,
            worst_overall=self._worst,
            first_above_at=None if self._first_above is None else _moment(self._first_above),
            last_above_at=None if self._last_above is None else _moment(self._last_above),
            time_above=above.exact,
            time_above_printed=above.printed,
            last_value=self._last,
            baseline=baseline.value if baseline else None,
            covered=gaps.covered(name),
            left_out=above.cut,
            above_at_end=self._run_start is not None,
            runs=len(runs),
            below_after=self._runs[-1][1] if self._runs and self._run_start is None else None,
        )


class Tallies:
    """A tally for each metric trigger (the error rate, in the bundled runbook)."""

    def __init__(self, runbook: Runbook) -> None:
        self.ordered: list[MetricTally] = []
        """In the runbook's order of triggers."""
        self.by_probe: dict[str, list[MetricTally]] = {}
        for trigger in runbook.triggers:
            if trigger.kind != TriggerKind.METRIC or trigger.probe is None:
                continue
            if trigger.op is None or trigger.threshold is None:
                continue
            tally = MetricTally(trigger, trigger.op, trigger.threshold)
            self.ordered.append(tally)
            self.by_probe.setdefault(trigger.probe, []).append(tally)

    def add_event(self, event: Event) -> None:
        """Count a decoded `probe.samples` event's readings; any other event has none."""
        if not isinstance(event.data, ProbeSamples):
            return
        for sample in event.data.samples:
            found = self.by_probe.get(sample.probe)
            if found and sample.ok and sample.value is not None:
                for tally in found:
                    tally.add(sample.at, sample.value)

    def figures(self, state: IncidentState, gaps: ReadingGaps | None = None) -> list[MetricFigures]:
        return [tally.figures(state, gaps) for tally in self.ordered]


def metric_figures(state: IncidentState, events: Iterable[Event]) -> list[MetricFigures]:
    """Figures for each metric trigger, from decoded events, the probes' gaps left out."""
    tallies = Tallies(state.runbook)
    gaps = GapTally(state.runbook)
    for event in events:
        tallies.add_event(event)
        if isinstance(event.data, ProbeSamples):
            gaps.add_tick(event.seq, event.at, (sample.probe for sample in event.data.samples))
    return tallies.figures(state, gaps.result())
