"""The run dialog shows the command as it will run: `{last_good_version}` filled in.

The review saw `worker=registry.internal/mailer:{last_good_version}` in the dialog, and
that literal line ran (ux_review8 #6)."""

from __future__ import annotations

from pathlib import Path

from incident import commands
from incident.core.clock import SystemClock
from runbooks import load_runbook
from store.sqlite_log import SqliteEventLog
from tests.tui.pilot_helpers import highlight, wait_for_screen, wait_until
from tests.worker_runbook import runbook_file
from tui.app.app import LastGoodApp
from tui.app.modals.confirm import ConfirmCommand
from tui.app.screens.incident import IncidentScreen

COMMAND = "kubectl set image cronjob/mailer worker=mailer:{last_good_version}"


async def test_the_run_dialog_shows_the_version_filled_in(tmp_path: Path) -> None:
    runbook = load_runbook(runbook_file(tmp_path, COMMAND, verify=None))
    details = commands.Declaration(
        title="Mailer down", severity="SEV2", commander="Ada", last_good_version="4.9.2"
    )
    clock = SystemClock()
    event = commands.declare(runbook, details, actor="ada", clock=clock)
    with SqliteEventLog.open(tmp_path / "record.db") as log:
        log.append([event])
        app = LastGoodApp(log, runbook, clock=clock, actor="ada", incident_id=event.incident_id)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            highlight(app.screen, "redeploy")
            await pilot.press("space")
            await wait_for_screen(pilot, ConfirmCommand)
            dialog = app.screen
            assert isinstance(dialog, ConfirmCommand)
            assert dialog.command == "kubectl set image cronjob/mailer worker=mailer:4.9.2"
            await pilot.press("n")


async def test_declared_without_the_version_the_screen_says_to_run_it_by_hand(
    tmp_path: Path,
) -> None:
    """Declared without the last-good version (no longer refused): the screen says as it
    opens which commands name what was left out, and nothing of them runs."""
    runbook = load_runbook(runbook_file(tmp_path, COMMAND, verify=None))
    details = commands.Declaration(title="Mailer down", severity="SEV2", commander="Ada")
    clock = SystemClock()
    event = commands.declare(runbook, details, actor="ada", clock=clock)
    with SqliteEventLog.open(tmp_path / "record.db") as log:
        log.append([event])
        app = LastGoodApp(log, runbook, clock=clock, actor="ada", incident_id=event.incident_id)
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            await wait_until(
                pilot,
                lambda: any(n.title == "Commands to run by hand" for n in app._notifications),
            )
            [said] = [n.message for n in app._notifications if n.title == "Commands to run by hand"]
            assert "({last_good_version} in redeploy: no last-good version was given)" in said
