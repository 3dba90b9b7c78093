"""A recorded incident where probe samples are most of the record, in every shape.

`sampled_record(db)` writes it to a real SQLite file: the bundled runbook's rollback,
with probe ticks every 2.5 s from declaration to close (about 1,100 of them), so the
report's figures and the JSON export rest mostly on samples. The samples take every
form a probe can record: failed polls with and without a status, integer and float
readings (`0`, `1e-05`, `1e+16`), no latency, a latency given as an integer, text with
quotes, backslashes, newlines, DEL and C1 controls, a probe the runbook does not
know, a sample timed apart from its tick, and a tick with no samples at all.

The runbook's `source` is fixed, so hashes do not depend on where the checkout is,
and the clock is frozen, so two builds write the same bytes.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import msgspec.structs

from incident import commands
from incident.app.session import IncidentSession
from incident.core.clock import ManualClock
from incident.core.events import Event, NewEvent
from incident.core.payloads import ProbeSamples
from incident.core.samples import Outcome, Sample
from incident.core.state import IncidentState
from store.sqlite_log import SqliteEventLog
from tui.demo.scenarios import ACTOR, DECLARATION, SCENARIO_T0, bundled_runbook

SAMPLED_ID = "INC-20261128-SAMPLED"
TICK_S = 2.5

Command = Callable[[IncidentState], NewEvent]


@dataclass(frozen=True)
class SampledRecord:
    db: Path
    incident_id: str
    events: list[Event]
    state: IncidentState
    now: datetime
    """A fixed moment after close, for the documents' `now`."""


def _samples(tick: int, now: datetime, rolled_back: bool, rng: random.Random) -> list[Sample]:
    noise = rng.random()
    latency: float | None = round(12.0 + 6.0 * noise, 3)
    if tick % 17 == 0:
        latency = None
    elif tick % 19 == 0:
        latency = 12  # an integer latency stays an integer
    if tick % 37 == 0:
        health = Sample("health", now, Outcome.TIMEOUT, latency, detail="timed out after 2 s")
    elif tick % 53 == 0:
        detail = 'HTTP 503 "Service Unavailable" from C:\\gateway\nretry later'
        health = Sample("health", now, Outcome.HTTP_STATUS, latency, 503, detail=detail)
    else:
        health = Sample("health", now, Outcome.OK, latency, 200, text="ok")
    version_text = "2.4.0" if rolled_back else "2.4.1"
    if tick % 43 == 0:
        version_text += " \x7f\x9b31m été 🚀"  # DEL and C1 stay raw in the payload
    version = Sample("version", now - timedelta(milliseconds=250), Outcome.OK, 6.5, 200)
    version = msgspec.structs.replace(version, text=version_text)
    if rolled_back:
        value: float = 0.004 + 0.001 * noise
    else:
        value = 0.12 + 0.02 * noise
    if tick % 41 == 0:
        value = 0 if rolled_back else 1  # integer readings
    elif tick % 59 == 0:
        value = 1e-05
    if tick % 29 == 0:
        rate = Sample("error-rate", now, Outcome.NO_DATA, 30.0, 200, detail="empty vector")
    elif tick % 47 == 0:
        rate = Sample("error-rate", now, Outcome.BAD_JSON, 31.0, 200, detail="not JSON")
    else:
        rate = Sample("error-rate", now, Outcome.OK, 30.0 + noise, 200, value=value)
    batch = [health, version, rate]
    if tick % 7 == 0:
        batch.append(Sample("queue-depth", now, Outcome.OK, 3.0, 200, value=1e16 + tick))
    return batch


def sampled_record(db: Path) -> SampledRecord:
    """Write the incident to `db` (a new file) and read it back."""
    clock = ManualClock(SCENARIO_T0)
    runbook = msgspec.structs.replace(bundled_runbook(), source="rollback.yaml")
    log = SqliteEventLog.open(db)
    try:
        declaration = commands.declare(
            runbook, DECLARATION, actor=ACTOR, clock=clock, incident_id=SAMPLED_ID
        )
        session = IncidentSession.declare(log, declaration, clock)
        rng = random.Random(1128)
        rolled_back = False
        tick = 0

        def advance(seconds: float) -> None:
            nonlocal tick
            target = clock.now() + timedelta(seconds=seconds)
            while clock.now() + timedelta(seconds=TICK_S) <= target:
                clock.advance(TICK_S)
                tick += 1
                if tick == 250:
                    empty = NewEvent(
                        SAMPLED_ID, "probes", clock.now(), clock.monotonic_ns(), ProbeSamples(())
                    )
                    session.run_many(lambda s, e=empty: [e])
                    continue
                batch = _samples(tick, clock.now(), rolled_back, rng)
                session.run_many(
                    lambda s, b=batch: commands.record_samples(s, b, actor="probes", clock=clock)
                )
            clock.set(target)

        def run(after_s: float, command: Command) -> None:
            advance(after_s)
            session.run(command)

        def check(after_s: float, step: str, note: str = "", seen: str = "") -> None:
            run(
                after_s,
                lambda s: commands.check_step(
                    s, step, actor=ACTOR, clock=clock, note=note, evidence=seen
                ),
            )

        check(40, "assess-severity", "5xx at 12%, over the 5% trigger")
        check(20, "create-channel", "#inc-checkout")
        check(20, "assign-commander", "Ada Lovelace")
        run(
            30,
            lambda s: commands.approve(
                s,
                "decide-rollback",
                by="Ada Lovelace",
                reason="error rate",
                actor=ACTOR,
                clock=clock,
            ),
        )
        check(20, "decide-rollback", "initiate rollback")
        run(
            25,
            lambda s: commands.send_communication(s, actor=ACTOR, clock=clock, template="announce"),
        )
        check(1, "announce-rollback")
        for n in range(1, 13):
            run(
                20,
                lambda s, n=n: commands.add_note(
                    s, f'observation {n}: "quoted" \\ ✓', actor=ACTOR, clock=clock, pinned=n == 3
                ),
            )
        check(5, "assemble-team")
        check(240, "app-rollback-blue-green", "load balancer back on blue (2.4.0)")
        rolled_back = True
        run(
            20,
            lambda s: commands.choose_database_tier(
                s, "none", reason="no schema change", actor=ACTOR, clock=clock
            ),
        )
        run(
            10,
            lambda s: commands.send_communication(
                s, actor=ACTOR, clock=clock, template="initiating"
            ),
        )
        check(1, "notify-stakeholders")
        check(20, "database-rollback", "no schema change to undo")
        check(180, "confirm-version", "version 2.4.0 on every instance")
        check(120, "check-health", seen="error rate 0.4%, back to baseline")
        check(240, "smoke-test", seen="login and checkout OK")
        run(
            300,
            lambda s: commands.send_communication(s, actor=ACTOR, clock=clock, template="resolved"),
        )
        for step in (
            "communicate-resolution",
            "document-incident",
            "preliminary-rca",
            "schedule-post-mortem",
        ):
            check(120, step)
        run(60, lambda s: commands.close(s, actor=ACTOR, clock=clock))
        events = log.events(SAMPLED_ID)
        return SampledRecord(
            db, SAMPLED_ID, events, session.state, clock.now() + timedelta(hours=2)
        )
    finally:
        log.close()
