"""The key the guidance names opens its form filled in with what the guidance names, and
where clearing a manual trigger is the way on, the guidance names `t` (a fresh-eyes
review of the wheel, item 7).

`▸ Press r: assign the leadership role` opened the Assign role form with Role blank; at
Check health with core-broken still marked met the guidance pointed at the override
(space), and `t` opened Mark trigger with Verdict blank though only `cleared` made sense.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Select

from incident.app import steps
from incident.app.session import IncidentSession
from incident.core.clock import ManualClock
from store.sqlite_log import SqliteEventLog
from tests.tui.coordinator_harness import declared, guide
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tui.app.app import LastGoodApp
from tui.app.modals import VerbForm
from tui.app.screens.incident import IncidentScreen
from tui.app.widgets.guidance import Guidance
from tui.demo.scenarios import SCENARIO_T0


def selected(form: VerbForm, name: str) -> object:
    return form.query_one(f"#param-{name}", Select).value


async def test_r_opens_the_role_form_on_the_role_the_tier_waits_for(tmp_path: Path) -> None:
    clock = ManualClock(SCENARIO_T0)
    db = tmp_path / "tier.db"
    incident_id = declared(db, clock, decided=True)
    with SqliteEventLog.open(db) as log:
        session = IncidentSession(log, incident_id, clock)
        steps.choose_tier(session, "ada", "restore-backup", reason="drop column")
    with SqliteEventLog.open(db) as log:
        app = LastGoodApp(log, None, clock=clock, actor="ada", incident_id=incident_id)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            screen = app.screen
            assert isinstance(screen, IncidentScreen)
            await pilot.press("]")
            await guide(pilot, screen, "database-rollback")
            text = screen.query_one(Guidance)._text.plain
            assert "▸ Press r: assign the leadership role" in text, text
            await pilot.press("r")
            await wait_for_screen(pilot, VerbForm)
            form = app.screen
            assert isinstance(form, VerbForm)
            assert selected(form, "role") == "leadership"
            await pilot.press(*"Bo", "enter")  # focus is on who takes it
            await wait_for_screen(pilot, IncidentScreen)
            await wait_until(pilot, lambda: screen.state.roles.get("leadership") == "Bo")


async def test_a_manual_trigger_still_met_names_t_which_opens_it_cleared(tmp_path: Path) -> None:
    clock = ManualClock(SCENARIO_T0)
    db = tmp_path / "trigger.db"
    incident_id = declared(db, clock, decided=True)
    with SqliteEventLog.open(db) as log:
        session = IncidentSession(log, incident_id, clock)
        steps.mark_trigger(session, "Bo", "core-broken", "met")
    with SqliteEventLog.open(db) as log:
        app = LastGoodApp(log, None, clock=clock, actor="ada", incident_id=incident_id)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            screen = app.screen
            assert isinstance(screen, IncidentScreen)
            await pilot.press("]", "]")
            await guide(pilot, screen, "check-health")
            text = screen.query_one(Guidance)._text.plain
            assert "▸ Press t: mark core-broken cleared once it no longer holds" in text, text
            await pilot.press("t")
            await wait_for_screen(pilot, VerbForm)
            form = app.screen
            assert isinstance(form, VerbForm)
            assert selected(form, "trigger") == "core-broken"
            assert selected(form, "verdict") == "cleared"
            await pilot.press("ctrl+s")
            await wait_for_screen(pilot, IncidentScreen)
            await wait_until(pilot, lambda: not screen.state.triggers["core-broken"].met)
            await guide(pilot, screen, "check-health")
            assert "Press t:" not in screen.query_one(Guidance)._text.plain
