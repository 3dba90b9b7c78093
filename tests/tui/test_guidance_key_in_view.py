"""The key to press next is always in the guidance panel, whole or saying it goes on.

At 80x24 a step's hint showed as `▸ Press space:` with the rest below the panel's
last row; at 60x20 the panel has two or three rows, and under a two-line title the
"what to press" line did not show at all. The title and the hint now stay at the top
of the panel, the rest scrolling under them; where both do not fit, the hint alone
(the title is the checklist's highlighted row).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from incident.app.next_key import next_key
from tests.tui.coordinator_harness import coordinator, guide
from tests.tui.screen_text import screen_lines
from tui.app.app import LastGoodApp
from tui.app.widgets.guidance import Guidance


def panel_rows(app: LastGoodApp) -> list[str]:
    """The guidance panel's rows as the terminal shows them."""
    box = app.screen.query_one(Guidance).scrollable_content_region
    return [line[box.x : box.right].strip() for line in screen_lines(app)[box.y : box.bottom]]


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_the_next_key_is_in_view_on_every_step(tmp_path: Path, size: tuple[int, int]) -> None:
    async with coordinator(tmp_path / "keys.db", size=size) as (app, pilot, screen):
        guidance = screen.query_one(Guidance)
        first_phase = screen.state.runbook.phases[0]
        assert len(first_phase.steps) == 7, first_phase.steps  # the guide's Phase 1
        for step in [s.id for s in first_phase.steps]:  # the runbook's own, in order
            await guide(pilot, screen, step)
            await pilot.pause()
            key = next_key(screen.state, step, screen.view.now())
            assert key is not None, step
            rows = panel_rows(app)
            start = next((i for i, row in enumerate(rows) if row.startswith("▸ ")), None)
            assert start is not None, (step, rows)
            shown = " ".join(rows[start:])
            assert shown.startswith(f"▸ Press {key.key}: "), (step, rows)
            hint = f"▸ {key.hint}"
            if not shown.startswith(hint):  # cut by the panel's height: and it says so
                assert rows[-1].endswith("…") and rows[-1] == rows[start:][-1], (step, rows)
                assert hint.startswith(shown[:-1].rstrip()), (step, rows)
            # Scrolled to its end, the panel still names the key.
            guidance.scroll_end(animate=False, immediate=True)
            await pilot.pause()
            assert any(row.startswith(f"▸ Press {key.key}:") for row in panel_rows(app)), step
