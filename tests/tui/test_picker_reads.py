"""The picker reads each incident as `lastgood list` does, streamed, before its screen.

It folded every incident's whole record decoded (`events`: each probe tick's samples
too), on the event loop, before the first screen; `list` streamed the same records
with their ticks in runs (`opening_items`). Both call `listing.incident_state` now.
A real SQLite file: the demo's mid-Phase-2 scenario, a tick every 5 s, and a second
incident just declared.
"""

from __future__ import annotations

from pathlib import Path

from incident import commands
from tests.reads_seen import ReadsSeen
from tests.scenario_copies import scenario_copy
from tests.tui.pilot_helpers import wait_for_screen
from tui.app.app import LastGoodApp
from tui.app.modals import IncidentPicker
from tui.demo.scenarios import DECLARATION


async def test_the_picker_streams_each_incident_as_list_does(tmp_path: Path) -> None:
    scenario = scenario_copy("mid-phase-2", tmp_path / "two.db")
    declared = commands.declare(
        scenario.runbook, DECLARATION, actor="ada", clock=scenario.clock, incident_id="INC-2"
    )
    scenario.log.append([declared])
    seen = ReadsSeen(scenario.log)
    app = LastGoodApp(
        seen,  # type: ignore[arg-type]
        scenario.runbook,
        clock=scenario.clock,
        actor="ada",
        network=False,
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, IncidentPicker)
        assert seen.names() == ["opening_items", "opening_items"]  # before: "events" twice
    scenario.log.close()
