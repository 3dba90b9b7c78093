"""A Markdown task's fenced command in the guidance panel: shown as a command, indented,
without its ``` lines (ux_review8 #4: the panel drew the fences as text, and at 80x24
the command fell below the fold behind them)."""

from __future__ import annotations

from pathlib import Path

from incident.core.clock import ManualClock
from runbooks.loading import load_runbook
from store.sqlite_log import SqliteEventLog
from tests.tui.coordinator_harness import declared
from tests.tui.due_harness import highlight
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tui.app.app import LastGoodApp
from tui.app.screens.incident import IncidentScreen
from tui.app.widgets.guidance import Guidance
from tui.demo.scenarios import SCENARIO_T0

PLAN = """\
## Rollback: application (T+0 to T+30 minutes)

- [ ] **Freeze deploys:** Pause the storefront pipeline in CI.
- [ ] **Switch traffic back:** Point the load balancer at blue (3.1.4).

  ```
  lbctl switch storefront --to blue
  ```
"""


async def test_the_fenced_command_is_drawn_indented_without_its_fences(tmp_path: Path) -> None:
    plan = tmp_path / "storefront-plan.md"
    plan.write_text(PLAN, encoding="utf-8")
    db = tmp_path / "fence.db"
    clock = ManualClock(SCENARIO_T0)
    incident_id = declared(db, clock, decided=False, runbook=load_runbook(plan))
    with SqliteEventLog.open(db) as log:
        app = LastGoodApp(log, None, clock=clock, actor="ada", incident_id=incident_id)
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            screen = app.screen
            assert isinstance(screen, IncidentScreen)
            guidance = screen.query_one(Guidance)
            highlight(screen, "switch-traffic-back")
            await wait_until(pilot, lambda: "lbctl" in guidance._text.plain)
            await pilot.pause()
            drawn = [line.text.rstrip() for line in guidance._lines]
    assert not any("```" in line for line in drawn), drawn
    assert "    lbctl switch storefront --to blue" in drawn, repr(drawn)
