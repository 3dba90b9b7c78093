"""The toast that says what was just recorded leaves the entry that records it in view.

Toasts sat in the right column's last rows, over the timeline's foot, where the newest
entry is once the timeline is full: paging someone raised "Paged …" over the
"Paged …" row. Measured on the regions Textual laid out, on a full timeline.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.geometry import Region
from textual.widgets import Input
from textual.widgets._toast import Toast

from tests.scenario_copies import scenario_copy
from tests.tui.pilot_helpers import scenario_app, wait_for_screen, wait_until
from tui.app.modals.base import LastgoodModal
from tui.app.screens.incident import IncidentScreen
from tui.app.widgets.timeline import Timeline

WHO = "the deployment team, the on-call database engineer and the payments lead"
"""Long enough that its toast takes two rows at 120 columns, three at 80."""


def newest_row(timeline: Timeline) -> Region:
    """Where the timeline's last entry is drawn."""
    content = timeline.scrollable_content_region
    row = timeline.row_count - 1 - round(timeline.scroll_y)
    assert 0 <= row < content.height, (row, content)  # the newest entry is in view
    return Region(content.x, content.y + row, content.width, 1)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_toast_for_a_page_leaves_the_page_in_view(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    app = scenario_app(scenario_copy("mid-phase-2", tmp_path / "toast.db"))
    async with app.run_test(size=size, notifications=True) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        screen = app.screen
        assert isinstance(screen, IncidentScreen)
        timeline = screen.query_one(Timeline)
        before = timeline.row_count
        assert before > timeline.scrollable_content_region.height  # full: it scrolls
        await pilot.press("p")
        await wait_until(pilot, lambda: isinstance(app.screen, LastgoodModal))
        app.screen.query_one("#param-target", Input).value = WHO
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, IncidentScreen)

        def paged_toast() -> Toast | None:
            return next((t for t in app.screen.query(Toast) if "Paged" in str(t.render())), None)

        await wait_until(pilot, lambda: paged_toast() is not None and timeline.row_count > before)
        await pilot.pause()
        toast = paged_toast()
        assert toast is not None and toast.region.height >= 2, toast
        newest = newest_row(timeline)
        assert toast.region.overlaps(newest) is False, (toast.region, newest)
        assert "Paged" in timeline.render_line(newest.y - timeline.scrollable_content_region.y).text
