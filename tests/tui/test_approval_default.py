"""Who approves, when the role is vacant: the one recording, as `lastgood approve` has it.

The approval dialog's Approver field came up empty when the role had no holder, and
Enter refused ("Approver is required"), where `lastgood approve` without --by
records the person running it, "their own confirmation" (a parity review). The
field now shows that person, to be kept or replaced.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from incident.app import steps
from incident.app.session import IncidentSession
from incident.core.clock import ManualClock
from store.sqlite_log import SqliteEventLog
from tests.tui.coordinator_harness import declared
from tests.tui.due_harness import highlight
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tui.app.app import LastGoodApp
from tui.app.modals import ApprovalModal
from tui.app.screens.incident import IncidentScreen
from tui.demo.scenarios import SCENARIO_T0


async def test_a_vacant_role_s_approval_defaults_to_whoever_records(tmp_path: Path) -> None:
    db = tmp_path / "approve.db"
    clock = ManualClock(SCENARIO_T0)
    incident_id = declared(db, clock, decided=True)
    with SqliteEventLog.open(db) as log:
        session = IncidentSession(log, incident_id, clock)
        steps.choose_tier(session, "ada", "restore-backup", reason="a column was dropped")
        assert not session.state.roles.get("leadership")
        app = LastGoodApp(log, None, clock=clock, actor="ada", incident_id=incident_id)
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            screen = app.screen
            assert isinstance(screen, IncidentScreen)
            await pilot.press("right")  # the database step is the second phase's
            await wait_until(pilot, lambda: screen.view.phase_id == "execute")
            highlight(screen, "database-rollback")
            await pilot.press("a")
            await wait_for_screen(pilot, ApprovalModal)
            assert app.screen.query_one("#approver", Input).value == "ada"
            app.screen.query_one("#reason", Input).value = "accept the loss"
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: "tier:restore-backup" in screen.state.approvals)
            assert screen.state.approvals["tier:restore-backup"].by == "ada"
