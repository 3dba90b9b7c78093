"""The forms' example times come from the app's clock, and a refusal names its field.

Walking the guide weeks after the examples were written, the booking form asked for
a meeting "not in the past, e.g. 2026-11-29T14:00:00Z", a date by then in the past,
and the declare form offered the same date as an impact start. Each example is now
made from the clock the form opens by: tomorrow at 14:00 UTC for the meeting, an hour
ago for the impact start; each is one the use case takes as typed. A booking before
the resolution is refused against the At field, as one in the past was.

A time that does not read ("tomorrow 10am") was refused with the written-out example
in both faces; the refusal now names the placeholder's example, from the same clock
(the command line's: this machine's). And at 80 columns the At field's placeholder
was cut after "e.g.": it now says less before its example, which shows whole.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from textual.widgets import Input

from incident.app.examples import MOMENT_EXAMPLES, meeting_example
from incident.app.params import Kind, machine_zone, parse_moment
from incident.app.verbs import BY_NAME, VERBS
from incident.core.clock import ManualClock
from incident.core.phase_clocks import resolved_at
from incident.core.timefmt import zone_name
from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import InProcessCli
from tests.scenario_copies import scenario_copy
from tests.tui.pilot_helpers import coordinator_on, fill_form, wait_for_screen, wait_until
from tests.tui.screen_text import screen_lines
from tui.app.app import LastGoodApp
from tui.app.modals import DeclareModal, VerbForm
from tui.app.screens.incident import IncidentScreen
from tui.app.screens.verb_forms import open_form
from tui.demo.scenarios import bundled_runbook

LATER = datetime(2031, 3, 4, 10, 30, 12, tzinfo=UTC)
"""A clock far from the scenarios' November 2026, where a written-out date shows."""


def example_of(placeholder: str) -> str:
    """The time a placeholder offers, as typed: what follows its "e.g."."""
    return placeholder.split("e.g. ", 1)[1]


ZONE = zone_name(machine_zone() or UTC)
"""The zone a time typed without one is read in, as a refusal names it."""

SIZE = (100, 32)
NARROW = (80, 24)


async def open_booking(app: LastGoodApp, pilot: object, incident: IncidentScreen) -> VerbForm:
    open_form(incident.desk, BY_NAME["schedule-postmortem"])
    await wait_for_screen(pilot, VerbForm)  # type: ignore[arg-type]
    form = app.screen
    assert isinstance(form, VerbForm)
    return form


