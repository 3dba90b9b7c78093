"""The clocks, the footer and the highlighted row read, in every terminal.

WCAG contrast of the cells the app draws (`tests/tui/contrast.py`), in three
terminals: the default theme (in millions of colours and in xterm's 256), the same
under NO_COLOR, and a sixteen-colour terminal (`TEXTUAL_COLOR_SYSTEM=standard`, as
under `TERM=xterm`), where the theme's colours fall to the nearest of sixteen and
`app.tcss` gives the app pairs of ANSI colours instead (`tui.app.colour_depth`).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.color import Color, ColorSystem
from textual import constants
from textual.widgets._footer import FooterKey

from tests.tui.contrast import (
    READS,
    TERMINALS,
    cells_with,
    depths,
    incident_at,
    text_cells,
    widget_cells,
    worst,
)
from tui.app.colour_depth import SIXTEEN, SIXTEEN_COLOURS
from tui.app.widgets.checklist import Checklist
from tui.app.widgets.phase_strip import PhaseCell, UpdateCell


@pytest.mark.parametrize("terminal", TERMINALS, indirect=True)
async def test_the_current_phase_overdue_reads_as_well_as_any_clock(
    tmp_path: Path, terminal: str
) -> None:
    """T+26 with phase 1 still open: phase 1 is the current phase and overdue, phase 2
    due soon, the update overdue. The current overdue cell was red on the current
    phase's blue: 1.65:1 in 256 colours, 1.0:1 in sixteen."""
    async with incident_at(tmp_path, "declared", minutes=26) as (app, _):
        current = app.screen.query_one("#phase-1", PhaseCell)
        assert current.has_class("current") and current.has_class("overdue")
        overdue = worst(text_cells(app, current), depths(terminal))
        assert overdue >= READS, f"the current overdue phase at {overdue:.2f}:1"
        for cell in [*app.screen.query(PhaseCell), app.screen.query_one(UpdateCell)]:
            measured = worst(text_cells(app, cell), depths(terminal))
            assert measured >= READS, f"{cell.id} at {measured:.2f}:1"


async def test_sixteen_colours_tell_due_soon_from_overdue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Orange and red both became bright red: in sixteen colours the two states must
    differ in colour, not only in words."""
    monkeypatch.setattr(constants, "COLOR_SYSTEM", "standard")
    async with incident_at(tmp_path, "declared", minutes=26) as (app, _):
        assert app.has_class(SIXTEEN_COLOURS)
        due_soon = cells_with(widget_cells(app, app.screen.query_one("#phase-2")), "DUE SOON")
        overdue = cells_with(widget_cells(app, app.screen.query_one(UpdateCell)), "OVERDUE")
        soon_fg, _ = due_soon[0].colours(ColorSystem.STANDARD)
        overdue_fg, _ = overdue[0].colours(ColorSystem.STANDARD)
        assert soon_fg != overdue_fg


def test_ansi_colours_come_back_as_themselves_in_sixteen_colours() -> None:
    """An ANSI colour in the CSS reaches Rich as RGB through `SIXTEEN`; Rich's
    sixteen-colour downgrade must give the same ANSI colour back (with Textual's own
    table, red came back magenta)."""
    for number in range(16):
        red, green, blue = SIXTEEN.ansi_colors[number]
        back = Color.from_rgb(red, green, blue).downgrade(ColorSystem.STANDARD)
        assert back.number == number


@pytest.mark.parametrize("terminal", TERMINALS, indirect=True)
async def test_footer_keys_read(tmp_path: Path, terminal: str) -> None:
    """Each key of the footer and its description: in sixteen colours every key was
    bright red on bright black (1.0:1), the descriptions 4.0:1."""
    async with incident_at(tmp_path, "declared", minutes=7) as (app, _):
        keys = [key for key in app.screen.query(FooterKey) if key.display]
        assert len(keys) >= 5
        for key in keys:
            measured = worst(text_cells(app, key), depths(terminal))
            assert measured >= READS, f"{key.key_display} {key.description} at {measured:.2f}:1"


async def test_the_highlighted_step_reads_in_sixteen_colours(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The row the keys act on: the theme's blue came out cyan under bright white, 2:1."""
    monkeypatch.setattr(constants, "COLOR_SYSTEM", "standard")
    async with incident_at(tmp_path, "declared") as (app, _):
        rows = widget_cells(app, app.screen.query_one(Checklist))
        highlighted = cells_with(rows, "› [ ] Assess severity")
        measured = worst(highlighted, (ColorSystem.STANDARD,))
        assert measured >= READS, f"the highlighted step at {measured:.2f}:1"
