"""`{service_now}` says a health check in stakeholder words (closing42): the demo's
health probe reads its own check time, and the update said "health 43 ms (threshold
500 ms)" to a VP. An HTTP probe that reads only its status, or a time, says how the
service responds; one that reads another number (an error rate) keeps its figures.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from incident import commands
from incident.app.session import IncidentSession
from incident.app.stakeholder_brief import stakeholder_words
from incident.core.clock import ManualClock
from incident.core.samples import Outcome, Sample
from tests.conftest import T0
from tests.drill_walk import ACTOR, DRILL
from tests.memory_log import MemoryLog
from tui.demo.launch import write_demo_runbook


def _demo_session(tmp_path: Path, clock: ManualClock) -> IncidentSession:
    """The demo's runbook: health reads `check_ms` (threshold 500 ms), the error rate is
    an HTTP probe too (a JSON field, a ratio)."""
    runbook = write_demo_runbook("http://127.0.0.1:9", tmp_path)
    event = commands.declare(runbook, DRILL, actor=ACTOR, clock=clock, incident_id="INC-D-2")
    return IncidentSession.declare(MemoryLog(), event, clock)


Reading = Callable[[datetime], Sample]


def _update(session: IncidentSession, clock: ManualClock, health: Reading, rate: Reading) -> str:
    """The update written just after a tick of `health` and `rate` (and 2.4.0 running)."""
    clock.advance(5)
    at = clock.now()
    batch = [health(at), rate(at), Sample("version", at, Outcome.OK, 4.0, 200, text="2.4.0")]
    session.run_many(lambda s: commands.record_samples(s, batch, actor="probes", clock=clock))
    return commands.compose_message(session.state, "update", clock.now())


def refused(name: str) -> Reading:
    return lambda at: Sample(name, at, Outcome.REFUSED, 1.0, detail="connection refused")


def _low_rate(at: datetime) -> Sample:
    return Sample("error-rate", at, Outcome.OK, 4.0, 200, value=0.004)


def test_the_update_says_how_the_service_responds_not_the_health_checks_figures(tmp_path):
    clock = ManualClock(T0)
    session = _demo_session(tmp_path, clock)
    healths: list[Reading] = [
        lambda at: Sample("health", at, Outcome.OK, 45.0, 200, value=43.0),
        lambda at: Sample("health", at, Outcome.OK, 845.0, 200, value=843.0),
        lambda at: Sample("health", at, Outcome.TIMEOUT, 1000.0, detail="timed out"),
        refused("health"),
        lambda at: Sample("health", at, Outcome.HTTP_STATUS, 3.0, 503, detail="HTTP 503"),
    ]
    said = [_update(session, clock, health, _low_rate) for health in healths]
    productions = [text.split("Production: ", 1)[1].split(". ", 1)[0] for text in said]
    assert productions == [
        "health responding normally, error rate 0.4% (threshold 5.0%), 2.4.0 running",
        "health responding slowly, error rate 0.4% (threshold 5.0%), 2.4.0 running",
        "health not responding, error rate 0.4% (threshold 5.0%), 2.4.0 running",
        "health not responding, error rate 0.4% (threshold 5.0%), 2.4.0 running",
        "health responding with errors, error rate 0.4% (threshold 5.0%), 2.4.0 running",
    ]
    assert not any(" ms" in text for text in said), said
    # the error rate, a number read over HTTP, is a measure: not measured when its poll fails
    text = _update(session, clock, refused("health"), refused("error-rate"))
    assert "Production: health not responding, error rate not measured, 2.4.0 running." in text
    # the stakeholder brief (`brief --for stakeholders`) says production in the same words
    words = stakeholder_words(session.state, clock.now(), None)
    assert "Production now: health not responding, error rate not measured, 2.4.0 running." in words
