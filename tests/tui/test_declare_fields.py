"""The declare form's fields that `lastgood declare` had and it had not: the impact's
start, the runbook, and a severity left for the coordinator to choose.

The form offered SEV2 where `--severity` has no default, had no way to back-date T+0
(`--started-at`) and declared with whichever runbook the TUI was started on
(`--runbook`). Each case runs the app on a real SQLite file; a refusal is checked
against what `lastgood declare` prints for the same text.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, Label, OptionList, Select

from incident.app.examples import impact_start_example
from incident.app.params import parse_moment
from incident.core.clock import ManualClock
from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import ROOT, InProcessCli
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tui.app.app import LastGoodApp
from tui.app.modals import DeclareModal
from tui.app.screens.incident import IncidentScreen
from tui.demo.scenarios import SCENARIO_T0, bundled_runbook

CHECKLIST = str(ROOT / "runbooks" / "examples" / "rollback-checklist.md")
"""A Markdown runbook: another title, and no deployment patterns."""


@asynccontextmanager
async def declare_form(
    db: Path, size: tuple[int, int] = (120, 40), now: datetime = SCENARIO_T0
) -> AsyncIterator[tuple[LastGoodApp, Pilot[None], DeclareModal]]:
    """The app on an empty record, its clock at `now`, which opens on the declare form,
    the fields the command line requires filled in as `--title t --severity SEV2
    --commander Ada`."""
    with SqliteEventLog.open(db) as log:
        app = LastGoodApp(
            log, bundled_runbook(), clock=ManualClock(now), actor="ada", network=False
        )
        async with app.run_test(size=size) as pilot:
            await wait_for_screen(pilot, DeclareModal)
            form = app.screen
            assert isinstance(form, DeclareModal)
            form.query_one("#title", Input).value = "Checkout 500s"
            form.query_one("#severity", Select).value = "SEV2"
            form.query_one("#commander", Input).value = "Ada"
            yield app, pilot, form


async def declared(app: LastGoodApp, pilot: Pilot[None]) -> IncidentScreen:
    await pilot.press("ctrl+s")
    await wait_for_screen(pilot, IncidentScreen)
    screen = app.screen
    assert isinstance(screen, IncidentScreen)
    return screen


def cli_refusal(tmp_path: Path, *args: str) -> str:
    """What `lastgood declare` prints on stderr for the required fields and `args`, which
    replace the required ones they name (an option given twice is refused)."""
    cli = InProcessCli(tmp_path / "cli.db", actor="ada")
    required = {"--title": "Checkout 500s", "--severity": "SEV2", "--commander": "Ada"}
    given = [
        word for option, value in required.items() if option not in args for word in (option, value)
    ]
    result = cli.run("declare", *given, *args)
    assert result.code == 2 and not result.out
    return result.err.strip()


# --- started at ------------------------------------------------------------------------


async def test_started_at_back_dates_t0(tmp_path: Path) -> None:
    async with declare_form(tmp_path / "r.db") as (app, pilot, form):
        form.query_one("#started_at", Input).value = " 2026-11-28T09:52:00+01:00 "
        screen = await declared(app, pilot)
        assert screen.state.started_at == datetime(2026, 11, 28, 8, 52, tzinfo=UTC)
        assert screen.state.declared_at == SCENARIO_T0


async def test_a_started_at_that_does_not_read_is_one_line_in_the_form(tmp_path: Path) -> None:
    """Read by `--started-at`'s own parameter: its words, named by the field.

    One form is submitted with each in turn, from the title: each refusal's words differ,
    and each moves the focus back to the field (a form opened for each cost 0.25 s)."""
    whys = {
        typed: f"'{typed}' is not an ISO 8601 time with a timezone"
        for typed in ["yesterday", "2026-11-28T08:52:00", "2026-13-01T00:00Z"]
    }
    for typed, why in whys.items():  # the example an hour before this machine's time
        before = datetime.now(UTC)
        said = cli_refusal(tmp_path, "--started-at", typed)
        after = datetime.now(UTC)
        lead = f"lastgood declare: error: argument --started-at: {why} (e.g. "
        assert said.startswith(lead) and said.endswith(") (see --help)"), said
        example = parse_moment(said.removeprefix(lead).removesuffix(") (see --help)"))
        hour = timedelta(hours=1)
        assert before - hour - timedelta(minutes=1) < example <= after - hour
    async with declare_form(tmp_path / "r.db", size=(80, 24)) as (app, pilot, form):
        for typed, why in whys.items():
            before = form.error_message
            form.query_one("#title", Input).focus()
            form.query_one("#started_at", Input).value = typed
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda before=before: form.error_message != before)
            example = impact_start_example(SCENARIO_T0)  # an hour before the app's time
            assert form.error_message == f"Started at: {why} (e.g. {example})"
            assert "\n" not in form.error_message
            assert form.focused is form.query_one("#started_at", Input)
            assert app.screen is form and app.event_log.incident_ids() == []


async def test_an_impact_start_in_the_future_is_refused_by_the_use_case(tmp_path: Path) -> None:
    async with declare_form(tmp_path / "r.db") as (app, pilot, form):
        form.query_one("#started_at", Input).value = "2026-11-28T09:10:00Z"  # T0 + 10 min
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: bool(form.error_message))
        assert form.error_message == "Started at: the impact cannot start in the future"
        assert form.focused is form.query_one("#started_at", Input)
        assert app.screen is form and app.event_log.incident_ids() == []


async def test_an_impact_start_over_a_week_back_is_refused_by_the_use_case(
    tmp_path: Path,
) -> None:
    """`--started-at 1970-01-01T00:00:00Z` was declared, every phase overdue by 499,035 h."""
    async with declare_form(tmp_path / "r.db") as (app, pilot, form):
        form.query_one("#started_at", Input).value = "2026-11-21T08:59:59Z"  # T0 - 7 d - 1 s
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: bool(form.error_message))
        assert form.error_message == (
            "Started at: the impact cannot start more than 7 days ago (the longest phase window)"
        )
        assert form.focused is form.query_one("#started_at", Input)
        assert app.screen is form and app.event_log.incident_ids() == []


# --- the runbook -----------------------------------------------------------------------


async def test_the_runbook_defaults_to_the_one_the_app_was_started_on(tmp_path: Path) -> None:
    async with declare_form(tmp_path / "r.db") as (app, pilot, form):
        assert form.query_one("#runbook", Input).value == "rollback"  # as `--runbook`'s default
        screen = await declared(app, pilot)
        assert screen.state.runbook.id == "rollback"
        assert str(screen.state.pattern) == "rolling"  # the runbook's default pattern


async def test_another_runbook_by_path_shows_its_title_and_patterns_then_declares(
    tmp_path: Path,
) -> None:
    async with declare_form(tmp_path / "r.db") as (app, pilot, form):
        runbook = form.query_one("#runbook", Input)
        runbook.value = CHECKLIST
        runbook.focus()
        await pilot.press("tab")  # leaving the field looks the runbook up
        title = form.query_one("#runbook-title", Label)
        await wait_until(pilot, lambda: "Rollback checklist" in str(title.content))
        assert str(title.content) == "Runbook: Rollback checklist"
        pattern = form.query_one("#pattern", Select)
        assert pattern.is_blank()
        assert pattern.query_one(OptionList).option_count == 1  # "(none)" alone
        screen = await declared(app, pilot)
        assert screen.state.runbook.id == "rollback-checklist"
        assert screen.state.pattern is None


async def test_a_runbook_that_is_not_found_is_one_line_in_the_form(tmp_path: Path) -> None:
    """Told on leaving the field, and again (the focus back on it) on declaring: the
    line `lastgood declare --runbook rolback` prints."""
    why = "unknown runbook 'rolback' (did you mean 'rollback'? choose: rollback)"
    assert cli_refusal(tmp_path, "--runbook", "rolback") == f"lastgood declare: {why}"
    async with declare_form(tmp_path / "r.db", size=(80, 24)) as (app, pilot, form):
        runbook = form.query_one("#runbook", Input)
        runbook.value = "rolback"
        runbook.focus()
        await pilot.press("tab")
        await wait_until(pilot, lambda: bool(form.error_message))
        assert form.error_message == f"Runbook: {why}"  # the same words, the field named
        assert str(form.query_one("#runbook-title", Label).content) == "Runbook: Emergency rollback"

        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: form.focused is runbook)
        assert form.error_message == f"Runbook: {why}"
        assert app.screen is form and app.event_log.incident_ids() == []

        runbook.value = "rollback"  # put right: the error goes once the field is left
        await pilot.press("tab")
        await wait_until(pilot, lambda: not form.error_message)
        screen = await declared(app, pilot)
        assert screen.state.runbook.id == "rollback"


# --- severity --------------------------------------------------------------------------


async def test_no_severity_is_chosen_for_the_coordinator(tmp_path: Path) -> None:
    """`--severity` has no default, and a blank one is refused in the same words."""
    why = "a severity is required (choose SEV1, SEV2, SEV3, SEV4)"
    assert cli_refusal(tmp_path, "--severity", " ") == f"lastgood declare: {why} (--severity)"
    async with declare_form(tmp_path / "r.db") as (app, pilot, form):
        severity = form.query_one("#severity", Select)
        severity.clear()
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: bool(form.error_message))
        assert form.error_message == f"Severity: {why}"  # the same words, the field named
        assert form.focused is severity
        assert app.event_log.incident_ids() == []
        severity.value = "SEV1"
        screen = await declared(app, pilot)
        assert screen.state.severity == "SEV1"


# --- the same declaration through both faces -------------------------------------------


async def test_the_form_declares_what_lastgood_declare_does(tmp_path: Path) -> None:
    """Every field, the new ones among them, once through the form and once through
    `lastgood declare`: the same first event, payload and actor. The runbook is typed
    and declared at once, never looked up by leaving its field: the pattern the form
    preselected for the first runbook ("rolling") was declared with the second, which
    has none, where `declare` without `--pattern` records none."""
    # the command line's clock is the system's, which an impact start may not precede by
    # more than a week: both faces run on today's
    now = datetime.now(UTC).replace(microsecond=0)
    started = (now - timedelta(minutes=8)).isoformat().replace("+00:00", "Z")
    cli = InProcessCli(tmp_path / "cli.db", actor="ada")
    cli_id = cli.ok(
        *("declare", "--title", "Checkout 500s", "--severity", "SEV1", "--commander", "Ada"),
        *("--issue", "checkout failing", "--eta", "30", "--started-at", started),
        *("--runbook", CHECKLIST, "--channel", "#inc", "--from-version", "2.4.1"),
        *("--last-good", "2.4.0"),
    ).strip()
    async with declare_form(tmp_path / "tui.db", now=now) as (app, pilot, form):
        form.query_one("#severity", Select).value = "SEV1"
        for field, value in {
            "issue": "checkout failing",
            "eta": "30",
            "started_at": started,
            "runbook": CHECKLIST,
            "channel": "#inc",
            "from_version": "2.4.1",
            "last_good_version": "2.4.0",
        }.items():
            form.query_one(f"#{field}", Input).value = value
        screen = await declared(app, pilot)
        tui_id = screen.state.id

    def first_event(db: Path, incident_id: str) -> tuple[str, str, dict[str, object]]:
        with SqliteEventLog.open(db, read_only=True) as log:
            event = log.events(incident_id)[0]
        return event.kind, event.actor, dict(event.payload)

    cli_event = first_event(tmp_path / "cli.db", cli_id)
    assert cli_event[2]["started_at"] == started.replace("Z", ".000Z")
    assert cli_event[2]["runbook_id"] == "rollback-checklist"
    assert first_event(tmp_path / "tui.db", tui_id) == cli_event
