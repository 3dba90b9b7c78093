"""The record as the documents read it: every event but the probe ticks, and the ticks counted.

A long incident is mostly probe ticks, which no document lists: the report and the
JSON export count them, place them in phases and take the error rate from them.
So the record is read once, as it streams from the store (`read_record`), into the
events the documents show, the state, and the figures the ticks add up to; a
tick's samples are never decoded for it. `ReportRecord.of` builds the same from
events already in memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from msgspec import Struct

from incident.core.chain import ChainReport, ChainWalk, verify_chain
from incident.core.events import Event
from incident.core.folding import Fold, Summarised
from incident.core.payloads import ProbeSamples
from incident.core.state import IncidentState
from incident.core.tick_runs import TickRun
from incident.core.ticks import AT, OUTCOME, PROBE, VALUE, ProbeTick, SampledTick, reading
from incident.health.reading_gaps import GapTally, ReadingGaps
from incident.reports.failures import FailureFigures, FailureTallies
from incident.reports.metrics import MetricFigures, Tallies

TickCount = tuple[int, datetime | str, int]
"""(seq, at, samples) of one probe tick; `at` may be its stored text (see `tick_time`)."""


def tick_time(at: datetime | str) -> datetime:
    """A tick's time from `TickCount`: parsed only when a document shows it."""
    return at if isinstance(at, datetime) else datetime.fromisoformat(at)


class ReportRecord(Struct, frozen=True):
    state: IncidentState
    entries: list[Event]
    """Every event but the probe ticks, in order, the declaration first."""
    event_count: int
    head_hash: str
    ticks: list[TickCount]
    """Every probe tick, in order: what the timeline places in phases."""
    samples: int
    """Probe readings, in all ticks."""
    metrics: list[MetricFigures]
    damage: ChainReport | None = None
    """Where the record is not what was recorded, if the read found that."""
    gaps: ReadingGaps = ReadingGaps()
    """Where the probes went unrecorded (`ReadingGaps.until` the end adds the last)."""
    for_org: bool = False
    """Read for readers outside the team (`incident.reports.for_org`): text left out,
    so the head hash, which covers it, is not quoted."""
    failures: list[FailureFigures] = []
    """Each failed-checks trigger's probe: how many of its checks failed, and when."""

    @property
    def polls(self) -> int:
        return len(self.ticks)

    @classmethod
    def of(cls, state: IncidentState, events: Sequence[Event]) -> ReportRecord:
        """From decoded events, with the state the caller folded from them."""
        tallies = Tallies(state.runbook)
        failing = FailureTallies(state.runbook)
        gaps = GapTally(state.runbook)
        entries: list[Event] = []
        ticks: list[TickCount] = []
        samples = 0
        for event in events:
            if isinstance(event.data, ProbeSamples):
                ticks.append((event.seq, event.at, len(event.data.samples)))
                samples += len(event.data.samples)
                tallies.add_event(event)
                failing.add_event(event)
                gaps.add_tick(event.seq, event.at, (s.probe for s in event.data.samples))
            else:
                entries.append(event)
        head = events[-1].hash if events else ""
        report = verify_chain(state.id, events)
        damage = None if report.ok or not events else report
        found = gaps.result()
        figures = tallies.figures(state, found)
        failures = failing.figures()
        return cls(
            state,
            entries,
            len(events),
            head,
            ticks,
            samples,
            figures,
            damage,
            found,
            failures=failures,
        )


def read_record(items: Iterable[Summarised], walk: ChainWalk | None = None) -> ReportRecord:
    """Read a record as it streams, starting with its declaration; ticks are only counted
    (a `TickRun` of them at once: the probes' readings taken from its summaries joined).

    `walk` is the one the store verified `items` into as it read them, if it did: its
    failure, once they are all read, is the record's `damage`.
    """
    iterator = iter(items)
    first = next(iterator, None)
    if first is None:
        raise ValueError("no events to fold")
    if not isinstance(first, Event):
        raise ValueError(f"incident {first.incident_id} does not start with a declaration")
    fold = Fold(first)
    tallies = Tallies(fold.runbook)
    by_probe = tallies.by_probe
    failing = FailureTallies(fold.runbook)
    checked = failing.by_probe
    gaps = GapTally(fold.runbook)
    entries: list[Event] = [first]
    ticks: list[TickCount] = []
    samples = 0
    count = 1
    last: Summarised = first
    add_tick = fold.add_tick
    for item in iterator:
        count += 1
        last = item
        if type(item) is ProbeTick or type(item) is SampledTick:  # nine items in ten: kept short
            add_tick(item)
            read = item.samples
            ticks.append((item.seq, item.at_text, len(read)))
            samples += len(read)
            gaps.add_stored(item.seq, item.at_text, (sample[PROBE] for sample in read))
            for sample in read:
                found = by_probe.get(sample[PROBE])
                if found is not None and sample[OUTCOME] == "ok" and sample[VALUE] is not None:
                    for tally in found:
                        tally.add(sample[AT], reading(sample[VALUE]))
                for check in checked.get(sample[PROBE], ()):
                    check.add(sample[AT], sample[OUTCOME] != "ok")
            continue
        if type(item) is TickRun:  # a page of ticks, read as columns, and the events among them
            fold.add_run(item)
            gaps.add_run(item)
            entries += item.between
            count += len(item) + len(item.between) - 1
            ticks.extend(zip(item.seqs, item.ats, item.counts, strict=True))
            samples += item.samples
            for probe, found in by_probe.items():
                stored = item.readings_of(probe)
                for tally in found:
                    tally.add_stored(stored)
            for probe, checks in checked.items():
                stored = item.checks_of(probe)
                for check in checks:
                    check.add_stored(stored)
            continue
        assert isinstance(item, Event)
        fold.add(item)
        if isinstance(item.data, ProbeSamples):
            ticks.append((item.seq, item.at, len(item.data.samples)))
            samples += len(item.data.samples)
            tallies.add_event(item)
            failing.add_event(item)
            gaps.add_tick(item.seq, item.at, (s.probe for s in item.data.samples))
        else:
            entries.append(item)
    state = fold.settled()
    damage = walk.report() if walk is not None and walk.failure is not None else None
    unpolled = gaps.result()
    figures = tallies.figures(state, unpolled)
    failures = failing.figures()
    return ReportRecord(
        state,
        entries,
        count,
        last.hash,
        ticks,
        samples,
        figures,
        damage,
        unpolled,
        failures=failures,
    )
