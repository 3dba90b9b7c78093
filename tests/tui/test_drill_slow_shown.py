"""A slow release shows as slow on the drill's screen (review 3, finding 27).

The slow-release drill's health row read `● health  OK  791ms`, green, with no trigger
near: nothing on the screen supported the decision the player is scored on. The
drill's runbook reads the health check's own time against 500 ms, as a threshold on
the row and as a rollback trigger. Real shop, real probes, real clock.
"""

from __future__ import annotations

from pathlib import Path

from incident.core.clock import SystemClock
from incident.reports.drill_faults import FaultName, fault_named
from store.sqlite_log import SqliteEventLog
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tests.tui.screen_text import screen_lines
from tui.app.app import LastGoodApp
from tui.app.screens.incident import IncidentScreen
from tui.demo.faults import SHOP_FAULTS
from tui.demo.launch import declare_drill, write_demo_runbook
from tui.demo.shop import DemoService


async def test_the_slow_release_drill_shows_its_health_check_slow(tmp_path: Path) -> None:
    fault = fault_named("slow-release")
    service = DemoService(fault=SHOP_FAULTS[FaultName.SLOW_RELEASE], synthetic_rps=0)
    with service:
        runbook = write_demo_runbook(service.url, tmp_path)
        log = SqliteEventLog.open(tmp_path / "drill.db")
        incident_id = declare_drill(log, runbook, "ada", fault=fault)
        app = LastGoodApp(log, runbook, clock=SystemClock(), actor="ada", incident_id=incident_id)
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            screen = app.screen
            assert isinstance(screen, IncidentScreen)

            def slow_met() -> bool:
                mark = screen.state.triggers.get("health-slow")
                return mark is not None and mark.met

            await wait_until(pilot, slow_met, timeout=30)
            await pilot.pause()
            lines = screen_lines(app)
            row = next(line for line in lines if "health " in line and " ms" in line)
            assert "✖ health" in row and "FAILING" in row and "> 500 ms" in row, row
            assert any("Trigger health-slow met: health " in line for line in lines), lines
