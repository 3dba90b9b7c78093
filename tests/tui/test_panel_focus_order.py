"""Tab moves through the panels in the order help names them.

Help said "tab: Move between checklist and timeline", and one Tab then Enter did
nothing: the focus was on the production panel (a review of keyboard-only use).
"""

from __future__ import annotations

import re
from pathlib import Path

from textual.app import App
from textual.pilot import Pilot

from store.sqlite_log import SqliteEventLog
from tests.scenario_copies import scenario_copy
from tests.tui.pilot_helpers import scenario_app, wait_for_screen
from tui.app.replay_app import ReplayApp
from tui.app.screens.incident import IncidentScreen
from tui.app.screens.replay import ReplayScreen
from tui.app.screens.verb_keys import PANEL_KEYS
from tui.demo.scenarios import SCENARIO_ID

NAMED = {"checklist": "checklist", "health": "production", "guidance": "guidance"}


def named_order() -> list[str]:
    listed = re.search(r": (.*?) \(shift\+tab back\)", PANEL_KEYS[1])
    assert listed is not None
    return listed.group(1).split(", ")


async def tabbed(pilot: Pilot[object], app: App[object]) -> list[str]:
    seen: list[str] = []
    for _ in range(len(named_order())):
        focused = app.focused
        assert focused is not None and focused.id is not None
        seen.append(NAMED.get(focused.id, focused.id))
        await pilot.press("tab")
    return seen


async def test_the_incident_screen_tabs_through_the_panels_help_names(tmp_path: Path) -> None:
    app = scenario_app(scenario_copy("mid-phase-2", tmp_path / "mid.db"))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        assert await tabbed(pilot, app) == named_order()


async def test_replay_tabs_through_the_same_panels(tmp_path: Path) -> None:
    scenario_copy("closed", tmp_path / "closed.db").log.close()
    with SqliteEventLog.open(tmp_path / "closed.db", read_only=True) as log:
        app = ReplayApp(log.events(SCENARIO_ID), playing=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for_screen(pilot, ReplayScreen)
            assert await tabbed(pilot, app) == named_order()
