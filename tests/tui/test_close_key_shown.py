"""Every required step done, the coordinator's footer shows `X Close`.

Walking the whole rollback in the demo, the last close-out step checked left the
coordinator's screen with its guidance naming no key and a footer without `X`: the
close, all that was left, was named only on the post-mortem screen and in `?`. Now `X`
comes into the footer (after help and `P`) once every required step is done, whether
a key or another writer did the last one, and leaves it with the close. The real app
on a real SQLite file; the last step is checked by `lastgood check` run as a process.
"""

from __future__ import annotations

from pathlib import Path

from incident import commands
from tests.cli_helpers import Cli
from tests.tui.pilot_helpers import scenario_app, wait_for_screen, wait_until
from tests.tui.screen_text import screen_lines
from tui.app.modals import ConfirmModal
from tui.app.screens.incident import IncidentScreen
from tui.demo.scenarios import ACTOR, resolved


def footer(app: object) -> str:
    return screen_lines(app)[-1]  # type: ignore[arg-type]


async def test_x_comes_into_the_footer_once_every_required_step_is_done(tmp_path: Path) -> None:
    db = tmp_path / "closing.db"
    scenario = resolved(db)
    clock = scenario.clock
    for step, override in (
        ("document-incident", "the report is in the wiki"),
        ("preliminary-rca", "root cause in the ticket"),
    ):
        scenario.run(
            lambda s, step=step, override=override: commands.check_step(
                s, step, actor=ACTOR, clock=clock, override=override
            )
        )
    app = scenario_app(scenario)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        screen = app.screen
        assert isinstance(screen, IncidentScreen)
        await pilot.pause()
        assert "X Close" not in footer(app)  # a required step is still open

        refused = Cli(db).run(
            "check", scenario.incident_id, "schedule-post-mortem", "--override", "booked by hand"
        )
        assert refused.code == 0, refused.err
        await wait_until(pilot, lambda: screen.state.steps["schedule-post-mortem"].done)
        await wait_until(pilot, lambda: "X Close" in footer(app))
        assert footer(app).startswith("? Help P Post-mortem X Close")

        await pilot.press("X")  # every required step done: the plain question
        await wait_for_screen(pilot, ConfirmModal)
        await pilot.press("y")
        await wait_until(pilot, lambda: screen.state.is_closed)
        await wait_for_screen(pilot, IncidentScreen)
        await wait_until(pilot, lambda: "X Close" not in footer(app))
