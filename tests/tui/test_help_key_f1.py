"""F1 opens help wherever `?` does, and closes it again: the key terminals and most
tools use for help did nothing (a review of keyboard-only use)."""

from __future__ import annotations

from pathlib import Path

from store.sqlite_log import SqliteEventLog
from tests.scenario_copies import scenario_copy
from tests.tui.pilot_helpers import scenario_app, wait_for_screen, wait_until
from tui.app.modals import HelpModal
from tui.app.replay_app import ReplayApp
from tui.app.screens.incident import IncidentScreen
from tui.app.screens.postmortem import PostmortemScreen
from tui.app.screens.replay import ReplayScreen
from tui.demo.scenarios import SCENARIO_ID


async def test_f1_opens_and_closes_help_on_the_incident_and_post_mortem_screens(
    tmp_path: Path,
) -> None:
    app = scenario_app(scenario_copy("close-out", tmp_path / "close-out.db"))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        for screen_type, opener in ((IncidentScreen, ()), (PostmortemScreen, ("P",))):
            await pilot.press(*opener)
            await wait_for_screen(pilot, screen_type)
            screen = app.screen
            await pilot.press("f1")
            await wait_for_screen(pilot, HelpModal)
            rows = [str(key.render()) for key in app.screen.query(".key")]
            assert "? / F1" in rows
            await pilot.press("f1")
            await wait_until(pilot, lambda screen=screen: app.screen is screen)


async def test_f1_opens_help_in_replay(tmp_path: Path) -> None:
    scenario = scenario_copy("closed", tmp_path / "closed.db")
    scenario.log.close()
    with SqliteEventLog.open(tmp_path / "closed.db", read_only=True) as log:
        app = ReplayApp(log.events(SCENARIO_ID), playing=False)
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_for_screen(pilot, ReplayScreen)
            await pilot.press("f1")
            await wait_for_screen(pilot, HelpModal)
