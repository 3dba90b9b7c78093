"""The declare form's Commander field starts as the coordinator's name.

The coordinator named themself once (`--as`, or at "Who is coordinating?"), yet the
form opened with Commander blank and they typed their name again. The field now
starts with that name, and stays theirs to change. A real SQLite file; the app as
`lastgood start` runs it on an empty record.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Select

from incident.core.clock import ManualClock
from incident.core.state import fold
from store.sqlite_log import SqliteEventLog
from tests.tui.pilot_helpers import wait_for_screen
from tui.app.app import LastGoodApp
from tui.app.modals import DeclareModal
from tui.app.modals.text_prompt import TextPrompt
from tui.app.screens.incident import IncidentScreen
from tui.demo.scenarios import SCENARIO_T0, bundled_runbook


def _app(log: SqliteEventLog, actor: str | None) -> LastGoodApp:
    clock = ManualClock(SCENARIO_T0)
    return LastGoodApp(log, bundled_runbook(), clock=clock, actor=actor, network=False)


def _required(form: DeclareModal) -> None:
    """Title and severity, the required fields that have no prefill."""
    form.query_one("#title", Input).value = "Checkout 500s"
    form.query_one("#severity", Select).value = "SEV2"


async def test_the_name_given_with_as_is_the_commander_prefilled(tmp_path: Path) -> None:
    with SqliteEventLog.open(tmp_path / "r.db") as log:
        app = _app(log, "Ada Lovelace")
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_for_screen(pilot, DeclareModal)
            form = app.screen
            assert isinstance(form, DeclareModal)
            assert form.query_one("#commander", Input).value == "Ada Lovelace"
            _required(form)
            await pilot.press("ctrl+s")
            await wait_for_screen(pilot, IncidentScreen)
        (incident_id,) = log.incident_ids()
        assert fold(log.events(incident_id)).commander == "Ada Lovelace"


async def test_the_name_given_at_the_prompt_is_prefilled_and_can_be_changed(
    tmp_path: Path,
) -> None:
    with SqliteEventLog.open(tmp_path / "r.db") as log:
        app = _app(log, None)
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_for_screen(pilot, TextPrompt)
            app.screen.query_one("#answer", Input).value = "Grace Hopper"
            await pilot.press("enter")
            await wait_for_screen(pilot, DeclareModal)
            form = app.screen
            assert isinstance(form, DeclareModal)
            commander = form.query_one("#commander", Input)
            assert commander.value == "Grace Hopper"
            _required(form)
            commander.value = "Bo"  # the coordinator hands command to someone else
            await pilot.press("ctrl+s")
            await wait_for_screen(pilot, IncidentScreen)
        (incident_id,) = log.incident_ids()
        recorded = log.events(incident_id)
        assert fold(recorded).commander == "Bo"
        assert recorded[0].actor == "Grace Hopper"
