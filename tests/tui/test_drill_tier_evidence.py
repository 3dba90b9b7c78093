"""The irreversible-migration drill's tier dialog shows what rolling back undoes
(review 3, finding 2): the fact the tier is scored on, where the player chooses it."""

from __future__ import annotations

from pathlib import Path

from incident.core.clock import SystemClock
from incident.reports.drill_faults import FaultName, fault_named
from store.sqlite_log import SqliteEventLog
from tests.tui.pilot_helpers import wait_for_screen
from tests.tui.screen_text import screen_lines
from tui.app.app import LastGoodApp
from tui.app.modals.database_tier import DatabaseTierModal
from tui.app.screens.incident import IncidentScreen
from tui.demo.faults import SHOP_FAULTS
from tui.demo.launch import declare_drill, write_demo_runbook
from tui.demo.shop import DemoService


async def test_the_tier_dialog_shows_the_migration_the_tier_hinges_on(tmp_path: Path) -> None:
    name = FaultName.IRREVERSIBLE_MIGRATION
    with DemoService(fault=SHOP_FAULTS[name], synthetic_rps=0) as service:
        runbook = write_demo_runbook(service.url, tmp_path)
        log = SqliteEventLog.open(tmp_path / "drill.db")
        incident_id = declare_drill(log, runbook, "ada", fault=fault_named(name))
        app = LastGoodApp(log, runbook, clock=SystemClock(), actor="ada", incident_id=incident_id)
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            await pilot.press("b")
            await wait_for_screen(pilot, DatabaseTierModal)
            await pilot.pause()
            shown = " ".join(" ".join(line.strip(" │") for line in screen_lines(app)).split())
    assert "What the rollback undoes: 2.4.1 → 2.4.0 undoes 3 commits and 1 migration" in shown
    assert "(1 flagged); suggested tier none: expand-only migrations" in shown
