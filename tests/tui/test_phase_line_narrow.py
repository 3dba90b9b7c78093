"""In one column the phase clocks are the phase being worked in, in words, and the
next update: at 46 columns the strip's five cells read `▶ NOW 28m` beside `· AHE…
13m`, the time left and the time until the next phase opens alike (ux_review13 #11).
From `STACKED_BELOW` columns up the strip is as it was."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from store.sqlite_log import SqliteEventLog
from tests.scenario_copies import scenario_copy
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tests.tui.screen_text import screen_lines
from tests.tui.test_snapshots_80x24 import down_migrations_after_all, worked_to
from tui.app.follow_app import FollowApp
from tui.app.screens.follow import FollowScreen
from tui.app.screens.incident import IncidentScreen
from tui.app.widgets.active_phase import fitted_line
from tui.demo.scenarios import SCENARIO_ID

PHASE_TWO = re.compile(r"^ ▶ Phase 2/4 Execute Rollback · \d+m\d\ds left\s*$")
NEXT_UPDATE = re.compile(r"^ Next update at \d\d:\d\d UTC · in \d+m\d\ds\s*$")


@pytest.mark.parametrize("size", [(46, 22), (40, 35)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_phase_worked_in_reads_in_words(tmp_path: Path, size: tuple[int, int]) -> None:
    app = worked_to(tmp_path, "notify-stakeholders", then=down_migrations_after_all)
    async with app.run_test(size=size) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        await wait_until(pilot, lambda: "Phase 2/4" in screen_lines(app)[1])
        head = screen_lines(app)[:4]
        if size[0] >= 46:
            assert PHASE_TWO.match(head[1]), head
        else:  # the title gives way in whole words, the time keeps its seconds
            assert re.match(r"^ ▶ Phase 2/4 Execute… · \d+m\d\ds left\s*$", head[1]), head
        assert NEXT_UPDATE.match(head[2]), head
        top = "\n".join(head)
        for cut in ("AHE", "NOW", "UPCOMING", "Next update    "):
            assert cut not in top, top  # none of the strip's cells


async def test_from_the_breakpoint_the_strip_is_as_it_was(tmp_path: Path) -> None:
    app = worked_to(tmp_path, "notify-stakeholders", then=down_migrations_after_all)
    async with app.run_test(size=(60, 20)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        await wait_until(pilot, lambda: "▶ ACTIVE" in screen_lines(app)[2])
        head = screen_lines(app)[1:4]
        cells = "1 Decisi… 2 Execut… 3 Verifi… 4 Commun… Next update"
        assert head[0].split() == cells.split(), head
        assert "in 2m15s" in head[2] and "17m left" in head[2], head
        assert "Phase 2/4" not in "\n".join(head), head


async def test_attach_says_the_phase_in_words_too(tmp_path: Path) -> None:
    scenario = scenario_copy("declared", tmp_path / "live.db")
    scenario.log.close()
    with SqliteEventLog.open(tmp_path / "live.db", read_only=True) as log:
        app = FollowApp(log, SCENARIO_ID, clock=scenario.clock)
        async with app.run_test(size=(46, 22)) as pilot:
            await wait_for_screen(pilot, FollowScreen)
            await wait_until(pilot, lambda: "Phase 1/4" in screen_lines(app)[2])
            assert screen_lines(app)[2].rstrip() == " ▶ Phase 1/4 Decision… · 4m18s left"
            assert screen_lines(app)[3].rstrip() == " Next update at 09:05 UTC · in 4m18s"


def test_the_title_gives_way_before_the_seconds() -> None:
    forms = ("✖ Phase 1/4 ", "Decision and Communication", (" · OVERDUE +7m05s", " · OVERDUE +7m"))
    assert fitted_line(forms, 80) == "✖ Phase 1/4 Decision and Communication · OVERDUE +7m05s"
    assert fitted_line(forms, 44) == "✖ Phase 1/4 Decision… · OVERDUE +7m05s"
    assert fitted_line(forms, 33) == "✖ Phase 1/4 Dec… · OVERDUE +7m05s"
    assert fitted_line(forms, 30) == "✖ Phase 1/4 Dec… · OVERDUE +7m"
    assert fitted_line(forms, 26) == "✖ Phase 1/4 · OVERDUE +7m"
