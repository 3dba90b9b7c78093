"""In the dialogs, what the decision turns on and what a field asks for read.

Contrast measured from the app's frame (`tests/tui/contrast.py`) in the default
theme (millions and 256 colours), under NO_COLOR and in sixteen colours.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from tests.tui.contrast import (
    READS,
    TERMINALS,
    cells_with,
    contrast_of,
    depths,
    incident_at,
    row_text,
    screen_cells,
    widget_cells,
    worst,
)
from tests.tui.pilot_helpers import wait_for_screen
from tests.tui.test_snapshots import highlight_then
from tui.app.modals.decision import DecisionModal


@pytest.mark.parametrize("terminal", TERMINALS, indirect=True)
async def test_met_is_the_most_legible_part_of_the_highlighted_trigger(
    tmp_path: Path, terminal: str
) -> None:
    """`● MET  Error rate > 5%` under the highlight: MET was pink on the highlight's
    blue, 1.41:1 (1.77:1 under NO_COLOR)."""
    async with incident_at(tmp_path, "declared") as (app, pilot):
        await highlight_then("decide-rollback", "d")(pilot)
        await wait_for_screen(pilot, DecisionModal)
        row = next(row for row in screen_cells(app) if "› ● MET" in row_text(row))
        met = cells_with([row], "● MET")
        title = cells_with([row], "Error rate")
        for depth in depths(terminal):
            assert contrast_of(met, depth) >= max(READS, contrast_of(title, depth)), depth


@pytest.mark.parametrize("terminal", TERMINALS, indirect=True)
async def test_a_placeholder_reads_in_a_focused_field(tmp_path: Path, terminal: str) -> None:
    """The placeholder "why" under Reason in the skip dialog, the field focused: 1.7:1
    in 256 colours."""
    async with incident_at(tmp_path, "declared") as (app, pilot):
        await highlight_then("assess-severity", "s")(pilot)
        reason = app.screen.focused
        assert isinstance(reason, Input) and reason.placeholder == "why" and not reason.value
        reason.cursor_blink = False
        await pilot.pause()
        placeholder = cells_with(widget_cells(app, reason), "why")[1:]  # "w" is the cursor's
        measured = worst(placeholder, depths(terminal))
        assert measured >= READS, f"the placeholder at {measured:.2f}:1"
