"""The forms' example times come from the app's clock, and a refusal names its field.

Walking the guide weeks after the examples were written, the booking form asked for
a meeting "not in the past, e.g. 2026-11-29T14:00:00Z", a date by then in the past,
and the declare form offered the same date as an impact start. Each example is now
made from the clock the form opens by: tomorrow at 14:00 UTC for the meeting, an hour
ago for the impact start; each is one the use case takes as typed. A booking before
the resolution is refused against the At field, as one in the past was.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual.widgets import Input

from incident.app.params import parse_moment
from incident.app.verbs import BY_NAME
from incident.core.clock import ManualClock
from incident.core.phase_clocks import resolved_at
from store.sqlite_log import SqliteEventLog
from tests.scenario_copies import scenario_copy
from tests.tui.pilot_helpers import coordinator_on, fill_form, wait_for_screen, wait_until
from tui.app.app import LastGoodApp
from tui.app.modals import DeclareModal, VerbForm
from tui.app.screens.incident import IncidentScreen
from tui.demo.scenarios import bundled_runbook

LATER = datetime(2031, 3, 4, 10, 30, 12, tzinfo=UTC)
"""A clock far from the scenarios' November 2026, where a written-out date shows."""


def example_of(placeholder: str) -> str:
    """The time a placeholder offers, as typed: what follows its "e.g."."""
    return placeholder.split("e.g. ", 1)[1]


SIZE = (100, 32)


async def open_booking(app: LastGoodApp, pilot: object, incident: IncidentScreen) -> VerbForm:
    incident.desk.open_form(BY_NAME["schedule-postmortem"])
    await wait_for_screen(pilot, VerbForm)  # type: ignore[arg-type]
    form = app.screen
    assert isinstance(form, VerbForm)
    return form


async def test_the_meeting_example_is_tomorrow_at_14_utc_by_the_apps_clock(tmp_path: Path) -> None:
    scenario = scenario_copy("resolved", tmp_path / "resolved.db")
    async with coordinator_on(scenario, size=SIZE) as (app, pilot, incident):
        scenario.clock.set(LATER)
        form = await open_booking(app, pilot, incident)
        hint = form.query_one("#param-at", Input).placeholder
        assert hint.endswith("not in the past, e.g. 2031-03-05T14:00Z"), hint
        assert "2026" not in hint


async def test_the_meeting_example_typed_as_shown_books_the_meeting(tmp_path: Path) -> None:
    scenario = scenario_copy("resolved", tmp_path / "resolved.db")
    async with coordinator_on(scenario, size=SIZE) as (app, pilot, incident):
        form = await open_booking(app, pilot, incident)
        typed = example_of(form.query_one("#param-at", Input).placeholder)
        await fill_form(pilot, at=typed)
        await wait_until(pilot, lambda: incident.state.postmortem is not None)
        booked = incident.state.postmortem
        assert booked is not None and booked.starts_at == parse_moment(typed)


async def test_a_meeting_before_the_resolution_is_refused_against_the_at_field(
    tmp_path: Path,
) -> None:
    scenario = scenario_copy("resolved", tmp_path / "resolved.db")
    async with coordinator_on(scenario, size=SIZE) as (app, pilot, incident):
        resolution = resolved_at(incident.state)
        assert resolution is not None
        before = incident.state.last_seq
        form = await open_booking(app, pilot, incident)
        early = (resolution - timedelta(minutes=5)).replace(microsecond=0)
        await fill_form(pilot, at=early.isoformat())
        await wait_until(pilot, lambda: "before the resolution" in form.error_message)
        assert form.error_message.endswith("(fill in: at)"), form.error_message
        assert form.focused is form.query_one("#param-at", Input)
        assert app.screen is form and incident.state.last_seq == before


async def test_the_impact_start_example_is_an_hour_ago_by_the_apps_clock(tmp_path: Path) -> None:
    with SqliteEventLog.open(tmp_path / "empty.db") as log:
        app = LastGoodApp(
            log, bundled_runbook(), clock=ManualClock(LATER), actor="ada", network=False
        )
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for_screen(pilot, DeclareModal)
            form = app.screen
            hint = form.query_one("#started_at", Input).placeholder
            assert hint == "e.g. 2031-03-04T09:30Z"
            start = parse_moment(example_of(hint))
            assert LATER - timedelta(hours=1, minutes=1) < start < LATER  # taken as typed
