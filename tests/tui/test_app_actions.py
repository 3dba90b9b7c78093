"""The rest of the keyboard: roles, pages, hand-off, notes, reopen, phases, picker.

Each action is checked in the store, through a second reader, not on screen only.
"""

from __future__ import annotations

from textual.widgets import OptionList

from incident import commands
from incident.core.clock import ManualClock
from incident.core.state import fold
from store.sqlite_log import SqliteEventLog
from tests.scenario_copies import scenario_copy
from tests.tui.pilot_helpers import fill_form, settled, wait_for_screen, wait_until
from tui.app.app import LastGoodApp
from tui.app.modals import IncidentPicker
from tui.app.modals.verb_form import VerbForm
from tui.app.screens.incident import IncidentScreen
from tui.app.widgets.checklist import Checklist
from tui.app.widgets.timeline import Timeline
from tui.demo.scenarios import DECLARATION, SCENARIO_T0, bundled_runbook


def stored(db, incident_id):
    with SqliteEventLog.open(db, read_only=True) as log:
        return fold(log.events(incident_id))


async def answer(pilot, **values: object) -> None:
    await fill_form(pilot, "enter", **values)
    await wait_for_screen(pilot, IncidentScreen)


async def test_roles_pages_hand_off_notes_and_reopen(tmp_path):
    db = tmp_path / "actions.db"
    scenario = scenario_copy("mid-phase-2", db)
    clock = scenario.clock
    scenario.run(  # its `none` tier checked the database step: a required one to do again
        lambda s: commands.reopen_step(
            s, "database-rollback", reason="0042 dropped a column", actor="ada", clock=clock
        )
    )
    app = LastGoodApp(
        scenario.log, scenario.runbook, clock=scenario.clock, actor="ada", network=False
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        screen = app.screen

        await pilot.press("r")
        await fill_form(pilot, role="comms-lead", person="Cy")
        await wait_for_screen(pilot, IncidentScreen)

        await pilot.press("p")
        await answer(pilot, target="payments on-call")
        await pilot.press("h")
        await answer(pilot, to="Bo")
        await pilot.press("n")
        await fill_form(pilot, text="error rate falling after the switch")
        await wait_for_screen(pilot, IncidentScreen)

        checklist = screen.query_one(Checklist)
        checklist.highlighted = 0  # assess-severity, done in the scenario
        await pilot.press("u")
        await answer(pilot, reason="numbers were from the wrong dashboard")
        await wait_until(pilot, lambda: not screen.state.steps["assess-severity"].done)

        await pilot.press("right")
        await wait_until(pilot, lambda: screen.view.phase_id == "execute")
        # The first required step still to do; the optional one above it stays in view.
        assert checklist.highlighted_step == "database-rollback"

    state = stored(db, scenario.incident_id)
    assert state.roles["comms-lead"] == "Cy"
    assert state.commander == "Bo"
    assert [p.target for p in state.pages][-1] == "payments on-call"
    assert state.notes[-1].text == "error rate falling after the switch"
    assert state.steps["assess-severity"].reason == "numbers were from the wrong dashboard"


async def test_command_palette_offers_every_incident_action(tmp_path):
    scenario = scenario_copy("mid-phase-2", tmp_path / "palette.db")
    app = LastGoodApp(
        scenario.log, scenario.runbook, clock=scenario.clock, actor="ada", network=False
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        for action in ("Check", "Skip", "Approve", "Note", "Compose", "Decide", "Assign role"):
            assert action in titles
        # Textual's own entries in lastgood's words, and no second help beside `?` (a
        # fresh user's review: "Keys" and "Quit the application as soon as possible").
        helps = {c.title: c.help for c in app.get_system_commands(app.screen)}
        assert "Keys" not in helps and "Theme" in helps
        assert helps["Quit"].startswith("Leave lastgood: everything is already recorded")
        note = next(c for c in app.get_system_commands(app.screen) if c.title == "Note")
        note.callback()
        await wait_for_screen(pilot, VerbForm)


async def test_picker_when_several_incidents_are_open(tmp_path):
    db = tmp_path / "two.db"
    clock = ManualClock(SCENARIO_T0)
    log = SqliteEventLog.open(db)
    runbook = bundled_runbook()
    for incident_id in ("INC-20261128-AAAA", "INC-20261128-BBBB"):
        log.append(
            [
                commands.declare(
                    runbook, DECLARATION, actor="ada", clock=clock, incident_id=incident_id
                )
            ]
        )
    app = LastGoodApp(log, runbook, clock=clock, actor="ada", network=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, IncidentPicker)
        options = app.screen.query_one("#incidents", OptionList)
        options.focus()
        options.highlighted = 1
        await pilot.press("enter")
        await wait_for_screen(pilot, IncidentScreen)
        assert app.screen.state.id == "INC-20261128-BBBB"


async def test_events_from_another_writer_appear_on_the_next_tick(tmp_path):
    db = tmp_path / "shared.db"
    scenario = scenario_copy("mid-phase-2", db)
    app = LastGoodApp(
        scenario.log, scenario.runbook, clock=scenario.clock, actor="ada", network=False
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        screen = app.screen
        timeline = screen.query_one(Timeline)
        shown = timeline.row_count
        with SqliteEventLog.open(db) as other:
            other.append(
                [
                    commands.add_note(
                        screen.state, "from the pipeline", actor="deploy-bot", clock=scenario.clock
                    )
                ]
            )
        screen.tick()
        await wait_until(pilot, lambda: timeline.row_count == shown + 1)
        assert screen.state.notes[-1].text == "from the pipeline"


async def test_update_cadence_reminds_then_records_the_miss(tmp_path):
    from datetime import timedelta

    scenario = scenario_copy("declared", tmp_path / "cadence.db")
    app = LastGoodApp(
        scenario.log, scenario.runbook, clock=scenario.clock, actor="ada", network=False
    )
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        screen = app.screen
        scenario.clock.set(SCENARIO_T0 + timedelta(minutes=4, seconds=30))
        screen.tick()
        await pilot.pause()
        titles = [n.title for n in app._notifications]
        # The bundled runbook offers the update itself (`update: {on: update-due}`).
        assert "Message due" in titles
        assert screen.check_action("due_message", ()) is True
        assert screen.state.overdue_updates == []
        scenario.clock.set(SCENARIO_T0 + timedelta(minutes=5, seconds=1))
        screen.tick()
        await wait_until(pilot, lambda: screen.state.overdue_updates != [])
        screen.tick()  # recorded once, not once a second
        await wait_until(pilot, lambda: settled(screen))
        assert screen.state.overdue_updates == [SCENARIO_T0 + timedelta(minutes=5)]
        assert "Stakeholder update overdue" in [n.title for n in app._notifications]
    state = stored(tmp_path / "cadence.db", scenario.incident_id)
    assert len(state.overdue_updates) == 1
