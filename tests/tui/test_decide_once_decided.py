"""Once the rollback is decided, `d` leaves the footer and says so when pressed.

It stayed in the footer into phase 4 and opened the decision dialog, whose triggers
all read "not met" by then; only its submit was refused (a review of keyboard use).
"""

from __future__ import annotations

from pathlib import Path

from tests.scenario_copies import scenario_copy
from tests.tui.pilot_helpers import scenario_app, wait_for_screen, wait_until
from tui.app.modals.decision import DecisionModal
from tui.app.screens.incident import IncidentScreen


def footer_actions(screen: IncidentScreen) -> list[str]:
    return [b.action for _, b, enabled, _ in screen.active_bindings.values() if b.show]


async def test_d_is_in_the_footer_until_the_rollback_is_decided(tmp_path: Path) -> None:
    app = scenario_app(scenario_copy("declared", tmp_path / "declared.db"))
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        screen = app.screen
        assert isinstance(screen, IncidentScreen)
        assert "verb('decide')" in footer_actions(screen), str(footer_actions(screen))


async def test_once_decided_d_is_out_of_the_footer_and_says_why(tmp_path: Path) -> None:
    app = scenario_app(scenario_copy("mid-phase-2", tmp_path / "mid.db"))
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        screen = app.screen
        assert isinstance(screen, IncidentScreen)
        assert "verb('decide')" not in footer_actions(screen)
        await pilot.press("d")
        await wait_until(
            pilot,
            lambda: any(
                n.message.startswith("The rollback was already decided") for n in app._notifications
            ),
        )
        assert not any(isinstance(s, DecisionModal) for s in app.screen_stack)
