"""The phase strip says a phase skipped whole is SKIPPED, as `status` and the report do.

Every step of the Verification phase skipped, its cell read "✓ DONE / on time", as
if the service had been verified (a review).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from incident.app import steps
from incident.app.session import IncidentSession
from incident.core.clock import ManualClock
from store.sqlite_log import SqliteEventLog
from tests.tui.coordinator_harness import declared
from tests.tui.pilot_helpers import wait_for_screen
from tui.app.app import LastGoodApp
from tui.app.screens.incident import IncidentScreen
from tui.app.widgets.phase_strip import PhaseCell
from tui.demo.scenarios import SCENARIO_T0


async def test_a_phase_skipped_whole_is_shown_skipped(tmp_path: Path) -> None:
    db = tmp_path / "skipped.db"
    clock = ManualClock(SCENARIO_T0)
    incident_id = declared(db, clock, decided=True)
    clock.set(SCENARIO_T0 + timedelta(minutes=16))
    with SqliteEventLog.open(db) as log:
        session = IncidentSession(log, incident_id, clock)
        for step in ("confirm-version", "check-health", "smoke-test"):
            steps.skip(session, "ada", step, reason="no time")
        app = LastGoodApp(log, None, clock=clock, actor="ada", incident_id=incident_id)
        async with app.run_test(size=(120, 30)) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            cell = app.screen.query_one("#phase-3", PhaseCell)
            assert str(cell.render()).splitlines() == [
                "3 Verification",
                "⊘ SKIPPED",
                "none checked",
            ]
            assert cell.has_class("skipped") and not cell.has_class("done")
            assert not cell.has_class("current")  # over: the coordinator is elsewhere


async def test_a_phase_done_with_verification_skipped_is_not_verified(tmp_path: Path) -> None:
    """Two of three verification steps skipped, Check health checked: the cell read
    "✓ DONE / on time", as if the service had been verified (ux_review7 F2). It says
    it was not, and which were skipped; at 80 columns, how many."""
    db = tmp_path / "partly.db"
    clock = ManualClock(SCENARIO_T0)
    incident_id = declared(db, clock, decided=True)
    clock.set(SCENARIO_T0 + timedelta(minutes=16))
    with SqliteEventLog.open(db) as log:
        session = IncidentSession(log, incident_id, clock)
        for step in ("confirm-version", "smoke-test"):
            steps.skip(session, "ada", step, reason="no time")
        steps.check(session, "ada", "check-health", evidence="dashboard back to normal")
        app = LastGoodApp(log, None, clock=clock, actor="ada", incident_id=incident_id)
        async with app.run_test(size=(180, 30)) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            cell = app.screen.query_one("#phase-3", PhaseCell)
            assert str(cell.render()).splitlines() == [
                "3 Verification",
                "⚠ NOT VERIFIED",
                "skipped: confirm-version, smoke-test",
            ]
            assert cell.has_class("unverified") and not cell.has_class("done")
        app = LastGoodApp(log, None, clock=clock, actor="ada", incident_id=incident_id)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            cell = app.screen.query_one("#phase-3", PhaseCell)
            assert str(cell.render()).splitlines()[1:] == ["⚠ NOT VERIFIED", "2 skipped"]
