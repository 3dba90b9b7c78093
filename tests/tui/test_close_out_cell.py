"""The phase strip's close-out cell waits for the service, as `status` does.

The guide's Phase 4 has no window ("Once the service is stable, close out the
incident"). When the bundled runbook opened it at T+45, at T+50, the rollback still
in phase 1, its cell read "▶ ACTIVE" beside three late phases, as if close-out were
under way, and then `T+45m →`, a start already past. Close-out has no window now: its
cell says only that it is upcoming, with no time at all (review 7, F5).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from incident.core.clock import ManualClock
from store.sqlite_log import SqliteEventLog
from tests.tui.coordinator_harness import declared
from tests.tui.pilot_helpers import wait_for_screen
from tui.app.app import LastGoodApp
from tui.app.screens.incident import IncidentScreen
from tui.app.widgets.phase_strip import PhaseCell
from tui.demo.scenarios import SCENARIO_T0


async def test_close_out_is_upcoming_with_no_time_while_the_rollback_runs(tmp_path: Path) -> None:
    db = tmp_path / "close-out.db"
    clock = ManualClock(SCENARIO_T0)
    incident_id = declared(db, clock, decided=False)
    clock.set(SCENARIO_T0 + timedelta(minutes=50))
    with SqliteEventLog.open(db) as log:
        app = LastGoodApp(log, None, clock=clock, actor="ada", incident_id=incident_id)
        async with app.run_test(size=(120, 30)) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            first = app.screen.query_one("#phase-1", PhaseCell)
            assert str(first.render()).splitlines()[1] == "✖ OVERDUE"
            cell = app.screen.query_one("#phase-4", PhaseCell)
            lines = str(cell.render()).splitlines()
            assert lines[1:] == ["· UPCOMING"]  # and no time under it
            assert not cell.has_class("current")
