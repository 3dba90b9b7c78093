"""The timeline's newest row is in view, the first row that overflows the panel too.

At 80x24 the panel holds five rows. Four notes from the command line filled it; then
Bo pressed space, and his own `Checked assess-severity` row stayed out of view below
the notes, on his screen, until the next event scrolled it (ux_review6 finding 6). The
real app at 80x24 and `lastgood note` as processes, on one SQLite file; what is checked
is the terminal's text, as the coordinator reads it.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from incident.core.clock import SystemClock
from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import Cli, declare
from tests.tui.pilot_helpers import settled, wait_for_screen, wait_until
from tests.tui.screen_text import screen_lines
from tui.app.app import LastGoodApp
from tui.app.screens.incident import IncidentScreen
from tui.app.widgets.timeline import Timeline
from tui.demo.scenarios import bundled_runbook


def in_view(timeline: Timeline) -> bool:
    """Whether the timeline's last row is among those its panel shows."""
    height = timeline.scrollable_content_region.height
    return round(timeline.scroll_y) <= timeline.row_count - 1 < round(timeline.scroll_y) + height


@pytest.mark.parametrize("size", [(80, 24), (100, 30)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_row_that_first_overflows_the_panel_is_scrolled_into_view(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    db = tmp_path / "overflow.db"
    cy = Cli(db, actor="Cy")
    incident = declare(cy.in_process())
    app = LastGoodApp(
        SqliteEventLog.open(db),
        bundled_runbook(),
        clock=SystemClock(),  # the command line's: its notes at the moment they are made
        actor="Bo",
        incident_id=incident,
        network=False,
    )
    async with app.run_test(size=size) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        screen = app.screen
        assert isinstance(screen, IncidentScreen)
        timeline = screen.query_one(Timeline)
        await wait_until(pilot, lambda: timeline.scrollable_content_region.height > 0)
        height = timeline.scrollable_content_region.height
        while (rows := timeline.row_count) < height:  # full, not yet scrolling
            noted = await asyncio.to_thread(cy.run, "note", incident, f"note {rows}")
            assert noted.code == 0, noted.err
            await wait_until(pilot, lambda rows=rows: timeline.row_count > rows)
        assert timeline.row_count == height
        assert timeline.scroll_y == 0

        await pilot.press("space")
        await wait_until(pilot, lambda: timeline.row_count == height + 1 and settled(screen))
        await pilot.pause()
        assert in_view(timeline), (timeline.scroll_y, timeline.row_count, height)
        shown = "\n".join(screen_lines(app))
        assert "Checked assess-severity" in shown, shown
