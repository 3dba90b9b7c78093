"""Dialogs at the sizes the product must work at: 80x24 (a laptop over SSH) and 60x20.

Each is the real app on a real SQLite file, measured by the regions Textual laid out:
a dialog holds what it shows and no more, keeps its buttons and key hint on the screen
whatever it is told, and leaves the clocks above it in view while the coordinator
decides (the phase strip at 80x24, the incident bar's T+ at 60x20).
"""

from __future__ import annotations

from pathlib import Path

from textual.geometry import Region
from textual.pilot import Pilot

from tests.tui.coordinator_harness import coordinator
from tests.tui.pilot_helpers import wait_until
from tests.tui.screen_text import screen_lines
from tui.app.app import LastGoodApp
from tui.app.modals.base import LastgoodModal


async def opened(app: LastGoodApp, pilot: Pilot[None], key: str, phase: int = 1) -> LastgoodModal:
    """The dialog `key` opens with phase `phase` on show, laid out."""
    for _ in range(phase - 1):
        await pilot.press("right")
    await pilot.press(key)
    await wait_until(pilot, lambda: isinstance(app.screen, LastgoodModal))
    await pilot.pause()
    dialog = app.screen
    assert isinstance(dialog, LastgoodModal)
    return dialog


def rows_of(app: LastGoodApp, region: Region) -> list[str]:
    """The terminal's text inside `region`."""
    lines = screen_lines(app)
    return [line[region.x : region.right] for line in lines[region.y : region.bottom]]


async def test_the_tier_dialog_is_as_tall_as_what_it_holds(tmp_path: Path) -> None:
    """Phase 4 at 80x24: the box was 24 rows, four of them blank, over the header and
    footer (the main screen's `#guidance { height: 1fr }` reached the dialog's own
    guidance, of the same id)."""
    async with coordinator(tmp_path / "tier.db", decided=True) as (app, pilot, _screen):
        dialog = await opened(app, pilot, "b", phase=4)
        box = dialog.query_one(".dialog").region
        inner = [row[1:-1].strip() for row in rows_of(app, box)[1:-1]]
        blank_runs = [i for i in range(len(inner) - 1) if not inner[i] and not inner[i + 1]]
        assert blank_runs == [], "\n".join(rows_of(app, box))
        assert box.height < 24
