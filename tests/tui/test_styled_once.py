"""Every lastgood screen skips Textual's restyle on its first resume (its push: its
widgets were styled as they mounted, moments before); later resumes are left as
Textual sends them."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.screen import Screen

from tests.scenario_copies import scenario_copy
from tests.tui.pilot_helpers import scenario_app, wait_for_screen, wait_until
from tui.app.modals.base import LastgoodModal
from tui.app.screens.incident import IncidentScreen
from tui.app.styled_once import StyledOnce


async def test_a_screen_is_restyled_on_resume_but_not_on_its_push(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    resumed: list[tuple[str, bool]] = []
    resume = Screen._on_screen_resume

    def noted(screen: Screen[object], event: events.ScreenResume) -> None:
        resumed.append((type(screen).__name__, event.refresh_styles))
        resume(screen, event)

    monkeypatch.setattr(Screen, "_on_screen_resume", noted)
    app = scenario_app(scenario_copy("mid-phase-2", tmp_path / "resume.db"))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        incident = app.screen
        await wait_until(pilot, lambda: ("IncidentScreen", False) in resumed)
        for _ in range(2):  # a dialog opened twice is a new screen each time
            await pilot.press("n")
            await wait_until(pilot, lambda: isinstance(app.screen, LastgoodModal))
            dialog = type(app.screen).__name__
            assert resumed[-1] == (dialog, False)  # Textual pushes it with True
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is incident)
            await pilot.pause()


def test_only_the_first_resume_is_spared_the_restyle() -> None:
    screen = StyledOnce()
    first, later = events.ScreenResume(), events.ScreenResume()
    screen.on_screen_resume(first)
    screen.on_screen_resume(later)
    assert (first.refresh_styles, later.refresh_styles) == (False, True)
