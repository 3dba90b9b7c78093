"""Pilot tests of the declare form: every field by keys, defaults, required fields, bad ETAs."""

from __future__ import annotations

import pytest
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
        await pilot.press("enter", "up", "enter")  # SEV2 -> SEV1
        await pilot.press("tab")
        assert focused_id(app) == "commander"
        await pilot.press("tab")
        await type_text(pilot, "err")
        await pilot.press("enter")
        await type_text(pilot, "20")
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
                pattern="rolling",
                from_version="v2",
                last_good_version="v1",
                channel="#i",
            )
        ]


async def test_declare_minimal_form_defaults() -> None:
    modal = declare_modal(default_pattern=None)
    async with opened(modal) as (app, pilot):
        await type_text(pilot, "Bad")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.results == [
            DeclareForm(
                title="Bad",
                severity="SEV2",
                commander="alice",
                issue="",
                eta_min=None,
                pattern=None,
                from_version="",
                last_good_version="",
                channel="",
            )
        ]


async def test_declare_required_fields() -> None:
    modal = declare_modal(commander="")
    async with opened(modal) as (app, pilot):
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert error_text(app) == "Title and Commander are required."
        assert focused_id(app) == "title"
        await type_text(pilot, "Bad")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert error_text(app) == "Commander is required."
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


@pytest.mark.parametrize("eta", ["-3", "abc", "1.5", "²"])
async def test_declare_rejects_bad_eta(eta: str) -> None:
    modal = declare_modal()
    async with opened(modal) as (app, pilot):
        app.screen.query_one("#title", Input).value = "Bad release"
        app.screen.query_one("#eta", Input).value = eta
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert error_text(app) == "ETA must be whole minutes (0 or more), or empty."
        assert focused_id(app) == "eta"
        assert_still_open(app, modal)


async def test_declare_accepts_zero_eta() -> None:
    modal = declare_modal()
    async with opened(modal) as (app, pilot):
        app.screen.query_one("#title", Input).value = "Bad release"
        app.screen.query_one("#eta", Input).value = " 0 "
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [form.eta_min for form in app.results] == [0]
