"""On the coordinator's screen, "Check health" does not hold while the team's own
trigger says core functionality is broken.

The runbook's Check health claims "no rollback trigger met". Marking `core-broken` met
(`t`) turns the step's hint to `t` again, to mark it cleared (the way on: the override
it named before is not), and `space` asks for a reason to check it anyway, as it does
while a probe's trigger is met; Esc leaves the step open.
"""

from __future__ import annotations

from textual.widgets import Label

from store.sqlite_log import SqliteEventLog
from tests.scenario_copies import scenario_copy
from tests.tui.pilot_helpers import (
    fill_form,
    highlight,
    scenario_app,
    wait_for_screen,
    wait_until,
)
from tui.app.modals import TextPrompt
from tui.app.screens.incident import IncidentScreen
from tui.app.widgets.guidance import Guidance

MET = "rollback trigger still met: core-broken (marked by ada)"


async def test_a_manual_trigger_met_turns_check_health_to_not_yet(tmp_path):
    db = tmp_path / "s.db"
    scenario = scenario_copy("mid-phase-2", db)  # rolled back, the error rate settled
    app = scenario_app(scenario)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        screen = app.screen
        assert isinstance(screen, IncidentScreen)

        def guidance() -> str:
            return str(screen.query_one(Guidance)._text)

        highlight(screen, "check-health")
        await wait_until(pilot, lambda: "▸ Press space: check it, the evidence holds" in guidance())
        await pilot.press("t")
        await fill_form(pilot, verdict="met")
        await wait_until(pilot, lambda: screen.state.triggers.get("core-broken") is not None)
        await wait_for_screen(pilot, IncidentScreen)
        highlight(screen, "check-health")
        hint = "▸ Press t: mark core-broken cleared once it no longer holds (still met, marked by"
        await wait_until(pilot, lambda: hint in guidance())

        await pilot.press("space")
        await wait_for_screen(pilot, TextPrompt)
        prompt = app.screen.query_one(".prompt", Label)
        assert str(prompt.render()) == (
            f"Evidence does not hold ({MET}). Reason to check it anyway? "
            "It is recorded as the step's override."
        )
        await pilot.press("escape")
        await wait_for_screen(pilot, IncidentScreen)
        assert not screen.state.steps["check-health"].done
        incident_id = screen.state.id
    with SqliteEventLog.open(db, read_only=True) as log:
        kinds = [e.kind for e in log.events(incident_id)]
    assert kinds[-1] == "trigger.changed"
