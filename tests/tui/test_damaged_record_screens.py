"""A damaged record in the TUI: no coordinator's screen on it; read-only views say DAMAGED."""

from __future__ import annotations

from pathlib import Path

import pytest

from incident.core.chain import GENESIS
from store.sqlite_log import SqliteEventLog
from tests.test_damaged_record import declared_session, tamper
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tui.app.app import LastGoodApp
from tui.app.follow_app import FollowApp
from tui.app.replay_app import ReplayApp
from tui.app.screens.follow import FollowBar, FollowScreen
from tui.app.screens.incident import IncidentScreen
from tui.app.screens.replay import ReplayBar, ReplayScreen
from tui.demo.scenarios import bundled_runbook


@pytest.fixture
def damaged(tmp_path: Path) -> tuple[Path, str]:
    db = tmp_path / "lastgood.db"
    log, session = declared_session(db)
    log.close()
    tamper(
        db,
        "UPDATE events SET actor = 'mallory' WHERE incident_id = ? AND seq = 2",
        session.state.id,
    )
    return db, session.state.id


async def test_the_coordinators_screen_does_not_open_on_a_damaged_record(
    damaged: tuple[Path, str],
) -> None:
    db, incident_id = damaged
    with SqliteEventLog.open(db) as log:
        app = LastGoodApp(log, bundled_runbook(), incident_id=incident_id, network=False)
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_until(pilot, lambda: app.refusal is not None)
            assert not any(isinstance(s, IncidentScreen) for s in app.screen_stack)
        assert app.return_code == 1
        assert app.refusal == (
            f"incident {incident_id}: the record is damaged at event 2 (content does not "
            f"match its hash); run `lastgood verify {incident_id}`; nothing was recorded"
        )
        assert log.last_seq(incident_id) == 2


@pytest.mark.parametrize("width", [60, 80, 120])
async def test_attach_opens_and_says_damaged(damaged: tuple[Path, str], width: int) -> None:
    """At 80 columns the mark came last and was cut off (a review of the docs)."""
    db, incident_id = damaged
    with SqliteEventLog.open(db, read_only=True) as log:
        app = FollowApp(log, incident_id)
        async with app.run_test(size=(width, 24)) as pilot:
            await wait_for_screen(pilot, FollowScreen)
            bar = app.screen.query_one(FollowBar)
            await wait_until(pilot, lambda: "DAMAGED at event 2" in bar.render_line(0).text)


@pytest.mark.parametrize("width", [60, 80, 160])
async def test_replay_opens_and_says_damaged(damaged: tuple[Path, str], width: int) -> None:
    db, incident_id = damaged
    with SqliteEventLog.open(db, read_only=True) as log:
        events, report = log.read_chain(incident_id, GENESIS)
    app = ReplayApp(events, playing=False, damage=report)
    async with app.run_test(size=(width, 24)) as pilot:
        await wait_for_screen(pilot, ReplayScreen)
        bar = app.screen.query_one(ReplayBar)
        await wait_until(pilot, lambda: "DAMAGED at event 2" in bar.render_line(0).text)
    intact = ReplayApp(events, playing=False)
    async with intact.run_test(size=(160, 30)) as pilot:
        await wait_for_screen(pilot, ReplayScreen)
        bar = intact.screen.query_one(ReplayBar)
        await wait_until(pilot, lambda: "REPLAY" in str(bar.content))
        assert "DAMAGED" not in str(bar.content)


async def test_damage_done_while_the_screen_is_open_refuses_the_next_key(tmp_path: Path) -> None:
    """Someone edits the last event behind the coordinator's back: the key is refused
    with the one-line error, the app keeps running, and nothing is recorded."""
    db = tmp_path / "lastgood.db"
    log, session = declared_session(db)
    log.close()
    incident_id = session.state.id
    with SqliteEventLog.open(db) as log:
        app = LastGoodApp(log, bundled_runbook(), incident_id=incident_id, network=False)
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            tamper(
                db,
                "UPDATE events SET actor = 'mallory' WHERE incident_id = ? AND seq = 2",
                incident_id,
            )
            await pilot.press("space")  # check the highlighted step

            def refused() -> bool:
                return any(
                    "the record is damaged at event 2" in str(n.message) for n in app._notifications
                )

            await wait_until(pilot, refused)
            assert isinstance(app.screen, IncidentScreen)
        assert log.last_seq(incident_id) == 2
