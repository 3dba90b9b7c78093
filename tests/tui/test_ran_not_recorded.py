"""A command that ran on the coordinator's screen and whose result could not be
recorded says that it ran: "Not recorded" alone read as "nothing happened", and the
rollback would be run a second time (`lastgood run` says the same, exit 3)."""

from __future__ import annotations

from pathlib import Path

from incident import commands
from incident.core.clock import SystemClock
from store.sqlite_log import SqliteEventLog
from tests.tui.coordinator_harness import declared_on
from tests.tui.pilot_helpers import from_palette, wait_for_screen, wait_until
from tui.app.app import LastGoodApp
from tui.app.modals import ConfirmCommand
from tui.app.screens.incident import IncidentScreen

RUNBOOK = """\
runbook: ran-test
title: Ran test
phases:
  - id: act
    title: Act
    window: [0, 30]
    steps:
      - id: roll-back
        title: Roll back
        kind: command
        command: "touch {started}; while [ ! -e {go} ]; do sleep 0.05; done"
"""


async def test_a_command_whose_result_is_refused_says_it_ran(tmp_path: Path) -> None:
    started, go = tmp_path / "started", tmp_path / "go"
    db, runbook, _ = declared_on(tmp_path, "ran", RUNBOOK.format(started=started, go=go))
    with SqliteEventLog.open(db) as log:
        app = LastGoodApp(log, runbook, actor="ada", network=False)
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            screen = app.screen
            assert isinstance(screen, IncidentScreen)
            await from_palette(pilot, "Run command")
            await wait_for_screen(pilot, ConfirmCommand)
            await pilot.press("y")
            await wait_until(pilot, started.exists, timeout=10)
            with SqliteEventLog.open(db) as other:  # another terminal checks it meanwhile
                other.append(
                    [
                        commands.check_step(
                            screen.recorder.session.state,
                            "roll-back",
                            actor="bo",
                            clock=SystemClock(),
                        )
                    ]
                )
            go.touch()

            def told() -> list[str]:
                return [n.message for n in app._notifications if n.title == "Not recorded"]

            await wait_until(pilot, lambda: bool(told()), timeout=10)
            [message] = told()
            assert message.startswith("The command ran (exit 0) but was not recorded: ")
            assert "Do not run it again" in message


def test_a_failed_command_is_told_to_be_noted_not_checked() -> None:
    """The step stays open after a command that failed or did not verify; the toast
    said to check it (`lastgood run` says to note it), a review found."""
    from tui.app.screens.checking import ran_not_recorded

    assert "check the step" in ran_not_recorded(0, True, "database is locked")
    for code, verified in ((1, True), (0, False)):
        told = ran_not_recorded(code, verified, "database is locked")
        assert "add a note" in told and "check the step" not in told
