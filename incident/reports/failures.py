"""Each failed-checks trigger's probe over the whole incident: how long its checks failed.

A runbook without Prometheus (`lastgood init --no-prometheus`) has one probe trigger,
the health check failing N times in a row, and no metric: the report's Impact said "no
readings were recorded" for an incident whose every failing check was (ux_review16 #4).
As for a metric (`incident.reports.metrics`), the figures come from every recorded
sample, gathered as the record is read: a tick's summary keeps a failed sample's time
(`incident.core.ticks.summary_text`), so no tick is decoded for them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from msgspec import Struct

from incident.core.events import Event
from incident.core.payloads import ProbeSamples
from runbooks.model import Runbook, Trigger, TriggerKind

Moment = datetime | str
"""A check's time: a datetime, or its stored text (read only when needed)."""


class FailureFigures(Struct, frozen=True):
    """One failed-checks trigger's probe over the whole incident."""

    trigger: Trigger
    checks: int
    """Samples of the probe recorded."""
    failed: int
    """Of those, the ones that failed (any outcome but OK)."""
    first_failed_at: datetime | None
    last_failed_at: datetime | None
    passed_between: int
    """Checks that passed between the first failing one and the last."""


def _moment(at: Moment | None) -> datetime | None:
    return at if at is None or isinstance(at, datetime) else datetime.fromisoformat(at)


class FailureTally:
    """One failed-checks trigger's figures so far, from its probe's samples in order."""

    def __init__(self, trigger: Trigger) -> None:
        self.trigger = trigger
        self.checks = 0
        self.failed = 0
        self._first: Moment | None = None
        self._last: Moment | None = None
        self._passed_between = 0
        self._passed_since = 0
        """Checks passed since the last failing one (after the first)."""

    def add(self, at: Moment, failed: bool) -> None:
        self.checks += 1
        if not failed:
            if self._first is not None:
                self._passed_since += 1
            return
        self.failed += 1
        if self._first is None:
            self._first = at
        self._passed_between += self._passed_since
        self._passed_since = 0
        self._last = at

    def add_stored(self, checks: Sequence[tuple[str, str]]) -> None:
        """`add` for each (time, value) of `TickRun.checks_of`: a failed one has a time
        and no value. A long incident's checks mostly pass: counted at once."""
        failing = [index for index, (at, value) in enumerate(checks) if at and not value]
        if not failing:
            self.checks += len(checks)
            if self._first is not None:
                self._passed_since += len(checks)
            return
        done = 0
        for index in failing:
            passed = index - done
            self.checks += passed
            if self._first is not None:
                self._passed_since += passed
            self.add(checks[index][0], True)
            done = index + 1
        self.add_stored(checks[done:])

    def figures(self) -> FailureFigures:
        return FailureFigures(
            trigger=self.trigger,
            checks=self.checks,
            failed=self.failed,
            first_failed_at=_moment(self._first),
            last_failed_at=_moment(self._last),
            passed_between=self._passed_between,
        )


class FailureTallies:
    """A tally for each failed-checks trigger (the health check, in the bundled runbook)."""

    def __init__(self, runbook: Runbook) -> None:
        self.ordered: list[FailureTally] = []
        self.by_probe: dict[str, list[FailureTally]] = {}
        for trigger in runbook.triggers:
            if trigger.kind != TriggerKind.CONSECUTIVE_FAILURES or trigger.probe is None:
                continue
            tally = FailureTally(trigger)
            self.ordered.append(tally)
            self.by_probe.setdefault(trigger.probe, []).append(tally)

    def add_event(self, event: Event) -> None:
        """Count a decoded `probe.samples` event's checks; any other event has none."""
        if not isinstance(event.data, ProbeSamples):
            return
        for sample in event.data.samples:
            for tally in self.by_probe.get(sample.probe, ()):
                tally.add(sample.at, not sample.ok)

    def figures(self) -> list[FailureFigures]:
        return [tally.figures() for tally in self.ordered]
