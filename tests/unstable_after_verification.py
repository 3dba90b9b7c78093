"""An incident verified, then down again before the resolution went out (ux_review11 #1).

The bundled runbook on the demo's recorded "mid-phase-2" moment: phase 1's message
sent, the three verification steps checked, then three ticks where every probe's
connection is refused, so `health-failing` is met after "Service verified" and the
`resolved` message is due. Written through the real domain on a real SQLite file.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from incident import commands
from incident.core.samples import Outcome, Sample
from tests.scenario_copies import scenario_copy
from tui.demo.scenarios import Scenario

ACTOR = "ada"
PROBES = ("health", "version", "error-rate")


def _check(scenario: Scenario, step: str, *, evidence: str = "", after: float = 20) -> None:
    scenario.advance(after)
    clock = scenario.clock
    scenario.run(
        lambda s: commands.check_step(s, step, actor=ACTOR, clock=clock, evidence=evidence)
    )


def verified_then_down(db: Path) -> Scenario:
    """Verified at about T+21, every probe refused from then on: health-failing met."""
    scenario = verified(db)
    down(scenario)
    return scenario


def verified(db: Path) -> Scenario:
    """The demo's mid-phase-2 moment, phase 1's message sent, verified at about T+21."""
    scenario = scenario_copy("mid-phase-2", db)
    clock = scenario.clock
    scenario.advance(10)
    scenario.run(
        lambda s: commands.send_communication(s, actor=ACTOR, clock=clock, template="initiating")
    )
    _check(scenario, "notify-stakeholders", after=1)
    _check(scenario, "confirm-version", after=200)
    _check(scenario, "check-health", evidence="error rate 0.4%, back to baseline", after=120)
    _check(scenario, "smoke-test", evidence="login and checkout OK", after=240)
    return scenario


def down(scenario: Scenario) -> None:
    """Three ticks where every probe's connection is refused: health-failing met."""
    clock = scenario.clock
    for _ in range(3):  # the clock moved by hand: no healthy tick comes in between
        clock.set(clock.now() + timedelta(seconds=5))
        now = clock.now()
        refused = [Sample(name, now, Outcome.REFUSED) for name in PROBES]
        scenario.session.run_many(
            lambda s, batch=refused: commands.record_samples(s, batch, actor="probes", clock=clock)
        )
