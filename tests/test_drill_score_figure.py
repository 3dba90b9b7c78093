"""The score card judges a drill's verification on the figure its fault moves.

A fresh user's review (review 3, finding 26): in the slow-release drill the card said
Check health was "on evidence" from an error rate that sat at baseline the whole time;
the one figure the fault moved, the health check's latency, was no part of it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from msgspec.structs import replace

from incident import commands
from incident.app.drill import closed_score
from incident.app.session import IncidentSession
from incident.core.clock import ManualClock
from incident.core.errors import CommandError
from incident.reports.drill_score import ScoreLine, Verdict
from tests.drill_walk import ACTOR, DRILL, at, check, drill_session, samples, walk
from tests.memory_log import MemoryLog
from tui.demo.launch import write_demo_runbook

SLOW = replace(DRILL, drill="slow-release")


def evidence(session: IncidentSession, clock: ManualClock) -> ScoreLine:
    card = closed_score(session.state, clock.now())
    return next(line for line in card.lines if line.name == "Evidence on verification steps")


def drill_on_its_runbook(clock: ManualClock, tmp_path: Path) -> IncidentSession:
    """A slow-release drill on the runbook `lastgood drill` writes for its shop."""
    runbook = write_demo_runbook("http://127.0.0.1:9", tmp_path)
    event = commands.declare(runbook, SLOW, actor=ACTOR, clock=clock, incident_id="INC-D-2")
    return IncidentSession.declare(MemoryLog(), event, clock)


def test_an_error_rate_the_fault_never_moved_is_no_evidence_it_is_gone(
    clock: ManualClock,
) -> None:
    """On a runbook whose triggers never read the health check's time, the card says
    Check health's evidence cannot speak to the fault, and does not call it met."""
    session = drill_session(clock, SLOW)
    walk(session, clock)
    line = evidence(session, clock)
    assert line.verdict is Verdict.MISSED
    assert line.measured.startswith("2 of 3 on evidence (confirm-version: version 2.4.0")
    assert line.measured.endswith(
        "check-health: 5xx back to 0.4%, as before the release; not the figure the fault "
        "moves, health: health-failing never met before the check; smoke-test: logged in "
        "and checked out)"
    )


def test_the_drills_runbook_judges_check_health_on_the_health_checks_time(
    clock: ManualClock, tmp_path: Path
) -> None:
    session = drill_on_its_runbook(clock, tmp_path)
    for second in (0, 1, 2):
        at(session, clock, 0.1 + second / 60, samples("2.4.1", 0.004, health_ms=791.0))
    assert [mark.met for trigger, mark in session.state.trigger_history] == [True]
    assert session.state.trigger_history[0][0] == "health-slow"
    # While the health check is slow, the error rate at baseline shows nothing restored.
    with pytest.raises(CommandError, match="rollback trigger still met: health-slow"):
        check("check-health")(session.state, clock)
    walk(session, clock, health_ms=6.0)
    line = evidence(session, clock)
    assert line.verdict is Verdict.MET
    assert line.measured.endswith(
        "check-health: error-rate 0.4% for 5 consecutive samples (baseline 0.4%) at T+16:55; "
        "health-slow on health, the figure the fault moves, cleared at T+16:10 (health 6 ms); "
        "smoke-test: logged in and checked out)"
    )
    card = closed_score(session.state, clock.now())
    decision = next(x for x in card.lines if x.name == "Time to decision")
    assert decision.measured.endswith("first trigger met at T+00:08")


def test_a_fault_the_error_rate_shows_is_judged_on_it_as_before(
    clock: ManualClock, tmp_path: Path
) -> None:
    runbook = write_demo_runbook("http://127.0.0.1:9", tmp_path)
    event = commands.declare(runbook, DRILL, actor=ACTOR, clock=clock, incident_id="INC-D-3")
    session = IncidentSession.declare(MemoryLog(), event, clock)
    walk(session, clock, health_ms=0.0)
    line = evidence(session, clock)
    assert line.verdict is Verdict.MET
    assert line.measured.endswith(
        "(baseline 0.4%) at T+16:55; smoke-test: logged in and checked out)"
    )


def test_a_rollback_before_the_slow_trigger_could_be_met_leaves_check_health_unbacked(
    clock: ManualClock, tmp_path: Path
) -> None:
    """Two slow readings, then the rollback, before `health-slow` had the three it needs:
    nothing recorded says the health check was slow, nor that it recovered. The card says
    so and does not count Check health, as when no one polled health before the rollback
    at all (the state the card reads cannot tell the two apart: it keeps each probe's last
    120 readings, two minutes of the drill's). Not "too soon to tell": that would pass a
    drill that rolled back before anything was measured and never looked at the figure
    the fault moves. (At human speed the case does not arise in the TUI: its probes meet
    `health-slow` at about T+00:03.)"""
    session = drill_on_its_runbook(clock, tmp_path)
    for second in (0, 1):
        at(session, clock, 0.1 + second / 60, samples("2.4.1", 0.004, health_ms=791.0))
    walk(session, clock, health_ms=6.0)
    assert session.state.trigger_history == []
    line = evidence(session, clock)
    assert line.verdict is Verdict.MISSED
    assert line.measured.startswith("2 of 3 on evidence (")
    assert line.measured.endswith(
        "not the figure the fault moves, health: health-failing or health-slow never met before "
        "the check; smoke-test: logged in and checked out)"
    )
