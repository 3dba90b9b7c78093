"""A command step run on the coordinator's screen records its output without the
password of the database the app was started on (`lastgood start --db URL`), as
`lastgood run` leaves it out: the screen passed no database, so it was recorded whole."""

from __future__ import annotations

import json
from pathlib import Path

from store.sqlite_log import SqliteEventLog
from tests.tui.coordinator_harness import declared_on
from tests.tui.pilot_helpers import from_palette, wait_for_screen, wait_until
from tui.app.app import LastGoodApp
from tui.app.modals import ConfirmCommand
from tui.app.screens.incident import IncidentScreen

PASSWORD = "db-Passw0rd-77"
STARTED_ON = f"postgresql://coordinator:{PASSWORD}@db.example/incidents"
RUNBOOK = """\
runbook: echo-test
title: Echo test
phases:
  - id: act
    title: Act
    window: [0, 30]
    steps:
      - id: roll-back
        title: Roll back
        kind: command
        command: "echo connecting to $(cat {url_file})"
"""


async def test_the_database_password_is_not_recorded_from_a_commands_output(tmp_path: Path):
    url_file = tmp_path / "url.txt"  # what a deploy script might print of its config
    url_file.write_text(STARTED_ON)
    db, runbook, incident_id = declared_on(tmp_path, "echo", RUNBOOK.format(url_file=url_file))
    with SqliteEventLog.open(db) as log:
        app = LastGoodApp(log, runbook, actor="ada", network=False, record_location=STARTED_ON)
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            screen = app.screen
            assert isinstance(screen, IncidentScreen)
            await from_palette(pilot, "Run command")
            await wait_for_screen(pilot, ConfirmCommand)
            await pilot.press("y")
            await wait_until(pilot, lambda: screen.state.steps["roll-back"].done)
    with SqliteEventLog.open(db, read_only=True) as log:
        recorded = json.dumps([e.payload for e in log.events(incident_id)])
    assert "connecting to postgresql://coordinator:***@db.example" in recorded
    assert PASSWORD not in recorded
