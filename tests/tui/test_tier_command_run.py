"""Space on the database step, its tier chosen with a command, opens the run dialog.

The tier's command (`alembic downgrade` in the review) had nowhere to be written, and
the database step could only be ticked by hand (ux_review8 #9). Now the step runs the
chosen tier's command as a command step runs its own: the guidance names the key, space
opens the same dialog with the command as it will run, and `y` runs it, records it and
checks the step. The real app on a real SQLite file.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList, Static

from incident import commands
from incident.app.next_key import next_key
from incident.core.clock import SystemClock
from incident.core.state import fold
from runbooks import load_runbook
from store.sqlite_log import SqliteEventLog
from tests.tier_runbook import tier_runbook
from tests.tui.pilot_helpers import highlight, wait_for_screen, wait_until
from tui.app.app import LastGoodApp
from tui.app.modals import DatabaseTierModal
from tui.app.modals.confirm import ConfirmCommand
from tui.app.screens.incident import IncidentScreen


async def test_space_on_the_database_step_runs_the_tiers_command(tmp_path: Path) -> None:
    downgraded = tmp_path / "downgraded"
    down = f"echo downgraded to {{last_good_version}} > {downgraded}"
    runbook = load_runbook(tier_runbook(tmp_path, down))
    details = commands.Declaration(
        title="Orders failing", severity="SEV1", commander="Ada", last_good_version="4.9.2"
    )
    clock = SystemClock()
    declared = commands.declare(runbook, details, actor="ada", clock=clock)
    with SqliteEventLog.open(tmp_path / "record.db") as log:
        log.append([declared])
        state = fold(log.events(declared.incident_id))
        chosen = commands.choose_database_tier(
            state, "down-migrations", reason="0042 has a down step", actor="ada", clock=clock
        )
        log.append([chosen])
        app = LastGoodApp(log, runbook, clock=clock, actor="ada", incident_id=declared.incident_id)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            screen = app.screen
            assert isinstance(screen, IncidentScreen)
            highlight(screen, "database-rollback")
            key = next_key(screen.state, "database-rollback", screen.view.now())
            assert key is not None
            assert key.what == "confirm the tier's command, which runs and checks this"
            await pilot.press("space")
            await wait_for_screen(pilot, ConfirmCommand)
            dialog = app.screen
            assert isinstance(dialog, ConfirmCommand)
            assert dialog.command == f"echo downgraded to 4.9.2 > {downgraded}"
            assert dialog.step_title == "Execute database rollback, tier down-migrations"
            await pilot.press("y")
            await wait_until(pilot, lambda: screen.state.steps["database-rollback"].done)
        assert downgraded.read_text() == "downgraded to 4.9.2\n"
        state = fold(log.events(declared.incident_id))
    [ran] = state.commands_run
    assert (ran.step, ran.exit_code) == ("database-rollback", 0)


async def test_the_tier_dialog_says_what_the_tier_runs(tmp_path: Path) -> None:
    """The tier's guidance was all the dialog showed, and the alembic line the step's
    guidance carried was not on screen where the tier is chosen (ux_review8 #9)."""
    runbook = load_runbook(tier_runbook(tmp_path, "alembic downgrade {last_good_version}"))
    details = commands.Declaration(title="Orders failing", severity="SEV1", commander="Ada")
    clock = SystemClock()
    declared = commands.declare(runbook, details, actor="ada", clock=clock)
    with SqliteEventLog.open(tmp_path / "record.db") as log:
        log.append([declared])
        app = LastGoodApp(log, runbook, clock=clock, actor="ada", incident_id=declared.incident_id)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            highlight(app.screen, "database-rollback")
            await pilot.press("space")
            await wait_for_screen(pilot, DatabaseTierModal)
            tiers = app.screen.query_one("#tiers", OptionList)
            tiers.highlighted = 1  # down-migrations
            guidance = app.screen.query_one("#guidance", Static)
            await wait_until(pilot, lambda: "down migrations" in str(guidance.content))
            assert str(guidance.content).endswith(
                "The database step then runs: alembic downgrade {last_good_version}"
            )
            await pilot.press("escape")
