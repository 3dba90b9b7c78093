"""The footer is rebuilt when the keys it shows change, and only then.

Textual's `Footer` remounted its keys on every change its screen might have had
(the push, each dialog closing, each focus move): four times before the
coordinator's first frame settled, again after every dialog. The keys that do
change (`P` shows in the last phase only) must still reach the footer.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets._footer import FooterKey

from tests.scenario_copies import scenario_copy
from tests.tui.pilot_helpers import scenario_app, wait_for_screen, wait_until
from tui.app.modals import VerbForm
from tui.app.screens.incident import IncidentScreen
from tui.app.widgets.steady_footer import SteadyFooter


def footer_keys(screen: object) -> list[FooterKey]:
    assert isinstance(screen, IncidentScreen)
    return list(screen.query(FooterKey))


async def test_a_dialog_that_closes_leaves_the_footer_keys_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rebuilds: list[SteadyFooter] = []
    recompose = SteadyFooter.recompose

    async def counted(footer: SteadyFooter) -> None:
        rebuilds.append(footer)
        await recompose(footer)

    monkeypatch.setattr(SteadyFooter, "recompose", counted)
    app = scenario_app(scenario_copy("declared", tmp_path / "footer.db"))
    async with app.run_test(size=(160, 40)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        incident = app.screen
        await wait_until(pilot, lambda: bool(footer_keys(incident)))
        keys = footer_keys(incident)
        assert len(rebuilds) == 1  # the push and the focus that followed it: one rebuild
        for _ in range(2):
            await pilot.press("n")
            await wait_for_screen(pilot, VerbForm)
            await pilot.press("escape")
            await wait_for_screen(pilot, IncidentScreen)
        assert footer_keys(incident) == keys
        assert all(now is before for now, before in zip(footer_keys(incident), keys, strict=True))
        assert len(rebuilds) == 1


async def test_the_post_mortem_key_shows_in_the_last_phase_only(tmp_path: Path) -> None:
    app = scenario_app(scenario_copy("declared", tmp_path / "phases.db"))
    async with app.run_test(size=(160, 40)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        incident = app.screen

        def shown() -> list[str]:
            return [key.description for key in footer_keys(incident)]

        await wait_until(pilot, lambda: "Check" in shown())
        assert "Post-mortem" not in shown()
        await pilot.press("left")  # from the first phase round to the last
        await wait_until(pilot, lambda: "Post-mortem" in shown())
        assert shown()[:2] == ["Help", "Post-mortem"]
        await pilot.press("right")
        await wait_until(pilot, lambda: "Post-mortem" not in shown())
        assert "Check" in shown()
