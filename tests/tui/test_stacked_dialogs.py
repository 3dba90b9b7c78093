"""The clocks keep moving behind two stacked dialogs.

A dialog between the coordinator's screen and the top one kept the picture of the
screen it drew last, so with the database tier open and a verb's form from the
palette over it, T+ and every countdown froze until the top one closed.
"""

from __future__ import annotations

from incident.app.verbs import BY_NAME
from tests.scenario_copies import scenario_copy
from tests.tui.pilot_helpers import scenario_app, wait_for_screen, wait_until
from tests.tui.screen_text import screen_lines
from tui.app.modals import DatabaseTierModal
from tui.app.modals.verb_form import VerbForm
from tui.app.screens.incident import IncidentScreen
from tui.app.screens.verb_forms import open_form


async def test_t_plus_moves_behind_two_stacked_dialogs(tmp_path):
    scenario = scenario_copy("declared", tmp_path / "declared.db")
    app = scenario_app(scenario)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        screen = app.screen
        await pilot.press("b")
        await wait_for_screen(pilot, DatabaseTierModal)
        open_form(screen.desk, BY_NAME["action-done"])
        await wait_for_screen(pilot, VerbForm)
        assert len(app.screen_stack) == 4  # the default screen, ours, two dialogs
        before = screen_lines(app)[0]
        scenario.clock.advance(60)
        await wait_until(pilot, lambda: screen_lines(app)[0] != before)
        assert "T+01:" in screen_lines(app)[0], screen_lines(app)[0]
