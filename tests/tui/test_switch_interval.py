"""While the app is up, a thread gives the interpreter's lock up within 1 ms, not 5.

The screen, Textual's input and frame-writing threads and the recorder take turns
with the lock on the way from a key to its frame; the interval is given back when
the app goes, so what runs on in the same process runs as it did.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tests.scenario_copies import scenario_copy
from tests.tui.pilot_helpers import scenario_app, wait_for_screen
from tui.app.frames_first import SWITCH_INTERVAL_S
from tui.app.screens.incident import IncidentScreen


async def test_the_app_shortens_the_switch_interval_while_it_is_up(tmp_path: Path) -> None:
    before = sys.getswitchinterval()
    assert before != SWITCH_INTERVAL_S  # the process's own, which the app must give back
    scenario = scenario_copy("declared", tmp_path / "switch.db")
    app = scenario_app(scenario)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        assert sys.getswitchinterval() == SWITCH_INTERVAL_S
    assert sys.getswitchinterval() == before
