"""Incidents whose probes were polled on a schedule, gaps and all, written to a real store.

The bundled runbook's probes: `health` and `version` every 5 s, `error-rate` every
15 s, each tick holding the probes due then, as a poller records them. A schedule
is the ticks' offsets from T+0; what is left out of it is a stretch nobody polled.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta

from incident import commands
from incident.app.session import IncidentSession
from incident.core.clock import ManualClock
from incident.core.log import EventLog
from incident.core.samples import Outcome, Sample
from tui.demo.scenarios import ACTOR, DECLARATION, SCENARIO_T0, bundled_runbook

GAP_ID = "INC-20261128-GAPS"
T0 = SCENARIO_T0


def every(step: int, start: int, stop: int) -> list[int]:
    """Offsets from `start` to `stop` (inclusive), `step` seconds apart."""
    return list(range(start, stop + 1, step))


def low(offset: int) -> float:
    """The error rate well under the bundled trigger's 5%."""
    return 0.004


def _samples(
    at: datetime, offset: int, rate_at: frozenset[int], others: bool, rate: Callable[[int], float]
) -> list[Sample]:
    found = []
    if others:
        found += [
            Sample("health", at, Outcome.OK, 11.0, 200, text="ok"),
            Sample("version", at, Outcome.OK, 6.0, 200, text="2.4.0"),
        ]
    if offset in rate_at:
        found.append(Sample("error-rate", at, Outcome.OK, 30.0, 200, value=rate(offset)))
    return found


def polled_record(
    log: EventLog,
    others: Iterable[int],
    rate: Iterable[int],
    *,
    close_at: int | None = None,
    rate_value: Callable[[int], float] = low,
) -> IncidentSession:
    """Declare at T+0, record a tick at each offset of `others` (health and version) or
    `rate` (error-rate, reading `rate_value(offset)`), and close (forced) at `close_at`
    if given."""
    clock = ManualClock(T0)
    declaration = commands.declare(
        bundled_runbook(), DECLARATION, actor=ACTOR, clock=clock, incident_id=GAP_ID
    )
    session = IncidentSession.declare(log, declaration, clock)
    polled, rate_at = frozenset(others), frozenset(rate)
    for offset in sorted(polled | rate_at):
        clock.set(T0 + timedelta(seconds=offset))
        batch = _samples(clock.now(), offset, rate_at, offset in polled, rate_value)
        session.run_many(
            lambda s, b=batch: commands.record_samples(s, b, actor="probes", clock=clock)
        )
    if close_at is not None:
        clock.set(T0 + timedelta(seconds=close_at))
        session.run(
            lambda s: commands.close(s, actor=ACTOR, clock=clock, force=True, reason="test")
        )
    return session


def at(seconds: int) -> datetime:
    return T0 + timedelta(seconds=seconds)


def regular(stop: int) -> tuple[Sequence[int], Sequence[int]]:
    """A poller that never stopped: health and version every 5 s, error-rate every 15."""
    return every(5, 5, stop), every(15, 15, stop)
