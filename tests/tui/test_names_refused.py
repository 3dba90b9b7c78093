"""A person's name holding a control character is refused in the TUI's forms, on its field.

"Who is coordinating?", the declare form's Commander and the hand-off form's new
commander each refuse every escape of `tests.hostile.ESCAPES` (set in the field as a
paste without bracketed paste would put it there), say where the character is, keep
the form open with the focus on the field, and record nothing; a plain name then goes
through. A real SQLite file, the app as `lastgood start` runs it.
"""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, Select

from incident.core.clock import ManualClock
from incident.core.state import fold
from incident.core.text import first_control, visible
from store.sqlite_log import SqliteEventLog
from tests.hostile import ESCAPES
from tests.scenario_copies import scenario_copy
from tests.tui.pilot_helpers import fill_form, scenario_app, wait_for_screen, wait_until
from tui.app.app import LastGoodApp
from tui.app.modals import DeclareModal
from tui.app.modals.base import FormModal
from tui.app.modals.text_prompt import TextPrompt
from tui.app.modals.verb_form import VerbForm
from tui.app.screens.incident import IncidentScreen
from tui.demo.scenarios import SCENARIO_T0, bundled_runbook


def _named(escape: str) -> tuple[str, str]:
    """A name holding `escape`, and how its refusal shows where."""
    name = f"Bo {escape} Smith"
    at = first_control(name)
    assert at is not None
    return name, f"control character ({visible(name[at])} at character {at + 1})"


async def _refused_on(pilot: Pilot[None], form: FormModal[object], field: Input, key: str) -> None:
    """Each escape typed into `field` and submitted with `key`: refused on the field."""
    for label, escape in ESCAPES.items():
        name, where = _named(escape)
        form.clear_error()
        field.value = name
        await pilot.press(key)
        await wait_until(pilot, lambda: where in form.error_message)  # noqa: B023
        assert "type it as plain text" in form.error_message, label
        assert pilot.app.screen is form, label
        assert pilot.app.focused is field, label
        assert field.value == name, label  # kept, for the person to correct


async def test_the_actor_prompt_and_the_declare_form_refuse_a_name_holding_a_control(
    tmp_path: Path,
) -> None:
    with SqliteEventLog.open(tmp_path / "r.db") as log:
        app = LastGoodApp(
            log, bundled_runbook(), clock=ManualClock(SCENARIO_T0), actor=None, network=False
        )
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for_screen(pilot, TextPrompt)
            prompt = app.screen
            assert isinstance(prompt, TextPrompt)
            answer = prompt.query_one("#answer", Input)
            await _refused_on(pilot, prompt, answer, "enter")
            assert not app.actor

            answer.value = "Grace Hopper"
            await pilot.press("enter")
            await wait_for_screen(pilot, DeclareModal)
            assert app.actor == "Grace Hopper"
            form = app.screen
            assert isinstance(form, DeclareModal)
            form.query_one("#title", Input).value = "Checkout 500s"
            form.query_one("#severity", Select).value = "SEV2"
            commander = form.query_one("#commander", Input)
            await _refused_on(pilot, form, commander, "ctrl+s")
            assert log.incident_ids() == []

            commander.value = "Bo Smith"
            await pilot.press("ctrl+s")
            await wait_for_screen(pilot, IncidentScreen)
        (incident_id,) = log.incident_ids()
        assert fold(log.events(incident_id)).commander == "Bo Smith"


async def test_the_hand_off_form_refuses_a_name_holding_a_control(tmp_path: Path) -> None:
    scenario = scenario_copy("declared", tmp_path / "r.db")
    before = len(scenario.log.events(scenario.incident_id))
    app = scenario_app(scenario)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        await pilot.press("h")
        await wait_for_screen(pilot, VerbForm)
        form = app.screen
        assert isinstance(form, VerbForm)
        await _refused_on(pilot, form, form.query_one("#param-to", Input), "ctrl+s")
        assert len(scenario.log.events(scenario.incident_id)) == before

        await fill_form(pilot, to="Bo Smith")
        await wait_for_screen(pilot, IncidentScreen)
        await wait_until(pilot, lambda: len(scenario.log.events(scenario.incident_id)) > before)
    assert fold(scenario.log.events(scenario.incident_id)).commander == "Bo Smith"
    scenario.log.close()
