"""Evidence typed for a step someone else checks first is kept, not thrown away.

Ada pressed space on Confirm version and typed what she saw; meanwhile Cy checked the
step from the command line with evidence of his own. Her ctrl+s closed the dialog with
the toast "step 'confirm-version' is already done (by Cy at T+02:11)", and her text was
in no field and not in the record (ux_review6 finding 5). The dialog now stays open with
the refusal and her text, as the decision dialog does, and offers to keep the text as a
note: the second ctrl+s records it. The real app and `lastgood check` as a process, on
one SQLite file.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from textual.widgets import Input

from incident.core.state import fold
from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import Cli
from tests.tui.pilot_helpers import scenario_app, wait_for_screen, wait_until
from tui.app.modals import TextPrompt
from tui.app.screens.incident import IncidentScreen
from tui.app.widgets.checklist import Checklist
from tui.demo.scenarios import declared

STEP = "confirm-version"
ADA_SAW = "Ada: /version says 2.4.0"


async def test_evidence_for_a_step_checked_first_elsewhere_stays_and_can_be_kept_as_a_note(
    tmp_path: Path,
) -> None:
    db = tmp_path / "checked-first.db"
    scenario = declared(db, at=timedelta(0))  # no probe sample yet: space asks what was seen
    app = scenario_app(scenario, actor="Ada")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        screen = app.screen
        assert isinstance(screen, IncidentScreen)
        checklist = screen.query_one(Checklist)
        phase = screen.state.steps[STEP].step.phase_id
        while screen.view.phase_id != phase:
            screen.view.show_phase(1)
        checklist.highlight_step(STEP)
        await wait_until(pilot, lambda: screen.view.selected_step == STEP)
        await pilot.press("space")
        await wait_for_screen(pilot, TextPrompt)
        prompt = app.screen
        assert isinstance(prompt, TextPrompt)
        assert prompt.title_text == "Evidence: Confirm version"
        prompt.query_one("#answer", Input).value = ADA_SAW

        cy = Cli(db, actor="Cy")
        checked = await asyncio.to_thread(
            cy.run, "check", scenario.incident_id, STEP, "--evidence", "Cy: curl /version: 2.4.0"
        )
        assert checked.code == 0, checked.err

        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "already done (by Cy" in prompt.error_message)
        assert app.screen is prompt
        assert prompt.query_one("#answer", Input).value == ADA_SAW
        assert "as a note" in prompt.error_message

        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, IncidentScreen)
        await wait_until(pilot, lambda: any(ADA_SAW in n.text for n in screen.state.notes))

    with SqliteEventLog.open(db) as log:
        state = fold(log.events(scenario.incident_id))
    assert state.steps[STEP].by == "Cy"
    kept = [n for n in state.notes if ADA_SAW in n.text]
    assert len(kept) == 1
    assert kept[0].by == "Ada"
    assert kept[0].text.startswith(f"Evidence for {STEP} (checked first: by Cy at T+")
