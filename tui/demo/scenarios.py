"""Known moments of a rollback, recorded through the real domain into a real file.

Snapshot tests, the screenshot script and the start-up benchmark all open the app
on these, so what they show is what a coordinator would see at that moment, with
the clock frozen.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from msgspec.structs import replace

from incident import commands
from incident.app import closeout
from incident.app.database_tiers import choose_tier
from incident.app.lifecycle import declaration_events
from incident.app.session import IncidentSession
from incident.commands import Declaration
from incident.core.clock import ManualClock
from incident.core.events import NewEvent
from incident.core.samples import Outcome, Sample
from incident.core.state import IncidentState, StepStatus
from runbooks import load_runbook, resolve_runbook
from runbooks.model import Runbook
from store.sqlite_log import SqliteEventLog

SCENARIO_T0 = datetime(2026, 11, 28, 9, 0, 0, tzinfo=UTC)
SCENARIO_ID = "INC-20261128-DEMO"
ACTOR = "ada"

DECLARATION = Declaration(
    title="Checkout errors after 2.4.1",
    severity="SEV2",
    commander="Ada Lovelace",
    issue="checkout failing for 12% of requests after release 2.4.1",
    eta_min=30,
    pattern="blue-green",
    channel="#inc-checkout",
    from_version="2.4.1",
    last_good_version="2.4.0",
)


SAMPLE_EVERY_S = 5.0
"""How often the scenario's probes are polled while its clock moves."""


@dataclass
class Scenario:
    """A recorded incident and its frozen clock; probes sample as the clock moves."""

    log: SqliteEventLog
    clock: ManualClock
    runbook: Runbook
    incident_id: str
    rolled_back_at: datetime | None = None
    next_sample_at: datetime | None = None
    rng: random.Random = field(default_factory=lambda: random.Random(241))
    _session: IncidentSession | None = field(default=None, init=False, repr=False)

    @property
    def session(self) -> IncidentSession:
        """One session for the whole scenario: it folds each append in, where opening
        a fresh one per command re-read the record each time (quadratic in its length)."""
        if self._session is None:
            self._session = IncidentSession(self.log, self.incident_id, self.clock)
        return self._session

    def run(self, command: Callable[[IncidentState], NewEvent]) -> None:
        self.session.run(command)

    def advance(self, seconds: float) -> None:
        """Move the clock, recording a tick of probe samples every 5 s on the way."""
        target = self.clock.now() + timedelta(seconds=seconds)
        if self.next_sample_at is None:
            self.next_sample_at = SCENARIO_T0 + timedelta(seconds=SAMPLE_EVERY_S)
        while self.next_sample_at <= target:
            self.clock.set(self.next_sample_at)
            self._sample()
            self.next_sample_at += timedelta(seconds=SAMPLE_EVERY_S)
        self.clock.set(target)

    def advance_to(self, offset: timedelta) -> None:
        self.advance((SCENARIO_T0 + offset - self.clock.now()).total_seconds())

    def _sample(self) -> None:
        """The shop as the probes see it: 12% errors on 2.4.1, settling after rollback."""
        now = self.clock.now()
        noise = self.rng.random()
        if self.rolled_back_at is None:
            version, error_rate = "2.4.1", 0.12 + 0.02 * noise
        else:
            settled = min((now - self.rolled_back_at).total_seconds() / 60.0, 1.0)
            version = "2.4.0"
            error_rate = 0.12 * (1 - settled) + 0.004 * settled + 0.001 * noise
        latency = 12.0 + 6.0 * noise
        batch = [
            Sample("health", now, Outcome.OK, latency, 200, text="ok"),
            Sample("version", now, Outcome.OK, latency / 2, 200, text=version),
            Sample("error-rate", now, Outcome.OK, 30.0 + noise, 200, value=error_rate),
        ]
        clock = self.clock
        self.session.run_many(
            lambda s: commands.record_samples(s, batch, actor="probes", clock=clock)
        )


def bundled_runbook() -> Runbook:
    return load_runbook(resolve_runbook("rollback"))


def declared(
    db: Path, *, at: timedelta = timedelta(seconds=42), details: Declaration = DECLARATION
) -> Scenario:
    """Just declared: nothing done yet, T+ ticking. `details` with `drill` set makes it
    a drill (the same moments, scored)."""
    clock = ManualClock(SCENARIO_T0)
    runbook = bundled_runbook()
    log = SqliteEventLog.open(db)
    log.append(
        declaration_events(runbook, details, actor=ACTOR, clock=clock, incident_id=SCENARIO_ID)
    )
    scenario = Scenario(log, clock, runbook, SCENARIO_ID)
    scenario.advance(at.total_seconds())
    return scenario


def _check(
    scenario: Scenario, step: str, note: str = "", *, after: float = 20, seen: str = ""
) -> None:
    """Check `step` after `after` seconds; `seen` is its evidence typed by hand (what a
    verification step no probe backs, the smoke test, needs)."""
    scenario.advance(after)
    clock = scenario.clock
    scenario.run(
        lambda s: commands.check_step(s, step, actor=ACTOR, clock=clock, note=note, evidence=seen)
    )


