"""Toasts at 80x24 and 60x20 leave the clocks and the work in view.

At 80x24 two toasts covered the whole timeline (they sat there then; now they sit at
the checklist's foot, `test_toast_off_the_newest_entry`); over a dialog, the toast moved to the
top covered the `Next update` clock; on the post-mortem screen a toast sat on the
verbs, the highlighted one with them. Measured on the regions Textual laid out: a
toast hidden behind the newest has no region.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.geometry import Region
from textual.widgets._toast import Toast

from tests.scenario_copies import scenario_copy
from tests.tui.coordinator_harness import coordinator
from tests.tui.pilot_helpers import scenario_app, wait_for_screen, wait_until
from tests.tui.screen_text import screen_lines
from tui.app.app import LastGoodApp
from tui.app.modals.base import LastgoodModal
from tui.app.screens.incident import IncidentScreen
from tui.app.screens.postmortem import PostmortemScreen
from tui.app.widgets.incident_bar import IncidentBar
from tui.app.widgets.phase_strip import PhaseStrip

NEWS = "something happened elsewhere, and it takes more than one line to say"


def shown(app: LastGoodApp) -> list[Region]:
    """The regions of the toasts on show."""
    return [t.region for t in app.screen.query(Toast) if t.region.area > 0]


async def two_toasts(app: LastGoodApp) -> None:
    for n in range(2):
        app.notify(f"news {n}: {NEWS}", title=f"news {n}")


async def test_at_80x24_one_toast_high_at_the_checklists_foot(tmp_path: Path) -> None:
    async with coordinator(tmp_path / "t.db", notifications=True) as (app, pilot, screen):
        await two_toasts(app)
        await wait_until(pilot, lambda: len(app.screen.query(Toast)) == 2)
        await pilot.pause()
        regions = shown(app)
        assert regions and sum(r.height for r in regions) <= 3, regions
        checklist = screen.query_one("#checklist").region
        timeline = screen.query_one("#timeline").region
        for region in regions:
            assert region.bottom == checklist.bottom and region.x == checklist.x, region
            assert not region.overlaps(timeline), (timeline, region)
        assert "news 1" in str(app.screen.query(Toast).last().render())  # the newest


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
@pytest.mark.parametrize("key", ["n", "c"])
async def test_over_a_dialog_a_toast_keeps_off_the_clocks(
    tmp_path: Path, size: tuple[int, int], key: str
) -> None:
    opened = coordinator(tmp_path / "t.db", size=size, notifications=True, decided=True)
    async with opened as (app, pilot, screen):
        await pilot.press(key)
        await wait_until(pilot, lambda: isinstance(app.screen, LastgoodModal))
        await two_toasts(app)
        await wait_until(pilot, lambda: bool(app.screen.query(Toast)))
        await pilot.pause()
        regions = shown(app)
        assert regions
        clocks = [screen.query_one(IncidentBar).region, screen.query_one(PhaseStrip).region]
        for toast in regions:
            assert not any(toast.overlaps(clock) for clock in clocks), (toast, clocks)
        assert sum(r.height for r in regions) <= 3, regions


async def test_on_the_post_mortem_screen_a_toast_keeps_off_the_verbs(tmp_path: Path) -> None:
    app = scenario_app(scenario_copy("close-out", tmp_path / "pm.db"))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        await pilot.press("P")
        await wait_for_screen(pilot, PostmortemScreen)
        await two_toasts(app)
        await wait_until(pilot, lambda: bool(app.screen.query(Toast)))
        await pilot.pause()
        regions = shown(app)
        assert regions
        verbs = app.screen.query_one("#pm-verbs").region
        closing = app.screen.query_one("#pm-closing").region
        for toast in regions:
            assert not toast.overlaps(verbs) and not toast.overlaps(closing), (toast, verbs)


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
@pytest.mark.parametrize("key", ["d", "c"])
async def test_over_a_dialog_under_38_rows_a_toast_covers_none_of_its_body(
    tmp_path: Path, size: tuple[int, int], key: str
) -> None:
    """At 60x20 the decision gate fills the screen under the incident bar, and the toast
    at its top hid three rows of it (the principle, the first trigger) while it showed.
    Now one line, its title, off the dialog's body, its buttons and its key hint."""
    opened = coordinator(tmp_path / "t.db", size=size, notifications=True, decided=key == "c")
    async with opened as (app, pilot, screen):
        await pilot.press(key)
        await wait_until(pilot, lambda: isinstance(app.screen, LastgoodModal))
        dialog = app.screen
        app.notify(f"news: {NEWS}", title="Samples not recorded", severity="error")
        await wait_until(pilot, lambda: bool(shown(app)))
        await pilot.pause()
        [toast] = shown(app)
        box = dialog.query_one(".dialog")
        body = box.scrollable_content_region
        foot = dialog.query_one(".foot").region
        assert not toast.overlaps(body.intersection(box.region)), (toast, body)
        assert not toast.overlaps(foot), (toast, foot)
        assert not toast.overlaps(screen.query_one(IncidentBar).region)
        assert toast.height == 1 and toast.bottom == size[1], toast
        # The frame that draws the toast can land after its region is laid out (seen
        # once in a loaded run): wait for the drawn row, which a toast elsewhere fails.
        await wait_until(pilot, lambda: "Samples not recorded" in screen_lines(app)[-1])
