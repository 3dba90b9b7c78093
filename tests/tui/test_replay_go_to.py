"""Replay's Go to: a moment that has come, as `replay --at` asks; a refusal keeps the prompt."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from textual.widgets import Input, Label

from incident.app import lifecycle
from incident.app.session import IncidentSession
from incident.core.clock import ManualClock
from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import InProcessCli
from tests.tui.coordinator_harness import declared
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tests.tui.test_type_ahead import burst
from tui.app.modals import TextPrompt
from tui.app.modals.base import ERROR_ID
from tui.app.replay_app import ReplayApp
from tui.app.screens.replay import ReplayScreen
from tui.demo.scenarios import SCENARIO_T0

CLOSED_AT = timedelta(minutes=4, seconds=28)
NOW = timedelta(minutes=7, seconds=58)


def closed_record(db: Path) -> str:
    """An incident declared at SCENARIO_T0 and closed at T+04:28."""
    clock = ManualClock(SCENARIO_T0)
    incident_id = declared(db, clock, decided=True)
    clock.set(SCENARIO_T0 + CLOSED_AT)
    with SqliteEventLog.open(db) as log:
        session = IncidentSession(log, incident_id, clock)
        lifecycle.close(session, "ada", force=True, reason="false alarm")
    return incident_id


async def test_go_to_refuses_a_moment_to_come_and_keeps_what_was_typed(tmp_path: Path) -> None:
    """`g 99:00` on a record ending T+04:28, at T+07:58, showed T+1:39:00 with stale
    probes, and `T+99999:999:59` a day in 2038, every phase OVERDUE, while
    `replay --at T+99:00` refuses; a bad entry closed the prompt and lost the text."""
    db = tmp_path / "closed.db"
    incident_id = closed_record(db)
    with SqliteEventLog.open(db, read_only=True) as log:
        events = log.events(incident_id)
    clock = ManualClock(SCENARIO_T0 + NOW)
    app = ReplayApp(events, playing=False, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, ReplayScreen)
        screen = app.screen
        assert isinstance(screen, ReplayScreen)
        at_first = screen.replay.clock.now()
        await pilot.press("g")
        await wait_for_screen(pilot, TextPrompt)
        prompt = app.screen
        answer = prompt.query_one(Input)
        error = prompt.query_one(f"#{ERROR_ID}", Label)
        refusals = {
            "99:00": "That moment has not come yet (it is T+07:58 now).",
            "T+99999:999:59": "'T+99999:999:59': minutes must be below 60 after hours.",
            "1:99:00": "'1:99:00': minutes must be below 60 after hours.",
            "abc": "'abc' is not an offset like T+12:30 or T+1:02:00.",
        }
        for typed, said in refusals.items():
            answer.value = typed
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen is prompt and answer.value == typed
            assert str(error.render()) == said and error.display
            assert screen.replay.clock.now() == at_first
        answer.value = "06:00"  # past the close, and come: as `replay --at T+06:00` shows
        await pilot.press("enter")
        await wait_for_screen(pilot, ReplayScreen)
        await wait_until(
            pilot, lambda: screen.replay.clock.now() == SCENARIO_T0 + timedelta(minutes=6)
        )
        assert screen.replay.replayer.position == len(events)

    cli = InProcessCli(db)
    # the CLI says the same for the same moment (its "now" is the machine's, later)
    refused = cli.run("replay", incident_id, "--at", "T+99999:00:00", "--json")
    assert refused.code == 2 and "that moment has not come yet (it is T+" in refused.err


@pytest.mark.parametrize("opened", [False, True], ids=["with-g", "into-the-open-prompt"])
async def test_go_to_typed_in_one_burst_with_its_enter(tmp_path: Path, opened: bool) -> None:
    """`g`, the moment and Enter in one burst (tmux send-keys, a paste without
    bracketed paste): the field showed `T+02:10` and the prompt said "An answer is
    required", Enter taken before the field had the keys typed before it; typed with
    `g`, the moment went to the checklist beneath and the prompt opened empty (a
    review). The replay app holds keys typed ahead, as the coordinator's does."""
    db = tmp_path / "burst.db"
    incident_id = closed_record(db)
    with SqliteEventLog.open(db, read_only=True) as log:
        events = log.events(incident_id)
    app = ReplayApp(events, playing=False, clock=ManualClock(SCENARIO_T0 + NOW))
    moment = SCENARIO_T0 + timedelta(minutes=2, seconds=10)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, ReplayScreen)
        screen = app.screen
        assert isinstance(screen, ReplayScreen)
        if opened:
            await pilot.press("g")
            await wait_for_screen(pilot, TextPrompt)
            burst(pilot, "T+02:10", "enter")
        else:
            burst(pilot, "g", "T+02:10", "enter")

        def answered() -> bool:
            top = app.screen
            if isinstance(top, TextPrompt):  # refused, once it is up
                return bool(top.query(f"#{ERROR_ID}")) and bool(top.error_message)
            return top is screen and screen.replay.clock.now() == moment

        await wait_until(pilot, answered)
        top = app.screen
        said = (
            (top.error_message, top.query_one(Input).value) if isinstance(top, TextPrompt) else None
        )
        assert said is None and screen.replay.clock.now() == moment
        assert screen.speed == 1  # its `+` was typed into the prompt
