"""The "Command failed" toast quotes the failed command's output as it is recorded, its
runbook secrets as `***` (ux_review12 #11: docs/RELIABILITY.md still said the toast
showed the raw tail, unrecorded)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets._toast import Toast

from store.sqlite_log import SqliteEventLog
from tests.tui.coordinator_harness import declared_on
from tests.tui.pilot_helpers import from_palette, wait_for_screen, wait_until
from tui.app.app import LastGoodApp
from tui.app.modals import ConfirmCommand
from tui.app.screens.incident import IncidentScreen

SECRET = "hooksecret-ZYXWVUT98765"
RUNBOOK = """\
runbook: fail-test
title: Fail test
notify:
  targets:
    - {name: ops, kind: json, url: "http://127.0.0.1:9/hook",
       headers: {Authorization: "Bearer ${HOOK_SECRET}"}}
phases:
  - id: act
    title: Act
    window: [0, 30]
    steps:
      - id: roll-back
        title: Roll back
        kind: command
        command: "echo deploying with token=$HOOK_SECRET; exit 3"
"""


@pytest.mark.parametrize(("rows", "toast_rows"), [(30, 3), (40, 5)])
async def test_the_toast_quotes_the_redacted_output_as_far_as_it_has_room(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows: int, toast_rows: int
) -> None:
    monkeypatch.setenv("HOOK_SECRET", SECRET)
    db, runbook, _ = declared_on(tmp_path, "fail", RUNBOOK)
    with SqliteEventLog.open(db) as log:
        app = LastGoodApp(log, runbook, actor="ada", network=False)
        async with app.run_test(size=(100, rows), notifications=True) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            await from_palette(pilot, "Run command")
            await wait_for_screen(pilot, ConfirmCommand)
            await pilot.press("y")
            await wait_until(
                pilot,
                lambda: any(n.title == "Command failed" for n in app._notifications),
                timeout=15,
            )
            (failed,) = [n for n in app._notifications if n.title == "Command failed"]
            assert failed.message.endswith("\ndeploying with token=***\n")
            assert SECRET not in failed.message
            await wait_until(pilot, lambda: bool(app.screen.query(Toast)))
            toast = app.screen.query(Toast).last()
            await wait_until(pilot, lambda: toast.size.height > 0)
            assert toast.size.height == toast_rows
