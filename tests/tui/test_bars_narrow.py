"""The replay and follow bars at 60 and 80 columns: what they show is whole.

They were one long line cut at the right edge: at 60x20 the replay bar lost the
wall-clock time, at 80x24 the follow bar read `read-only: nothing is` and stopped.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from store.sqlite_log import SqliteEventLog
from tests.scenario_copies import scenario_copy
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tests.tui.screen_text import screen_lines
from tui.app.follow_app import FollowApp
from tui.app.replay_app import ReplayApp
from tui.app.screens.follow import FollowScreen
from tui.app.screens.replay import ReplayScreen
from tui.app.widgets.bar import Piece, fitted
from tui.demo.scenarios import SCENARIO_ID


@pytest.mark.parametrize("size", [(60, 20), (80, 24), (120, 40)])
async def test_the_replay_bar_keeps_the_time(tmp_path: Path, size: tuple[int, int]) -> None:
    scenario = scenario_copy("closed", tmp_path / "closed.db")
    events = scenario.log.events(SCENARIO_ID)
    scenario.log.close()
    app = ReplayApp(events, playing=False, start_offset=timedelta(minutes=12, seconds=5))
    async with app.run_test(size=size) as pilot:
        await wait_for_screen(pilot, ReplayScreen)
        await wait_until(pilot, lambda: "T+12:05" in screen_lines(app)[0])
        bar = screen_lines(app)[0].strip()
        assert "…" not in bar, bar
        assert re.search(r" \d\d:\d\d:\d\d UTC", bar), bar
        assert bar.startswith("REPLAY ■ paused"), bar
        if size[0] >= 120:
            assert bar.endswith("UTC  (read-only)") and " event " in bar, bar


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
async def test_the_follow_bar_is_never_cut_mid_sentence(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    scenario = scenario_copy("mid-phase-2", tmp_path / "live.db")
    scenario.log.close()
    with SqliteEventLog.open(tmp_path / "live.db", read_only=True) as log:
        app = FollowApp(log, SCENARIO_ID)
        async with app.run_test(size=size) as pilot:
            await wait_for_screen(pilot, FollowScreen)
            await wait_until(pilot, lambda: "FOLLOWING" in screen_lines(app)[0])
            bar = screen_lines(app)[0].strip()
            assert "…" not in bar, bar
            assert bar.startswith(f"FOLLOWING {SCENARIO_ID}  T+") and bar.endswith("read-only")


def test_pieces_give_way_in_their_order() -> None:
    pieces = [Piece(("A",)), Piece((" bb", " b", "")), Piece((" cccc", ""))]
    assert [fitted(pieces, (2, 1, 1), w).plain for w in (0, 8, 6, 4, 3, 1)] == [
        "A bb cccc",
        "A bb",
        "A bb",
        "A bb",
        "A b",
        "A",
    ]
