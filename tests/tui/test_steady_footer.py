"""The footer is rebuilt when the keys it shows change, and only then.

Textual's `Footer` remounted its keys on every change its screen might have had
(the push, each dialog closing, each focus move): four times before the
coordinator's first frame settled, again after every dialog. The keys that do
change (`P` shows in the last phase only) must still reach the footer, and only
they are mounted or removed: the rest stay as they are.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets._footer import FooterKey

from tests.scenario_copies import scenario_copy
from tests.tui.pilot_helpers import scenario_app, wait_for_screen, wait_until
from tui.app.modals import VerbForm
from tui.app.screens.incident import IncidentScreen
from tui.app.steady_footer import SteadyFooter


@pytest.fixture
def rebuilds(monkeypatch: pytest.MonkeyPatch) -> list[SteadyFooter]:
    """Each footer rebuilt (`recompose`) while the test runs, in order."""
    rebuilt: list[SteadyFooter] = []
    recompose = SteadyFooter.recompose

    async def counted(footer: SteadyFooter) -> None:
        rebuilt.append(footer)
        await recompose(footer)

    monkeypatch.setattr(SteadyFooter, "recompose", counted)
    return rebuilt


def footer_keys(screen: object) -> list[FooterKey]:
    assert isinstance(screen, IncidentScreen)
    return list(screen.query(FooterKey))


async def test_a_dialog_that_closes_leaves_the_footer_keys_in_place(
    tmp_path: Path, rebuilds: list[SteadyFooter]
) -> None:
    app = scenario_app(scenario_copy("declared", tmp_path / "footer.db"))
    async with app.run_test(size=(160, 40)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        incident = app.screen
        await wait_until(pilot, lambda: bool(footer_keys(incident)))
        keys = footer_keys(incident)
        footer = incident.query_one(SteadyFooter)
        assert rebuilds == [footer]  # the push and the focus that followed it: one rebuild
        dialogs: list[SteadyFooter] = []
        for _ in range(2):
            await pilot.press("n")
            await wait_for_screen(pilot, VerbForm)
            dialogs.append(app.screen.query_one(SteadyFooter))
            await pilot.press("escape")
            await wait_for_screen(pilot, IncidentScreen)
        assert footer_keys(incident) == keys
        assert all(now is before for now, before in zip(footer_keys(incident), keys, strict=True))
        assert rebuilds == [footer, *dialogs]  # each dialog's own footer, once


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


class KeysApp(App[None]):
    """Six keys in a footer; the test hides or dims any of them."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(key, f"press({key!r})", f"Key {key}") for key in "abcdef"
    ]

    def __init__(self, *, palette: bool) -> None:
        super().__init__()
        self.palette = palette
        self.hidden: set[str] = set()
        self.dimmed: set[str] = set()

    def compose(self) -> ComposeResult:
        yield SteadyFooter(show_command_palette=self.palette)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "press" and parameters[0] in self.hidden:
            return False
        if action == "press" and parameters[0] in self.dimmed:
            return None
        return True

    def action_press(self, key: str) -> None:
        pass


@pytest.mark.parametrize("palette", [True, False], ids=["palette", "no-palette"])
async def test_keys_that_come_and_go_are_mounted_and_removed_alone(
    palette: bool, rebuilds: list[SteadyFooter]
) -> None:
    app = KeysApp(palette=palette)
    steps: list[tuple[set[str], set[str]]] = [
        ({"a"}, set()),  # the first goes
        ({"a", "d"}, set()),  # one in the middle
        ({"f"}, set()),  # two come back, the last goes
        (set(), {"c"}),  # the last comes back, one dimmed
        ({"b", "e"}, {"a", "c"}),  # goes, dims and comes together
        (set(), set()),
        (set("abcdef"), set()),  # none left (but the palette's, when it shows)
        ({"c"}, {"e"}),
    ]
    after_palette = [("ctrl+p", False)] if palette else []  # docked at the right
    async with app.run_test(size=(120, 10)) as pilot:
        footer = app.query_one(SteadyFooter)

        def drawn() -> list[tuple[str, bool]]:
            return [(key.key, key.has_class("-disabled")) for key in footer.query(FooterKey)]

        await wait_until(pilot, lambda: len(drawn()) == 6 + len(after_palette))
        for hidden, dimmed in steps:
            before = {(key.key, key.has_class("-disabled")): key for key in footer.query(FooterKey)}
            app.hidden, app.dimmed = hidden, dimmed
            app.refresh_bindings()
            keys = [(key, key in dimmed) for key in "abcdef" if key not in hidden]
            wanted = keys + after_palette
            await wait_until(pilot, lambda wanted=wanted: drawn() == wanted)  # type: ignore[misc]
            for key in footer.query(FooterKey):
                kept = before.get((key.key, key.has_class("-disabled")))
                assert kept is None or kept is key, f"{key.key} mounted again"
            assert footer.styles.grid_size_columns == len(keys)
        # The first keys; without the palette's, also the keys after none at all.
        assert len(rebuilds) == (1 if palette else 2)