@pytest.mark.parametrize("size", [SIZE, NARROW], ids=["100x32", "80x24"])
async def test_the_meeting_example_is_tomorrow_at_14_utc_by_the_apps_clock(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    scenario = scenario_copy("resolved", tmp_path / "resolved.db")
    async with coordinator_on(scenario, size=size) as (app, pilot, incident):
        scenario.clock.set(LATER)
        form = await open_booking(app, pilot, incident)
        hint = form.query_one("#param-at", Input).placeholder
        assert hint.startswith("not in the past"), hint
        assert hint.endswith(", e.g. 2031-03-05T14:00Z"), hint
        assert "2026" not in hint
        await pilot.pause()
        shown = [line.strip(" │") for line in screen_lines(app)]
        # Whole, on its field's row (the screen beneath may show past the dialog's edge).
        assert any(line.startswith(hint) for line in shown), "\n".join(shown)


async def test_a_time_that_does_not_read_is_refused_with_the_placeholders_example(
    tmp_path: Path,
) -> None:
    scenario = scenario_copy("resolved", tmp_path / "resolved.db")
    async with coordinator_on(scenario, size=NARROW) as (app, pilot, incident):
        scenario.clock.set(LATER)
        before = incident.state.last_seq
        form = await open_booking(app, pilot, incident)
        example = example_of(form.query_one("#param-at", Input).placeholder)
        await fill_form(pilot, at="tomorrow 10am")
        await wait_until(pilot, lambda: bool(form.error_message))
        assert form.error_message == (
            f"At: 'tomorrow 10am' is not a date and time (ISO 8601; without a zone, read in"
            f" {ZONE}) (e.g. {example})"
        )
        assert example == "2031-03-05T14:00Z"
        assert app.screen is form and incident.state.last_seq == before


def test_the_command_line_refuses_it_with_tomorrow_by_the_machines_clock(tmp_path: Path) -> None:
    scenario = scenario_copy("resolved", tmp_path / "resolved.db")
    scenario.log.close()
    cli = InProcessCli(tmp_path / "resolved.db", actor="ada")
    days = {meeting_example(datetime.now(UTC))}
    result = cli.run("schedule-postmortem", scenario.incident_id, "--at", "tomorrow 10am")
    days.add(meeting_example(datetime.now(UTC)))  # a midnight passed meanwhile: either
    said = result.err.strip()
    assert result.code == 2 and "2026-11-29" not in said, said
    assert any(
        said.endswith(
            f"'tomorrow 10am' is not a date and time (ISO 8601; without a zone, read in"
            f" {ZONE}) (e.g. {day}) (see --help)"
        )
        for day in days
    ), said


def test_every_moment_a_verb_takes_has_an_example() -> None:
    moments = {
        p.name for verb in VERBS for p in verb.params if p.kind in (Kind.MOMENT, Kind.LOCAL_MOMENT)
    }
    assert moments == set(MOMENT_EXAMPLES)


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
            assert hint == "impact, e.g. 2031-03-04T09:30Z"
            start = parse_moment(example_of(hint))
            assert LATER - timedelta(hours=1, minutes=1) < start < LATER  # taken as typed


async def test_started_at_says_it_moves_t0_and_not_the_windows(tmp_path: Path) -> None:
    """Review 7, F1: the field's hint did not say what it moves. It back-dates T+0 (the
    impact start, which Impact and Detection measure from); the phase windows start
    at the declaration all the same. The form's last line says so while the field has
    the focus, whole at 80x24, and gives the keys back after."""
    keys = "Tab/Enter next · ctrl+s declare · Esc back"
    said = "Back-dates T+0 only: the phase windows start at the declaration"
    with SqliteEventLog.open(tmp_path / "empty.db") as log:
        app = LastGoodApp(
            log, bundled_runbook(), clock=ManualClock(LATER), actor="ada", network=False
        )
        async with app.run_test(size=NARROW) as pilot:
            await wait_for_screen(pilot, DeclareModal)
            shown = lambda: "\n".join(screen_lines(app))  # noqa: E731
            await wait_until(pilot, lambda: keys in shown())
            app.screen.query_one("#started_at", Input).focus()
            await wait_until(pilot, lambda: said in shown())
            assert keys not in shown()
            app.screen.query_one("#title", Input).focus()
            await wait_until(pilot, lambda: keys in shown())
            assert said not in shown()


@pytest.mark.parametrize("size", [SIZE, NARROW], ids=["100x32", "80x24"])
async def test_an_action_items_due_shows_its_format_by_the_apps_clock(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    """Due said only "by when"; its format came after a refusal (`'in 2 weeks' is not
    a date (YYYY-MM-DD)`, a fresh user's review). The example is two weeks on, a date
    the use case takes as typed."""
    scenario = scenario_copy("resolved", tmp_path / "resolved.db")
    async with coordinator_on(scenario, size=size) as (app, pilot, incident):
        scenario.clock.set(LATER)
        open_form(incident.desk, BY_NAME["action"])
        await wait_for_screen(pilot, VerbForm)
        hint = app.screen.query_one("#param-due", Input).placeholder
        assert hint == "by when, e.g. 2031-03-18", hint
        assert BY_NAME["action"].param("due").parse(example_of(hint), lambda: LATER) is not None
        await pilot.pause()
        shown = [line.strip(" │") for line in screen_lines(app)]
        assert any(line.startswith(hint) for line in shown), "\n".join(shown)


async def test_action_done_names_the_open_action_items(tmp_path: Path) -> None:
    """Its Number field asked for "the action item's number" while the dialog covered
    the list at 80x24 (a fresh user's review): it names the open ones."""
    from incident import commands
    from incident.app.session import IncidentSession

    scenario = scenario_copy("resolved", tmp_path / "resolved.db")
    session = IncidentSession(scenario.log, scenario.incident_id, scenario.clock)
    for text in ("canary the next release", "alert on the error budget burn"):
        session.run(
            lambda s, text=text: commands.add_action_item(
                s, text, actor="ada", clock=scenario.clock, owner="Bo"
            )
        )
    session.run(lambda s: commands.mark_action_done(s, 1, actor="ada", clock=scenario.clock))
    async with coordinator_on(scenario, size=NARROW) as (app, pilot, incident):
        open_form(incident.desk, BY_NAME["action-done"])
        await wait_for_screen(pilot, VerbForm)
        hint = app.screen.query_one("#param-number", Input).placeholder
        assert hint == "open: 2 alert on the error…", hint
