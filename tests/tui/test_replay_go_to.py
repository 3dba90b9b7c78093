"""Replay's Go to: a moment the record can show, as `replay --at` takes it (`replay_moment`);
a refusal keeps the prompt."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Label

from incident.app import lifecycle
from incident.app.session import IncidentSession
from incident.core.clock import ManualClock
from incident.core.events import format_timestamp
from incident.core.replay import REST_OF_SECOND
from store.sqlite_log import SqliteEventLog
from tests.back_dated import DECLARED, back_dated_record
from tests.back_dated import T0 as BACK_T0
from tests.cli_helpers import InProcessCli
from tests.tui.coordinator_harness import declared
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tests.tui.test_type_ahead import burst
from tui.app.modals import TextPrompt
from tui.app.modals.base import ERROR_ID
from tui.app.replay_app import ReplayApp
from tui.app.screens.replay import ReplayBar, ReplayScreen
from tui.demo.scenarios import SCENARIO_T0

CLOSED_AT = timedelta(minutes=4, seconds=28)
NOW = timedelta(minutes=7, seconds=58)


def closed_record(db: Path, closed_at: timedelta = CLOSED_AT) -> str:
    """An incident declared at SCENARIO_T0 and closed at T+04:28 (or `closed_at`)."""
    clock = ManualClock(SCENARIO_T0)
    incident_id = declared(db, clock, decided=True)
    clock.set(SCENARIO_T0 + closed_at)
    with SqliteEventLog.open(db) as log:
        session = IncidentSession(log, incident_id, clock)
        lifecycle.close(session, "ada", force=True, reason="false alarm")
    return incident_id


async def go_to(pilot: Pilot[None], typed: str) -> TextPrompt:
    """`g`, then `typed` and Enter: the prompt, answered (closed, or saying why not)."""
    app = pilot.app
    await pilot.press("g")
    await wait_for_screen(pilot, TextPrompt)
    prompt = app.screen
    assert isinstance(prompt, TextPrompt)
    prompt.query_one(Input).value = typed
    await pilot.press("enter")
    await wait_until(pilot, lambda: app.screen is not prompt or bool(prompt.error_message))
    return prompt


async def test_go_to_refuses_what_it_cannot_show_and_keeps_what_was_typed(tmp_path: Path) -> None:
    """`T+99999:999:59` showed a day in 2038, every phase OVERDUE; a bad entry closed
    the prompt and lost the text."""
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
            "T+99999:999:59": "'T+99999:999:59': minutes must be below 60 after hours.",
            "1:99:00": "'1:99:00': minutes must be below 60 after hours.",
            "abc": "'abc' is not an offset like T+12:30, T+1:02:00 or T+5 (minutes).",
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
        six = SCENARIO_T0 + timedelta(minutes=6) + REST_OF_SECOND  # the whole of that second
        await wait_until(pilot, lambda: screen.replay.clock.now() == six)
        assert screen.replay.replayer.position == len(events)


async def test_go_to_past_a_closed_incident_shows_the_end_of_its_record(tmp_path: Path) -> None:
    """Closed at T+04:28, read at T+07:58: `g 99:00` said "that moment has not come
    yet", though the record ended at the close. It shows the record's end, as End does,
    and says so, as `replay --at T+99:00` does (a review)."""
    db = tmp_path / "closed.db"
    incident_id = closed_record(db)
    with SqliteEventLog.open(db, read_only=True) as log:
        events = log.events(incident_id)
    app = ReplayApp(events, playing=False, clock=ManualClock(SCENARIO_T0 + NOW))
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await wait_for_screen(pilot, ReplayScreen)
        screen = app.screen
        assert isinstance(screen, ReplayScreen)
        await go_to(pilot, "99:00")
        await wait_until(pilot, lambda: screen.replay.clock.now() == SCENARIO_T0 + CLOSED_AT)
        assert screen.replay.replayer.position == len(events) and screen.state.is_closed
        assert "T+04:28  event 6/6" in str(screen.query_one(ReplayBar).content)  # decided: assessed
        note = "has not come yet: the record ends at T+04:28, the incident closed at T+04:28"
        assert [str(n.message) for n in app._notifications] == [f"T+1:39:00 {note}."]
    opened = ReplayApp(
        events, start_offset=timedelta(minutes=99), clock=ManualClock(SCENARIO_T0 + NOW)
    )
    assert opened.session.clock.now() == SCENARIO_T0 + CLOSED_AT
    assert opened.start_note == f"T+1:39:00 {note}"

    # the CLI says the same, of a moment still to come by the machine's clock
    ran = InProcessCli(db).run("replay", incident_id, "--at", "T+99999:00:00", "--json")
    assert ran.code == 0 and ran.err == f"lastgood replay: T+99999:00:00 {note}\n"
    assert json.loads(ran.out)["as_of"] == format_timestamp(SCENARIO_T0 + CLOSED_AT)


async def test_go_to_the_t_plus_printed_beside_the_close_shows_it_closed(tmp_path: Path) -> None:
    """Closed at T+04:28.355, printed `T+04:28`: Go to `T+04:28` is the whole of that
    second, the close in it, as `replay --at T+04:28` takes it; the second before, open."""
    db = tmp_path / "closed.db"
    incident_id = closed_record(db, CLOSED_AT + timedelta(milliseconds=355))
    with SqliteEventLog.open(db, read_only=True) as log:
        events = log.events(incident_id)
    app = ReplayApp(events, playing=False, clock=ManualClock(SCENARIO_T0 + NOW))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, ReplayScreen)
        screen = app.screen
        assert isinstance(screen, ReplayScreen)
        await go_to(pilot, "T+04:28")
        await wait_until(pilot, lambda: screen.state.is_closed)
        assert "T+04:28  event 6/6" in str(screen.query_one(ReplayBar).content)  # decided: assessed
        await go_to(pilot, "T+04:27")
        await wait_until(pilot, lambda: not screen.state.is_closed)
        assert "T+04:27  event 5/6" in str(screen.query_one(ReplayBar).content)


BEFORE = (
    "nothing was recorded before T+12:00, the declaration (T+0 is the impact start, back-dated)"
)
"""What `replay --at` says, and Go to after a capital (`said`)."""


def said(refusal: str) -> str:
    """A refusal as the prompt shows it."""
    return refusal[:1].upper() + refusal[1:] + "."


async def test_replay_of_a_back_dated_incident_shows_nothing_before_its_declaration(
    tmp_path: Path,
) -> None:
    """Declared at T+12:00.9 for an impact that began at T+0: `replay --at T+5:00`
    opened at `T+05:04 event 1/38` with the declaration on its timeline and its clocks
    running, while `--at T+5:00 --json` refused the moment (a review). Before the
    declaration nothing was recorded: the screen never stands there. It opens at the
    declaration, and Go to, `--at` and `--json` refuse an earlier moment alike."""
    record = back_dated_record(tmp_path / "back.db")
    with SqliteEventLog.open(record.db, read_only=True) as log:
        events = log.events(record.incident_id)
    read_at = ManualClock(BACK_T0 + timedelta(minutes=20))
    with pytest.raises(ValueError) as refused:
        ReplayApp(events, playing=False, start_offset=timedelta(minutes=5), clock=read_at)
    assert str(refused.value) == BEFORE
    app = ReplayApp(events, playing=False, clock=read_at)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, ReplayScreen)
        screen = app.screen
        assert isinstance(screen, ReplayScreen)
        bar = screen.query_one(ReplayBar)
        assert screen.replay.clock.now() == BACK_T0 + DECLARED
        assert "T+12:00  event 1/3" in str(bar.content)
        for typed in ("T+5:00", "T+0", "T+11:59"):
            prompt = await go_to(pilot, typed)
            assert prompt.error_message == said(BEFORE)
            assert screen.replay.clock.now() == BACK_T0 + DECLARED
            await pilot.press("escape")
            await wait_for_screen(pilot, ReplayScreen)
        await pilot.press("end")
        await go_to(pilot, "T+12:00")  # the declaration's second, to its end
        await wait_until(
            pilot,
            lambda: screen.replay.clock.now() == BACK_T0 + timedelta(minutes=12) + REST_OF_SECOND,
        )
        assert screen.replay.replayer.position == 1

    cli = InProcessCli(record.db)
    ran = cli.run("replay", record.incident_id, "--at", "T+5:00", "--json")
    assert (ran.code, ran.err) == (2, f"lastgood replay: --at T+5:00: {BEFORE}\n")


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
    moment = SCENARIO_T0 + timedelta(minutes=2, seconds=10) + REST_OF_SECOND
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
