"""The declare form's placeholders read as hints, not as values typed in.

At 80x24 the empty From version, Last-good version and Channel fields showed `bad`,
`target` and `#incident` in the grey of a value's shadow (3.25:1): words a coordinator
could take for what was recorded. Now each says "e.g.", is slanted, and reads (4.5:1,
WCAG AA) while staying dimmer than a value, in millions, 256 and sixteen colours and
under NO_COLOR, measured on the app's frame (`tests/tui/contrast.py`).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from store.sqlite_log import SqliteEventLog
from tests.tui.contrast import (
    READS,
    TERMINALS,
    Cell,
    contrast_of,
    depths,
    widget_cells,
)
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tui.app.app import LastGoodApp
from tui.app.modals.declare import DeclareModal
from tui.demo.scenarios import bundled_runbook

EXAMPLES = {"from_version": "e.g. 2.4.1", "last_good_version": "e.g. 2.4.0"}


def drawn(app: LastGoodApp, field: Input) -> list[Cell]:
    """The visible characters on the field's line."""
    return [cell for cell in widget_cells(app, field)[0] if not cell.char.isspace()]


@pytest.mark.parametrize("terminal", TERMINALS, indirect=True)
async def test_a_placeholder_reads_as_a_hint(tmp_path: Path, terminal: str) -> None:
    with SqliteEventLog.open(tmp_path / "empty.db") as log:
        app = LastGoodApp(log, bundled_runbook(), actor="ada", network=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for_screen(pilot, DeclareModal)
            await wait_until(pilot, lambda: isinstance(app.focused, Input))
            fields = list(app.screen.query(Input))
            for field in fields:
                field.cursor_blink = False
            await pilot.pause()
            runbook = app.screen.query_one("#runbook", Input)
            assert runbook.value == "rollback"
            value = drawn(app, runbook)  # a value, as typed
            hints = [f for f in fields if not f.value and f.placeholder]
            assert {f.id for f in hints} >= {*EXAMPLES, "channel", "eta", "title"}
            for field in hints:
                cells = drawn(app, field)[1 if field.has_focus else 0 :]  # the cursor's cell
                shown = field.placeholder.replace(" ", "")[1 if field.has_focus else 0 :]
                assert "".join(c.char for c in cells) == shown, field.id
                assert all(cell.style.italic for cell in cells), (field.id, terminal)
                for depth in depths(terminal):
                    hint = contrast_of(cells, depth)
                    assert hint >= READS, (field.id, depth, f"{hint:.2f}:1")
                    if not field.has_focus:
                        assert hint < contrast_of(value, depth), (field.id, depth)
            words = {f.id: f.placeholder for f in hints}
            for field_id, example in EXAMPLES.items():
                assert words[field_id] == example
            assert words["channel"].startswith("e.g. #")
