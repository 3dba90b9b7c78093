"""The step highlighted here checked from another terminal: the highlight moves on.

When another terminal checked the step Bo's screen had highlighted, the highlight
stayed on the done step and the guidance lost its `▸ Press …` line: the screen
pointed at nothing to do (ux_review2 finding 12). As when Bo checks it himself, it
now moves to the phase's next required step. The real app on a real SQLite file; the
step is checked by `lastgood check` run as a process, or by a session of its own on
the same file under the same name as this screen's (the same person, a second terminal).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from incident import commands
from incident.app.session import IncidentSession
from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import Cli
from tests.tui.pilot_helpers import scenario_app, wait_for_screen, wait_until
from tests.tui.screen_text import screen_lines
from tui.app.screens.incident import IncidentScreen
from tui.app.widgets.checklist import Checklist
from tui.demo.scenarios import declared


async def test_the_highlight_moves_on_when_another_terminal_checks_its_step(
    tmp_path: Path,
) -> None:
    db = tmp_path / "elsewhere.db"
    scenario = declared(db)
    app = scenario_app(scenario, actor="bo")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        screen = app.screen
        assert isinstance(screen, IncidentScreen)
        checklist = screen.query_one(Checklist)
        await wait_until(pilot, lambda: checklist.highlighted_step is not None)
        step = checklist.highlighted_step
        assert step is not None

        checked = Cli(db, actor="Ada").run("check", scenario.incident_id, step)
        assert checked.code == 0, checked.err
        await wait_until(pilot, lambda: screen.state.steps[step].done, timeout=30)
        await wait_until(pilot, lambda: checklist.highlighted_step != step)
        following = checklist.highlighted_step
        assert following is not None and not screen.state.steps[following].done
        assert any("▸ Press" in line for line in screen_lines(app)), screen_lines(app)


async def test_the_highlight_moves_on_when_the_same_person_checks_it_from_a_second_terminal(
    tmp_path: Path,
) -> None:
    """Ada on her laptop and on the bastion: the events carry one name, and the screen
    took hers from the other terminal for its own, leaving the highlight on the done
    step. What this screen recorded is told by the recorder, not by the name."""
    db = tmp_path / "same-name.db"
    scenario = declared(db)
    app = scenario_app(scenario, actor="Ada")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        screen = app.screen
        assert isinstance(screen, IncidentScreen)
        checklist = screen.query_one(Checklist)
        await wait_until(pilot, lambda: checklist.highlighted_step is not None)
        step = checklist.highlighted_step
        assert step is not None

        def second_terminal() -> None:  # a writer of its own on the same file
            with SqliteEventLog.open(db) as log:
                session = IncidentSession(log, scenario.incident_id, scenario.clock)
                clock = scenario.clock
                session.run(lambda s: commands.check_step(s, step, actor="Ada", clock=clock))

        await asyncio.to_thread(second_terminal)
        await wait_until(pilot, lambda: screen.state.steps[step].done)
        assert screen.state.steps[step].by == "Ada"
        await wait_until(pilot, lambda: checklist.highlighted_step != step)
        following = checklist.highlighted_step
        assert following is not None and not screen.state.steps[following].done
