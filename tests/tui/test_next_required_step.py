"""After a step, the highlight goes to the phase's next required step, never an optional one.

The README: "after each step the highlight moves to the next required one (optional
steps stay in the list, a key away)". With phase 1 still open (its stakeholders not
notified) and phase 2 on show, checking phase 2's last required step moved the
highlight to its optional "Record the version running before reverting", whose
guidance said "Press space": an invitation to do first what the runbook says to
record, then move on from. The next required step is phase 1's, which `brief`'s
"Next step:" names, an arrow away: the view stays on the phase the coordinator put on
show, the tick just made in sight. The real app on a real SQLite file, then
`lastgood brief` run as a process on that file.
"""

from __future__ import annotations

from pathlib import Path

from incident import commands
from incident.app.database_tiers import choose_tier
from tests.cli_helpers import Cli
from tests.scenario_copies import scenario_copy
from tests.tui.pilot_helpers import coordinator_on, wait_for_screen, wait_until
from tui.app.screens.incident import IncidentScreen
from tui.app.widgets.guidance import Guidance


async def test_the_shown_phase_done_the_highlight_stays_and_brief_names_the_next(
    tmp_path: Path,
) -> None:
    db = tmp_path / "next.db"
    scenario = scenario_copy("mid-phase-2", db)
    clock = scenario.clock
    # mid-phase-2's `none` tier checked the database step; here 2.4.1 dropped a column
    # after all: the step reopened, the down migrations chosen and (below) carried out.
    scenario.run(
        lambda s: commands.reopen_step(
            s, "database-rollback", reason="0042 dropped a column", actor="ada", clock=clock
        )
    )
    choose_tier(scenario.session, "ada", "down-migrations", reason="0042 has a down step")
    async with coordinator_on(scenario) as (_app, pilot, screen):
        assert screen.view.selected_step == "notify-stakeholders"
        await pilot.press("right")  # phase 2 on show, phase 1 still open
        await wait_until(pilot, lambda: screen.view.phase_id == "execute")
        assert screen.view.selected_step == "database-rollback"
        await pilot.press("space")  # the migrations ran: this checks it
        await wait_until(pilot, lambda: screen.state.steps["database-rollback"].done)
        await wait_for_screen(pilot, IncidentScreen)

        assert screen.state.status_of("record-running-version") == "open"
        # The view stays where the coordinator put it, the tick in sight; the highlight
        # stays on it, not on the optional step as if that were next.
        assert screen.view.phase_id == "execute"
        assert screen.view.selected_step == "database-rollback"
        assert screen.state.steps["database-rollback"].done
        assert "▸ Press" not in screen.query_one(Guidance)._text.plain

    lines = Cli(db).ok("brief", scenario.incident_id).splitlines()
    assert "Next step: notify-stakeholders: Notify stakeholders" in lines


async def test_arrows_to_a_phase_whose_required_steps_are_done_invite_nothing_optional(
    tmp_path: Path,
) -> None:
    """Looking back at phase 2, its required steps done: the highlight is on its first
    required step, done, not on the optional step as if it were the one to do next."""
    scenario = scenario_copy("mid-phase-2", tmp_path / "back.db")  # its `none` tier checked
    async with coordinator_on(scenario) as (_app, pilot, screen):
        assert screen.view.phase_id == "decide"
        await pilot.press("right")
        await wait_until(pilot, lambda: screen.view.phase_id == "execute")
        assert screen.view.selected_step == "app-rollback-blue-green"
        assert "▸ Press" not in screen.query_one(Guidance)._text.plain