def mid_phase_two(db: Path, details: Declaration = DECLARATION) -> Scenario:
    """T+12: phase 1 overdue (stakeholders not yet notified); phase 2's steps done (rolled
    back, and database tier `none` chosen, which checks the database step as every face
    records it), verification not begun."""
    scenario = declared(db, at=timedelta(0), details=details)
    clock = scenario.clock
    _check(scenario, "assess-severity", "5xx at 12%, over the 5% trigger", after=40)
    # Done by the declaration when it named them (the commander always): the clock
    # moves on as when they were checked here, so the later moments stay where they were.
    for step, note in (("create-channel", "#inc-checkout"), ("assign-commander", "Ada Lovelace")):
        if scenario.session.state.status_of(step) is StepStatus.OPEN:
            _check(scenario, step, note)
        else:
            scenario.advance(20)
    scenario.advance(30)
    scenario.run(
        lambda s: commands.approve(
            s,
            "decide-rollback",
            by="Ada Lovelace",
            reason="error-rate trigger met",
            actor=ACTOR,
            clock=clock,
        )
    )
    _check(scenario, "decide-rollback", "initiate rollback")
    scenario.advance(25)
    scenario.run(
        lambda s: commands.send_communication(s, actor=ACTOR, clock=clock, template="announce")
    )
    _check(scenario, "announce-rollback", after=1)
    scenario.advance(60)
    scenario.run(
        lambda s: commands.record_page(s, "deployment team and on-call", actor=ACTOR, clock=clock)
    )
    _check(scenario, "assemble-team", after=5)
    _check(scenario, "app-rollback-blue-green", "load balancer back on blue (2.4.0)", after=240)
    scenario.rolled_back_at = clock.now()
    scenario.advance(20)
    # As `lastgood db-tier none` and the TUI record it today: the tier, and the database
    # step it settles (nothing to carry out). The scenario once left the step open.
    choose_tier(
        scenario.session, ACTOR, "none", reason="expand-contract: 2.4.0 reads the new schema"
    )
    scenario.advance_to(timedelta(minutes=12, seconds=5))
    return scenario


def resolved(db: Path, details: Declaration = DECLARATION) -> Scenario:
    """T+36: rolled back, verified, the resolution sent; the rest of close-out to do."""
    scenario = mid_phase_two(db, details)
    clock = scenario.clock
    scenario.advance(10)
    scenario.run(
        lambda s: commands.send_communication(s, actor=ACTOR, clock=clock, template="initiating")
    )
    _check(scenario, "notify-stakeholders", after=1)
    _check(scenario, "confirm-version", "version 2.4.0 on every instance", after=200)
    _check(scenario, "check-health", seen="error rate 0.4%, back to baseline", after=120)
    _check(scenario, "smoke-test", seen="login and checkout OK", after=240)
    scenario.advance(300)
    scenario.run(
        lambda s: commands.send_communication(s, actor=ACTOR, clock=clock, template="resolved")
    )
    _check(scenario, "communicate-resolution", after=120)
    return scenario


def close_out(db: Path) -> Scenario:
    """Resolved, with the root cause (which checked its step), an action item and a
    lesson recorded: what the post-mortem screen shows mid-way."""
    scenario = resolved(db)
    clock = scenario.clock
    scenario.advance(90)
    cause = "2.4.1 retried payment-gateway 502s without backoff, tripling the load."
    scenario.session.run_many(
        lambda s: [
            commands.note_rca(s, cause, actor=ACTOR, clock=clock),
            *closeout.artefact_checks(s, closeout.Artefact.RCA, cause, actor=ACTOR, clock=clock),
        ]
    )
    scenario.advance(60)
    scenario.run(
        lambda s: commands.add_action_item(
            s,
            "Add backoff and a retry budget to the gateway client",
            actor=ACTOR,
            clock=clock,
            owner="Bo",
            due=date(2026, 12, 4),
        )
    )
    scenario.run(
        lambda s: commands.note_lesson(
            s,
            "The error-rate trigger fired within 15 s",
            actor=ACTOR,
            clock=clock,
            category="went-well",
        )
    )
    return scenario


def closing(db: Path, details: Declaration = DECLARATION) -> Scenario:
    """T+37: every required step done, the incident not yet closed."""
    scenario = resolved(db, details)
    for step in (
        "document-incident",
        "preliminary-rca",
        "schedule-post-mortem",
    ):
        _check(scenario, step, after=120)
    return scenario


def closed(db: Path) -> Scenario:
    """T+38: every required step done, incident closed."""
    scenario = closing(db)
    clock = scenario.clock
    scenario.advance(60)
    scenario.run(lambda s: commands.close(s, actor=ACTOR, clock=clock))
    return scenario


def drill_closing(db: Path) -> Scenario:
    """A drill of an irreversible migration at T+37, every required step done, to close."""
    return closing(db, replace(DECLARATION, drill="irreversible-migration"))


SCENARIOS: dict[str, Callable[[Path], Scenario]] = {
    "declared": declared,
    "mid-phase-2": mid_phase_two,
    "closed": closed,
    "resolved": resolved,
    "close-out": close_out,
    "drill-closing": drill_closing,
}
