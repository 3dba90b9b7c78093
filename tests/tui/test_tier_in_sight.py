"""The database-tier dialog keeps the highlighted tier in sight (review11 #12).

At 60x20 the dialog is taller than the screen and scrolls; it kept the Reason field
in view and so scrolled the tier list's top off the screen: the Best case line was gone,
and only the guidance under the list said which tier Enter would choose, in the
dialog where data loss is decided. Now the highlighted tier stays on the screen, and
the Reason field with it, as the dialog opens, as the terminal is resized and as the
highlight moves. Each case runs the app on a real SQLite file and reads the terminal.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot

from tests.scenario_copies import scenario_copy
from tests.tui.modal_harness import TIERS as TIERS_SHOWN
from tests.tui.modal_harness import opened, type_text
from tests.tui.pilot_helpers import scenario_app, wait_for_screen, wait_until
from tests.tui.screen_text import screen_lines
from tui.app.app import LastGoodApp
from tui.app.modals import DatabaseTierModal
from tui.app.screens.incident import IncidentScreen

TIERS = ("› Best case", "› Acceptable case", "› Last resort")
"""How each tier's first line starts, highlighted, top to bottom."""

SIZES = [(60, 20), (80, 24)]


def shown(app: App[Any]) -> str:
    return "\n".join(screen_lines(app))


def in_sight(app: App[Any], tier: str) -> bool:
    """`tier` highlighted on the screen, and the Reason field with the reason typed."""
    text = shown(app)
    return tier in text and "› Reason" in text and "because" in text


async def tier_dialog(pilot: Pilot[object], app: LastGoodApp) -> DatabaseTierModal:
    """`b` on the coordinator's screen, then a reason typed."""
    await wait_for_screen(pilot, IncidentScreen)
    await pilot.press("b")
    await wait_for_screen(pilot, DatabaseTierModal)
    await wait_until(pilot, lambda: not app.holding_keys)
    await pilot.press(*"because")
    dialog = app.screen
    assert isinstance(dialog, DatabaseTierModal)
    await wait_until(pilot, lambda: not app.keys_on_their_way)
    return dialog


@pytest.mark.parametrize("size", SIZES, ids=lambda size: "x".join(map(str, size)))
async def test_the_highlighted_tier_is_in_sight_as_it_opens_and_moves(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    app = scenario_app(scenario_copy("declared", tmp_path / "tier.db"))
    async with app.run_test(size=size) as pilot:
        await tier_dialog(pilot, app)
        await wait_until(pilot, lambda: in_sight(app, TIERS[0]))
        for tier in TIERS[1:]:
            await pilot.press("down")
            await wait_until(pilot, lambda tier=tier: in_sight(app, tier))
        for tier in reversed(TIERS[:-1]):
            await pilot.press("up")
            await wait_until(pilot, lambda tier=tier: in_sight(app, tier))


@pytest.mark.parametrize(("before", "after"), [((80, 24), (60, 20)), ((60, 20), (80, 24))])
async def test_the_highlighted_tier_stays_in_sight_as_the_terminal_is_resized(
    tmp_path: Path, before: tuple[int, int], after: tuple[int, int]
) -> None:
    """The reviewer's keys: `b`, a reason, then `tmux resize-window -x 60 -y 20`."""
    app = scenario_app(scenario_copy("declared", tmp_path / "tier.db"))
    async with app.run_test(size=before) as pilot:
        await tier_dialog(pilot, app)
        await wait_until(pilot, lambda: in_sight(app, TIERS[0]))
        await pilot.resize_terminal(*after)
        await wait_until(pilot, lambda: app.size == after)
        await wait_until(pilot, lambda: in_sight(app, TIERS[0]))
        await pilot.press("down", "down")
        await wait_until(pilot, lambda: in_sight(app, TIERS[2]))


EVIDENCE = (
    "2.4.1 → 2.4.0 undoes 3 commits and 1 migration (1 flagged); suggested tier none: "
    "expand-only migrations"
)
"""What the rollback undoes, as a drill's dialog shows it above the tiers: three more rows."""


@pytest.mark.parametrize("size", SIZES, ids=lambda size: "x".join(map(str, size)))
async def test_with_what_the_rollback_undoes_above_the_tier_is_still_in_sight(
    size: tuple[int, int],
) -> None:
    modal = DatabaseTierModal(TIERS_SHOWN, evidence=EVIDENCE)
    async with opened(modal, size=size) as (app, pilot):
        await type_text(pilot, "because")
        for tier in TIERS:
            await wait_until(pilot, lambda tier=tier: in_sight(app, tier))
            await pilot.press("down")
