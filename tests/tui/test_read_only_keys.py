"""The read-only views' keys (replay, attach): what help lists is what they do."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from incident.core.clock import ManualClock
from store.sqlite_log import SqliteEventLog
from tests.scenario_copies import scenario_copy
from tests.tui.coordinator_harness import declared
from tests.tui.pilot_helpers import wait_for_screen
from tui.app.follow_app import FollowApp
from tui.app.modals import HelpModal
from tui.app.read_only_app import ReadOnlyApp
from tui.app.replay_app import ReplayApp
from tui.app.screens.follow import FollowScreen
from tui.app.screens.replay import ReplayScreen
from tui.app.widgets.checklist import Checklist
from tui.app.widgets.guidance import Guidance
from tui.demo.scenarios import SCENARIO_ID, SCENARIO_T0


@pytest.fixture
def closed_db(tmp_path: Path) -> Path:
    scenario = scenario_copy("closed", tmp_path / "closed.db")
    scenario.log.close()
    return tmp_path / "closed.db"


async def help_rows(app: ReadOnlyApp, screen: type[object]) -> list[tuple[str, str]]:
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, screen)  # type: ignore[arg-type]
        await pilot.press("question_mark")
        await wait_for_screen(pilot, HelpModal)
        modal = app.screen
        assert isinstance(modal, HelpModal)
        return [row for _, rows in modal.sections for row in rows]


@pytest.mark.parametrize("face", ["replay", "attach"])
async def test_help_shows_the_phase_keys_once_as_keys(closed_db: Path, face: str) -> None:
    """Help showed `left,left_square_bracket` (the binding's raw names, running into the
    description column), then the same keys again under "Moving around"."""
    with SqliteEventLog.open(closed_db, read_only=True) as log:
        if face == "replay":
            app: ReadOnlyApp = ReplayApp(log.events(SCENARIO_ID), playing=False)
            rows = await help_rows(app, ReplayScreen)
        else:
            clock = ManualClock(log.events(SCENARIO_ID)[-1].at + timedelta(minutes=1))
            rows = await help_rows(FollowApp(log, SCENARIO_ID, clock=clock), FollowScreen)
    keys = [key for key, _ in rows]
    assert ("← [", "Prev phase") in rows and ("→ ]", "Next phase") in rows
    assert not [key for key in keys if "," in key or "_" in key]
    phase_keys = [key for key in keys if "←" in key or "→" in key]
    assert phase_keys == ["← [", "→ ]"]
    assert any("ctrl+q" in key for key in keys)  # it quits here too; help did not say


async def test_replay_home_and_end_move_the_replay(closed_db: Path) -> None:
    """Home and End did nothing to the replay (help lists `home Start`, `end End`): the
    focused checklist took them first, End only moving its highlight to the last step."""
    with SqliteEventLog.open(closed_db, read_only=True) as log:
        events = log.events(SCENARIO_ID)
    app = ReplayApp(events, playing=False, start_offset=timedelta(minutes=3))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, ReplayScreen)
        screen = app.screen
        assert isinstance(screen, ReplayScreen)
        replayer = screen.replay.replayer
        checklist = screen.query_one(Checklist)
        assert checklist.has_focus and 1 < replayer.position < len(events)
        await pilot.press("home")
        # the first moment: the declaration and the two steps it did
        assert screen.replay.clock.now() == events[0].at and replayer.position == 3
        await pilot.press("end")
        assert screen.replay.clock.now() == events[-1].at
        assert replayer.position == len(events)
        # the checklist still moves with the arrows
        before = checklist.highlighted
        await pilot.press("down")
        assert checklist.highlighted != before


@pytest.mark.parametrize("face", ["replay", "attach"])
async def test_read_only_guidance_names_no_key(tmp_path: Path, face: str) -> None:
    """The guidance said `▸ Press space: check it once done.` in replay (where space
    plays and pauses) and attach (where it does nothing): the coordinator's keys. It
    shows the step's guidance without them; the coordinator's screen keeps them."""
    db = tmp_path / "open.db"
    clock = ManualClock(SCENARIO_T0)
    incident_id = declared(db, clock, decided=False)
    clock.set(SCENARIO_T0 + timedelta(minutes=1))
    with SqliteEventLog.open(db, read_only=True) as log:
        app: ReadOnlyApp
        if face == "replay":
            app, screen_type = ReplayApp(log.events(incident_id), playing=False), ReplayScreen
        else:
            app, screen_type = FollowApp(log, incident_id, clock=clock), FollowScreen
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_for_screen(pilot, screen_type)
            guidance = app.screen.query_one(Guidance)
            shown = guidance._text.plain
    assert shown.startswith("Assess severity\n")
    assert "Press" not in shown and "▸" not in shown
    assert "(no guidance in the runbook)" not in shown and len(shown.splitlines()) > 3
