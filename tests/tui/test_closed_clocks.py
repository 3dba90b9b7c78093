"""Closing ends the rollback's clocks, on the coordinator's screen as in `status`.

A phase still upcoming when the incident closed was not reached: its cell said
"in 32m57s" and went on counting down after the close while every other clock
stood still (a parity review), where `lastgood status` shows it UPCOMING with no time.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from incident.app import lifecycle
from incident.app.session import IncidentSession
from incident.core.clock import ManualClock
from store.sqlite_log import SqliteEventLog
from tests.tui.coordinator_harness import declared
from tests.tui.pilot_helpers import wait_for_screen
from tui.app.app import LastGoodApp
from tui.app.screens.incident import IncidentScreen
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
            assert cell_lines(screen, last)[1:] == ["· UPCOMING", "not reached"]
            first_phases = [cell_lines(screen, n) for n in range(1, last)]
            clock.set(SCENARIO_T0 + timedelta(minutes=13))
            screen.tick()
            await pilot.pause()
            assert cell_lines(screen, last)[1:] == ["· UPCOMING", "not reached"]
            assert [cell_lines(screen, n) for n in range(1, last)] == first_phases
