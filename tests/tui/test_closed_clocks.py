"""Closing ends the rollback's clocks, on the coordinator's screen as in `status`.

A phase still upcoming when the incident closed was not reached: its cell said
"in 32m57s" and went on counting down after the close while every other clock
stood still (a parity review). Every phase not done at the close now says what it came
to, as `lastgood status` and the report do: no state of a running clock, no time.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from incident.app import lifecycle
from incident.app.session import IncidentSession
from incident.core.clock import ManualClock
from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import InProcessCli
from tests.tui.coordinator_harness import declared
from tests.tui.pilot_helpers import wait_for_screen
from tui.app.app import LastGoodApp
from tui.app.screens.incident import IncidentScreen
from tui.app.widgets.guidance import Guidance
from tui.app.widgets.phase_strip import PhaseCell
from tui.demo.scenarios import SCENARIO_T0


def cell_lines(screen: IncidentScreen, number: int) -> list[str]:
    return str(screen.query_one(f"#phase-{number}", PhaseCell).render()).splitlines()


async def test_a_phase_not_reached_by_the_close_counts_down_to_nothing(tmp_path: Path) -> None:
    db = tmp_path / "closed.db"
    clock = ManualClock(SCENARIO_T0)
    incident_id = declared(db, clock, decided=False)
    clock.set(SCENARIO_T0 + timedelta(minutes=7))
    with SqliteEventLog.open(db) as log:
        session = IncidentSession(log, incident_id, clock)
        lifecycle.close(session, "ada", force=True, reason="false alarm")
    clock.set(SCENARIO_T0 + timedelta(minutes=12))
    with SqliteEventLog.open(db, read_only=True) as log:
        app = LastGoodApp(log, None, clock=clock, actor="ada", incident_id=incident_id)
        async with app.run_test(size=(120, 30)) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            screen = app.screen
            assert isinstance(screen, IncidentScreen)
            last = len(screen.state.runbook.phases)
            assert cell_lines(screen, last)[1:] == ["■ CLOSED", "not started"]
            first_phases = [cell_lines(screen, n) for n in range(1, last)]
            clock.set(SCENARIO_T0 + timedelta(minutes=13))
            screen.tick()
            await pilot.pause()
            assert cell_lines(screen, last)[1:] == ["■ CLOSED", "not started"]
            assert [cell_lines(screen, n) for n in range(1, last)] == first_phases


def closed_at(db: Path, offset: timedelta, *, decided: bool) -> tuple[str, ManualClock]:
    """A new incident force-closed at T+`offset`; the clock some minutes on."""
    clock = ManualClock(SCENARIO_T0)
    incident_id = declared(db, clock, decided=decided)
    clock.set(SCENARIO_T0 + offset)
    with SqliteEventLog.open(db) as log:
        session = IncidentSession(log, incident_id, clock)
        lifecycle.close(session, "ada", force=True, reason="false alarm")
    clock.set(SCENARIO_T0 + offset + timedelta(minutes=3))
    return incident_id, clock


@pytest.mark.parametrize(
    ("offset", "decided", "phases"),
    [
        # Phase 1 was OVERDUE (+6m00s), phase 2 ACTIVE (19m00s left) at the close.
        (
            timedelta(minutes=11),
            True,
            ["not finished", "not started", "not started", "not started"],
        ),
        # A drill closed at T+00:01: phase 1 showed ACTIVE 4m59s left.
        (
            timedelta(seconds=1),
            False,
            ["not started", "not started", "not started", "not started"],
        ),
    ],
    ids=["forced-at-T+11", "at-T+00:01"],
)
async def test_a_closed_incident_shows_no_live_clock(
    tmp_path: Path, offset: timedelta, decided: bool, phases: list[str]
) -> None:
    """After a close, phases went on reading `▶ ACTIVE 19m00s left` and `✖ OVERDUE
    +6m00s`, clocks that had stopped. A phase not done says what it came to (the
    domain's `at_close`, as the report and `status` say it), with no time."""
    db = tmp_path / "closed.db"
    incident_id, clock = closed_at(db, offset, decided=decided)
    with SqliteEventLog.open(db, read_only=True) as log:
        app = LastGoodApp(log, None, clock=clock, actor="ada", incident_id=incident_id)
        async with app.run_test(size=(120, 30)) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            screen = app.screen
            assert isinstance(screen, IncidentScreen)
            shown = [cell_lines(screen, n)[1:] for n in range(1, len(phases) + 1)]
            state = screen.state
            guidance = str(screen.query_one(Guidance)._text)
    assert shown == [["■ CLOSED", said] for said in phases]
    assert guidance and "▸" not in guidance  # no key moves a step of a closed incident
    status = InProcessCli(db).ok("status", incident_id)
    for phase, said in zip(state.runbook.phases, phases, strict=True):
        line = next(line for line in status.splitlines() if line.startswith(phase.title))
        assert line.endswith(f"CLOSED  {said} at close"), line
    # `status --json` gave "active" with nothing to say the clocks had stopped (a review)
    as_json = json.loads(InProcessCli(db).ok("status", incident_id, "--json"))
    assert [p["at_close"] for p in as_json["phases"]] == phases
