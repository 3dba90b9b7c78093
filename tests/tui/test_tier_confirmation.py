"""A data-losing database tier chosen before the rollback decision asks first.

The rule ("is the decision recorded?") is the application's (`database_tiers.tier_warning`);
the TUI asks it and shows the existing ConfirmModal. Both ways: before the
decision, `n` records nothing and `y` records the choice; after it, no question.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from incident.app import database_tiers, steps
from incident.core.clock import ManualClock
from incident.core.state import fold
from store.sqlite_log import SqliteEventLog
from tests.tui.coordinator_harness import declared, guide
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tui.app.app import LastGoodApp
from tui.app.modals import ConfirmModal, DatabaseTierModal
from tui.app.screens.incident import IncidentScreen
from tui.demo.scenarios import SCENARIO_T0

REASON = "the new column is already written to"


async def choose(pilot: Pilot[None], screen: IncidentScreen, tier: str) -> None:
    """From the database step: b, the tier, a reason, ctrl+s."""
    await guide(pilot, screen, "database-rollback")
    await pilot.press("b")
    await wait_for_screen(pilot, DatabaseTierModal)
    tiers = pilot.app.screen.query_one("#tiers", OptionList)
    tiers.highlighted = next(
        i for i in range(tiers.option_count) if tiers.get_option_at_index(i).id == tier
    )
    pilot.app.screen.query_one("#reason", Input).value = REASON
    await pilot.press("ctrl+s")


def opened(db: Path, *, decided: bool) -> tuple[LastGoodApp, str]:
    clock = ManualClock(SCENARIO_T0)
    incident_id = declared(db, clock, decided=decided)
    log = SqliteEventLog.open(db)
    return LastGoodApp(log, None, clock=clock, actor="ada", incident_id=incident_id), incident_id


async def test_before_the_decision_a_data_losing_tier_asks_first(tmp_path: Path) -> None:
    db = tmp_path / "tier.db"
    app, incident_id = opened(db, decided=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        screen = app.screen
        assert isinstance(screen, IncidentScreen)
        await pilot.press("]")
        await choose(pilot, screen, "down-migrations")
        await wait_for_screen(pilot, ConfirmModal)
        assert "not recorded yet" in app.screen.question
        await pilot.press("n")
        await wait_for_screen(pilot, IncidentScreen)
        assert screen.state.tier_choice is None

        await choose(pilot, screen, "down-migrations")
        await wait_for_screen(pilot, ConfirmModal)
        await pilot.press("y")
        await wait_until(pilot, lambda: screen.state.tier_choice is not None)
    with SqliteEventLog.open(db, read_only=True) as log:
        state = fold(log.events(incident_id))
    assert state.tier_choice is not None
    assert (state.tier_choice.tier, state.tier_choice.reason) == ("down-migrations", REASON)
    # Chosen from its step, but down migrations are work to do: the step waits for them
    # (checked at once, the report said the database was rolled back when nothing had run).
    assert not state.steps["database-rollback"].done


async def test_after_the_decision_or_without_data_loss_nothing_is_asked(tmp_path: Path) -> None:
    app, _ = opened(tmp_path / "decided.db", decided=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        screen = app.screen
        assert isinstance(screen, IncidentScreen)
        await pilot.press("]")
        await choose(pilot, screen, "restore-backup")
        await wait_until(pilot, lambda: screen.state.tier_choice is not None)
        assert isinstance(app.screen, IncidentScreen)
        assert screen.state.tier_choice is not None
        assert screen.state.tier_choice.tier == "restore-backup"
        # Leadership has still to approve this tier: the step waits, unchecked.
        assert not screen.state.steps["database-rollback"].done


def test_the_rule_reads_the_decision_and_the_tier(tmp_path: Path) -> None:
    clock = ManualClock(SCENARIO_T0)
    before = declared(tmp_path / "before.db", clock, decided=False)
    after = declared(tmp_path / "after.db", clock, decided=True)
    with SqliteEventLog.open(tmp_path / "before.db", read_only=True) as log:
        undecided = fold(log.events(before))
    with SqliteEventLog.open(tmp_path / "after.db", read_only=True) as log:
        decided = fold(log.events(after))
    assert not steps.decision_recorded(undecided) and steps.decision_recorded(decided)
    assert database_tiers.tier_warning(undecided, "none") is None
    assert "may lose data" in (database_tiers.tier_warning(undecided, "down-migrations") or "")
    assert "will lose data" in (database_tiers.tier_warning(undecided, "restore-backup") or "")
    assert database_tiers.tier_warning(decided, "restore-backup") is None


@pytest.mark.parametrize(("tier", "checked"), [("none", True), ("down-migrations", False)])
async def test_from_its_step_only_the_tier_with_nothing_to_do_checks_it(
    tmp_path: Path, tier: str, checked: bool
) -> None:
    """The guide's best case, no database rollback, is the choice alone: the step is
    checked with it. Down migrations leave it open, said so, until it is checked once
    they have run, as `lastgood db-tier` leaves it."""
    app, _ = opened(tmp_path / "tier.db", decided=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        screen = app.screen
        assert isinstance(screen, IncidentScreen)
        await pilot.press("]")
        await choose(pilot, screen, tier)
        await wait_until(pilot, lambda: screen.state.tier_choice is not None)
        toasts = [str(n.message) for n in app._notifications]
        assert screen.state.steps["database-rollback"].done is checked, toasts
        left = "database-rollback left open: check it once the tier is carried out"
        assert any(left in toast for toast in toasts) is not checked, toasts
        if not checked:  # once they have run: space on the step checks it
            await guide(pilot, screen, "database-rollback")
            await pilot.press("space")
            await wait_until(pilot, lambda: screen.state.steps["database-rollback"].done)


async def test_b_on_a_settled_database_step_says_who_settled_it_not_a_picker(
    tmp_path: Path,
) -> None:
    """The step done, `b` opened the tier picker and the choice was then refused ("reopen
    it first"); it now says who chose which tier, when and why, and the way on."""
    app, _ = opened(tmp_path / "settled.db", decided=True)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        screen = app.screen
        assert isinstance(screen, IncidentScreen)
        await pilot.press("]")
        await choose(pilot, screen, "none")
        await wait_until(pilot, lambda: screen.state.steps["database-rollback"].done)
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, IncidentScreen)  # no picker
        [said] = [n.message for n in app._notifications if n.title == "Database step done"]
        assert said.startswith(f"ada chose tier none at T+00:00 ({REASON})"), said
        assert said.endswith(
            "reopen “Execute database rollback (if absolutely necessary)” (u on it)."
        ), said
