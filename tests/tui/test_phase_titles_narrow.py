"""Phase titles that do not fit give way in whole words, marked with an ellipsis.

At 60x20 the checklist's heading read `Phase 1/4 · Decision and`: the rest of the title
and the window cut with no mark (a one-line Static wrapping its text and showing the
first line). The phase strip's cells cut words mid-way (`1 Decision a…`,
`2 Execute Ro…` at 80 columns). Read from the terminal's text, for every phase.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len

from tests.tui.coordinator_harness import coordinator
from tests.tui.pilot_helpers import wait_until
from tests.tui.screen_text import screen_lines
from tui.app.app import LastGoodApp
from tui.app.widgets.phase_strip import PhaseCell
from tui.app.widgets.phase_title import given_way, heading
from tui.demo.scenarios import bundled_runbook

TITLES = [phase.title for phase in bundled_runbook().phases]


def gives_way(shown: str, title: str, width: int) -> bool:
    """`shown` is `title` whole, or its first whole words and "…", or (only where not
    even its first word and the ellipsis fit `width`) its first word cut, with "…"."""
    if shown == title:
        return True
    if not shown.endswith("…"):
        return False
    kept = shown[:-1]
    if not title.startswith(kept) or not kept:
        return False
    if title[len(kept)] == " ":
        return True
    first = title.split()[0]
    return " " not in kept and cell_len(first) + 1 > width


def text_of(app: LastGoodApp, region_y: int, x: int, right: int) -> str:
    return screen_lines(app)[region_y][x:right].rstrip()


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
async def test_the_checklist_heading_gives_way_in_whole_words(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    async with coordinator(tmp_path / "titles.db", size=size) as (app, pilot, screen):
        for number, title in enumerate(TITLES, start=1):
            if number > 1:
                await pilot.press("right")
            box = screen.query_one("#phase-title").content_region
            head = f"Phase {number}/{len(TITLES)} · "
            await wait_until(pilot, lambda: head in screen_lines(app)[box.y])  # noqa: B023
            shown = text_of(app, box.y, box.x, box.right)
            assert shown.startswith(head), shown
            shown_title = shown[len(head) :].split(" · ")[0]
            assert gives_way(shown_title, title, box.width - len(head)), (shown, title)


@pytest.mark.parametrize("size", [(60, 20), (80, 24), (120, 40)])
async def test_the_phase_strip_titles_give_way_in_whole_words(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    async with coordinator(tmp_path / "strip.db", size=size) as (app, _pilot, screen):
        cells = list(screen.query(PhaseCell))
        assert len(cells) == len(TITLES)
        for number, (cell, title) in enumerate(zip(cells, TITLES, strict=True), start=1):
            box = cell.content_region
            shown = text_of(app, box.y, box.x, box.right)
            assert shown.startswith(f"{number} "), shown
            assert gives_way(shown[2:], title, box.width - 2), (shown, title, box.width)


def test_the_forms_give_way_word_by_word() -> None:
    title = "Communication and Post-Mortem Prep"
    assert given_way(title, 0) == title
    assert given_way(title, 40) == title
    assert given_way(title, 33) == "Communication and Post-Mortem…"
    assert given_way(title, 20) == "Communication…"  # not `Communication and…`
    assert given_way(title, 8) == "Communi…"
    assert heading(1, 4, "Decision and Communication", "T+0–5m", 34) == (
        "Phase 1/4 · Decision… · T+0–5m"
    )
    assert heading(4, 4, title, "T+45m →", 34) == "Phase 4/4 · Communication…"
    assert heading(1, 4, "Decision and Communication", "T+0–5m", 38) == (
        "Phase 1/4 · Decision and Communication"  # the window gives way first
    )
    assert heading(4, 4, title, "T+45m →", 38) == "Phase 4/4 · Communication… · T+45m →"


async def test_at_80_columns_a_title_takes_the_whole_cell(tmp_path: Path) -> None:
    """At 80 columns a cell is 15 wide (64 cells for four, each with a margin, beside
    the next update's 16): a cell of padding on each side left 13 for the title, and
    `3 Verification` (14) was cut to `3 Verificati…`. The margin parts the cells; the
    title now runs to the cell's right edge. `4 Communication…` (16) fits no cell of 15."""
    async with coordinator(tmp_path / "strip.db", size=(80, 24)) as (app, _pilot, screen):
        cells = list(screen.query(PhaseCell))
        titles = [text_of(app, c.region.y, c.region.x, c.region.right).strip() for c in cells]
        assert titles == ["1 Decision…", "2 Execute…", "3 Verification", "4 Communicati…"]
