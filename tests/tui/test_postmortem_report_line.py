"""The post-mortem screen's report line ends where it ends (review 5, finding 15).

`Report: draft, owner Bo, reviewers Cy, Di` was shown with a stray `␊`: the line's own
line break went through `visible`, which shows a newline in a field as ␊, and the blank
line before `Root cause` was gone, whatever the data.
"""

from __future__ import annotations

from pathlib import Path

from incident import commands
from incident.app.session import IncidentSession
from tests.scenario_copies import scenario_copy
from tests.tui.pilot_helpers import scenario_app, wait_for_screen, wait_until
from tests.tui.screen_text import screen_lines
from tui.app.screens.incident import IncidentScreen
from tui.app.screens.postmortem import PostmortemScreen


async def test_the_report_line_has_no_stray_line_break_picture(tmp_path: Path) -> None:
    scenario = scenario_copy("resolved", tmp_path / "resolved.db")
    session = IncidentSession(scenario.log, scenario.incident_id, scenario.clock)
    session.run(
        lambda s: commands.set_report_status(
            s, actor="Ada", clock=scenario.clock, owner="Bo", reviewers=["Cy", "Di"]
        )
    )
    app = scenario_app(scenario)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        await pilot.press("P")
        await wait_for_screen(pilot, PostmortemScreen)
        await wait_until(pilot, lambda: any("reviewers Cy, Di" in r for r in screen_lines(app)))
        rows = screen_lines(app)
        at = next(n for n, row in enumerate(rows) if "reviewers Cy, Di" in row)
        assert "␊" not in rows[at], rows[at]
        assert "Report: draft, owner Bo, reviewers Cy, Di " in rows[at]
        assert rows[at + 1].strip(" │") == "", rows[at + 1]  # the blank line before
        assert "Root cause" in rows[at + 2], rows[at + 2]
