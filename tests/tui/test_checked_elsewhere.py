"""The step highlighted here checked from another terminal: the highlight moves on.

When another terminal checked the step Bo's screen had highlighted, the highlight
stayed on the done step and the guidance lost its `▸ Press …` line: the screen
pointed at nothing to do (ux_review2 finding 12). As when Bo checks it himself, it
now moves to the phase's next required step. The real app on a real SQLite file; the
step is checked by `lastgood check` run as a process.
"""

from __future__ import annotations

from pathlib import Path

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
