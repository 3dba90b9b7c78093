"""The footer leaves out whole key hints that do not fit, the last first, `q Quit` kept.

Textual's footer cut the key at the edge mid-word: at 80 columns, once `m Send due`
or `P Post-mortem` came in, `... n Note c Compo`, and at 60 always; `q Quit` fell off.
`?` (help, which lists every key) comes first and stays; `q Quit`, last, stays too,
the keys before it left out in its place (`test_footer_quit_kept.py`). (At 80 columns
every key fits in every phase but the last's most crowded moment:
`test_footer_80_columns.py`; narrower, keys are still left out.)
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets._footer import FooterKey

from tests.tui.contrast import incident_at, row_text, screen_cells
from tui.app.app import LastGoodApp
from tui.app.steady_footer import SteadyFooter


def hint(key: FooterKey) -> str:
    return f"{key.key_display} {key.description}"


def footer_of(app: LastGoodApp) -> tuple[str, list[FooterKey]]:
    """The footer's row as drawn, and its keys."""
    footer = app.screen.query_one(SteadyFooter)
    return row_text(screen_cells(app)[footer.region.y]), list(footer.query(FooterKey))


@pytest.mark.parametrize(
    ("scenario", "minutes", "size", "pressing"),
    [
        ("declared", 7, (60, 20), "m Send due"),
        ("resolved", 0, (50, 20), "P Post-mortem"),
        ("declared", 0, (40, 20), None),
    ],
)
async def test_only_whole_hints_are_shown(
    tmp_path: Path,
    scenario: str,
    minutes: float,
    size: tuple[int, int],
    pressing: str | None,
) -> None:
    async with incident_at(tmp_path, scenario, minutes, size=size) as (app, pilot):
        await pilot.pause()
        drawn, keys = footer_of(app)
        hints = [hint(key) for key in keys]
        assert hints[0] == "? Help"
        if pressing is not None:
            assert hints[1] == pressing
        shown = [key for key in keys if key.display]
        left_out = [key for key in keys if not key.display]
        assert left_out, "the screen is too narrow for every key: some are left out"
        assert hint(keys[-1]) == "q Quit" and keys[-1].display, "quit is kept"
        others = [key for key in shown if key is not keys[-1]]
        assert others == keys[: len(others)], "the last are left out first"
        assert drawn.split() == " ".join(hint(key) for key in shown).split(), drawn
        width = app.size.width
        for key in shown:
            assert key.region.right <= width, hint(key)


async def test_a_wider_screen_shows_the_keys_left_out(tmp_path: Path) -> None:
    async with incident_at(tmp_path, "declared", 7, size=(60, 20)) as (app, pilot):
        await pilot.pause()
        _, keys = footer_of(app)
        assert not all(key.display for key in keys)
        await pilot.resize_terminal(160, 40)
        await pilot.pause()
        drawn, keys = footer_of(app)
        assert all(key.display for key in keys)
        assert drawn.split()[-2:] == ["q", "Quit"]
