"""A decision refused is told in its dialog, which keeps the reason as typed.

The dialog used to close first and record after: a reason over its limit was
refused in a toast, the reason was gone, and the keys typed next reached the main
screen, where letters are verbs (a second review sent a "Resolved" message so).
"""

from __future__ import annotations

import re

from textual.widgets import Input

from incident.core.limits import LINE
from tests.cli_helpers import InProcessCli
from tests.scenario_copies import scenario_copy
from tests.tui.pilot_helpers import scenario_app, wait_for_screen, wait_until
from tui.app.modals import DecisionModal
from tui.app.screens.incident import IncidentScreen
from tui.demo.scenarios import DECLARATION


async def test_a_reason_over_its_limit_is_refused_in_the_dialog_and_kept(tmp_path):
    # The incident commander at the screen: the gate takes no one else's word.
    scenario = scenario_copy("declared", tmp_path / "declared.db")
    app = scenario_app(scenario, actor=DECLARATION.commander)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        screen = app.screen
        await pilot.press("d")
        await wait_for_screen(pilot, DecisionModal)
        dialog = app.screen
        too_long = "x" * (LINE.max_chars + 1)
        dialog.query_one("#reason", Input).value = too_long
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "limit" in dialog.error_message)
        assert app.screen is dialog
        assert dialog.query_one("#reason", Input).value == too_long
        assert not screen.state.steps["decide-rollback"].done

        dialog.query_one("#reason", Input).value = "core checkout broken"
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, IncidentScreen)
        await wait_until(pilot, lambda: screen.state.steps["decide-rollback"].done)


async def test_a_decision_lost_to_another_persons_says_who_decided_and_when(tmp_path):
    """Bo's dialog open while Ada decides from the command line (ux_review6 finding 4):
    Bo's ctrl+s is refused in the dialog with who approved and at what T+."""
    scenario = scenario_copy("declared", tmp_path / "declared.db")
    app = scenario_app(scenario, actor="Bo")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        await pilot.press("d")
        await wait_for_screen(pilot, DecisionModal)
        dialog = app.screen
        assert dialog.query_one("#by", Input).value == "Ada Lovelace"  # the commander's word
        InProcessCli(tmp_path / "declared.db", actor=DECLARATION.commander).ok(
            "decide", scenario.incident_id, "--reason", "p99 at 8s"
        )
        dialog.query_one("#reason", Input).value = "search unusable"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: bool(dialog.error_message), timeout=30)
        assert re.search(r"approved by Ada Lovelace at T\+\d+:\d\d:\d\d", dialog.error_message), (
            dialog.error_message
        )
        assert app.screen is dialog
        assert dialog.query_one("#reason", Input).value == "search unusable"
