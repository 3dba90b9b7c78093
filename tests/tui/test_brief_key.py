"""`i` shows the handoff brief: the same lines `lastgood brief` prints, from the record."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from incident.reports.brief import brief_lines
from tests.scenario_copies import scenario_copy
from tests.tui.pilot_helpers import from_palette, wait_for_screen
from tui.app.app import LastGoodApp
from tui.app.modals.brief import BriefModal
from tui.app.screens.incident import IncidentScreen


async def test_the_brief_key_shows_the_incident_for_a_new_commander(tmp_path: Path) -> None:
    scenario = scenario_copy("mid-phase-2", tmp_path / "brief.db")
    app = LastGoodApp(
        scenario.log, scenario.runbook, clock=scenario.clock, actor="Ada", network=False
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        screen = app.screen
        assert isinstance(screen, IncidentScreen)
        await pilot.press("i")
        await wait_for_screen(pilot, BriefModal)
        shown = str(app.screen.query_one("#brief-text", Static).render())
        assert shown.splitlines() == brief_lines(screen.state, scenario.clock.now())
        assert "approved decide-rollback (Ada Lovelace, recorded by" in shown
        assert "OPEN T+12:05  Decision and Communication: OVERDUE by 7m05s" in shown
        assert any(line.startswith("Roles: ") for line in shown.splitlines())
        await pilot.press("i")  # the same key closes it
        await wait_for_screen(pilot, IncidentScreen)

        await from_palette(pilot, "Handoff brief")
        await wait_for_screen(pilot, BriefModal)
        await pilot.press("escape")
        await wait_for_screen(pilot, IncidentScreen)
