"""The coordinator's screen leaves out a probe whose `${VAR}` its environment does not
set, and says so: the toast names the variables, the row reads `not polled: variable
unset`, and no ERROR reading is recorded to meet the health trigger (ux_review8 #13)."""

from __future__ import annotations

from pathlib import Path

import pytest

from incident.core.clock import SystemClock
from store.sqlite_log import SqliteEventLog
from tests.test_unset_variables import RUNBOOK
from tests.tui.coordinator_harness import declared_on
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tests.tui.screen_text import screen_lines
from tui.app.app import LastGoodApp
from tui.app.screens.incident import IncidentScreen

UNTIL = "until lastgood is restarted with them set)"
"""The screen's environment cannot change while it runs, as `monitor`'s cannot: it said
"until set", as a verb does, though setting it in another shell changes nothing."""


async def test_the_screen_says_the_probe_is_not_polled_and_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("LG_TEST_ORDERS_HEALTH_URL", "LG_TEST_SLACK_WEBHOOK", "LG_TEST_OPS_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    db, runbook, incident_id = declared_on(tmp_path, "orders", RUNBOOK)
    with SqliteEventLog.open(db) as log:
        app = LastGoodApp(log, runbook, clock=SystemClock(), actor="ada", incident_id=incident_id)
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            screen = app.screen
            assert isinstance(screen, IncidentScreen)

            def told() -> bool:
                return any(
                    n.title == "Not set in this environment"
                    and "probe health reads LG_TEST_ORDERS_HEALTH_URL" in n.message
                    and n.message.endswith(UNTIL)
                    for n in app._notifications
                )

            await wait_until(pilot, told)
            await wait_until(pilot, lambda: "health" in screen.view.not_polled)
            assert screen.view.not_polled["health"] == "not polled: variable unset"
            row = next(line for line in screen_lines(app) if "? health " in line)
            assert "not polled: variable unset" in row, row
            assert "health" not in screen.state.samples
