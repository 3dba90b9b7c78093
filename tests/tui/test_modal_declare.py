"""Pilot tests of the declare form: every field by keys, `lastgood declare`'s defaults,
and its refusals in the same words (the form's record runs the use case's checks)."""

from __future__ import annotations

from datetime import UTC, datetime

from textual.widgets import Input, Select

from tests.tui.modal_harness import (
    assert_still_open,
    declare_modal,
    error_text,
    focused_id,
    opened,
    type_text,
)
from tui.app.modals import (
    DeclareForm,
)

# --- DeclareModal ----------------------------------------------------------------------------


async def test_declare_full_form_by_keys() -> None:
    modal = declare_modal()
    async with opened(modal) as (app, pilot):
        assert focused_id(app) == "title"
        await type_text(pilot, "5xx")
        await pilot.press("enter")  # next field: severity
        assert focused_id(app) == "severity"
        await pilot.press("enter", "down", "enter")  # (choose) -> SEV1
        await pilot.press("tab")
        assert focused_id(app) == "commander"
        await pilot.press("tab")
        await type_text(pilot, "err")
        await pilot.press("enter")
        await type_text(pilot, "20")
        await pilot.press("enter")
        assert focused_id(app) == "started_at"
        await type_text(pilot, "2026-11-28T08:52:00Z")
        await pilot.press("enter")
        assert focused_id(app) == "runbook"
        await pilot.press("enter")
        assert focused_id(app) == "pattern"
        await pilot.press("tab")
        await type_text(pilot, "v2")
        await pilot.press("enter")
        await type_text(pilot, "v1")
        await pilot.press("enter")
        assert focused_id(app) == "channel"
        await type_text(pilot, "#i")
        await pilot.press("enter")  # Enter in the last Input submits
        await pilot.pause()
        assert app.results == [
            DeclareForm(
                title="5xx",
                severity="SEV1",
                commander="alice",
                issue="err",
                eta_min=20,
                pattern=None,  # left as preselected: the runbook's default, as without --pattern
                from_version="v2",
                last_good_version="v1",
                channel="#i",
                started_at=datetime(2026, 11, 28, 8, 52, tzinfo=UTC),
                runbook="rollback",
            )
        ]


async def test_declare_defaults_are_the_command_line_s() -> None:
    """No severity chosen (`--severity` has no default), the runbook `rollback` (as
    `--runbook`), the pattern the runbook's default, no back-dated start."""
    modal = declare_modal()
    async with opened(modal) as (app, pilot):
        assert app.screen.query_one("#severity", Select).is_blank()
        assert app.screen.query_one("#runbook", Input).value == "rollback"
        assert app.screen.query_one("#pattern", Select).value == "rolling"
        assert app.screen.query_one("#started_at", Input).value == ""
        await type_text(pilot, "Bad")
        app.screen.query_one("#severity", Select).value = "SEV3"
        app.screen.query_one("#runbook", Input).value = ""  # empty: `declare`'s default
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.results == [
            DeclareForm(
                title="Bad",
                severity="SEV3",
                commander="alice",
                issue="",
                eta_min=None,
                pattern=None,
                from_version="",
                last_good_version="",
                channel="",
                started_at=None,
                runbook="rollback",
            )
        ]


async def test_declare_required_fields_in_the_use_case_s_words() -> None:
    modal = declare_modal(commander="")
    async with opened(modal) as (app, pilot):
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert error_text(app) == "Title: a title is required"
        assert focused_id(app) == "title"
        await type_text(pilot, "Bad")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert error_text(app) == "Severity: a severity is required (choose SEV1, SEV2, SEV3, SEV4)"
        assert focused_id(app) == "severity"
        app.screen.query_one("#severity", Select).value = "SEV2"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert error_text(app) == "Commander: an incident commander is required"
        assert focused_id(app) == "commander"
        assert_still_open(app, modal)


async def test_declare_escape_closes_an_open_select_first() -> None:
    modal = declare_modal()
    async with opened(modal) as (app, pilot):
        severity = app.screen.query_one("#severity", Select)
        severity.focus()
        await pilot.press("enter")
        assert severity.expanded
        await pilot.press("escape")
        await pilot.pause()
        assert not severity.expanded
        assert_still_open(app, modal)
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]


BAD_ETAS = [
    ("-3", "minutes cannot be negative"),
    ("abc", "'abc' is not a whole number of minutes"),
    ("1.5", "'1.5' is not a whole number of minutes"),
    ("²", "'²' is not a whole number of minutes"),
    ("1_0", "'1_0' is not a whole number of minutes"),
    ("600000", "600000 minutes is more than a year (525,600)"),
]


async def test_declare_rejects_bad_eta_as_the_command_line_does() -> None:
    """`lastgood declare --eta` reads the ETA with the same parameter: the same words.

    One form is submitted with each in turn, from the title as when it opened: each
    refusal's words differ, and each moves the focus back to the ETA (a form opened for
    each cost 0.2 s of CPU)."""
    modal = declare_modal()
    async with opened(modal) as (app, pilot):
        app.screen.query_one("#title", Input).value = "Bad release"
        for eta, why in BAD_ETAS:
            app.screen.query_one("#title", Input).focus()
            app.screen.query_one("#eta", Input).value = eta
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert error_text(app) == f"ETA minutes: {why}"
            assert focused_id(app) == "eta", eta
            assert_still_open(app, modal)


async def test_declare_accepts_zero_eta() -> None:
    modal = declare_modal()
    async with opened(modal) as (app, pilot):
        app.screen.query_one("#title", Input).value = "Bad release"
        app.screen.query_one("#severity", Select).value = "SEV2"
        app.screen.query_one("#eta", Input).value = " 0 "
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [form.eta_min for form in app.results] == [0]


async def test_declare_a_pattern_chosen_is_declared() -> None:
    modal = declare_modal()
    async with opened(modal) as (app, pilot):
        app.screen.query_one("#title", Input).value = "Bad release"
        app.screen.query_one("#severity", Select).value = "SEV2"
        app.screen.query_one("#pattern", Select).value = "blue-green"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [form.pattern for form in app.results] == ["blue-green"]
