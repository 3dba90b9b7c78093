"""A declaration refused is told in the declare form, which keeps everything typed.

The form closed first and recorded after: a title over its limit came back as a
toast over an empty form, and a store error (a full disk) ended the app with a
traceback and exit status 0, losing what was typed (a storage review). The record
here is refused for real: a title one character over, and a file moved away under
the app.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, Select

from incident.core.clock import ManualClock
from incident.core.limits import TITLE
from store.sqlite_log import SqliteEventLog
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tui.app.app import LastGoodApp
from tui.app.modals import DeclareModal
from tui.app.screens.incident import IncidentScreen
from tui.demo.scenarios import SCENARIO_T0, bundled_runbook

TYPED = {"commander": "Ada", "issue": "checkout 500s", "from_version": "2.4.1"}


def fill(form: DeclareModal, title: str) -> None:
    form.query_one("#title", Input).value = title
    form.query_one("#severity", Select).value = "SEV2"
    for field, value in TYPED.items():
        form.query_one(f"#{field}", Input).value = value


def kept(form: DeclareModal) -> dict[str, str]:
    return {field: form.query_one(f"#{field}", Input).value for field in TYPED}


@asynccontextmanager
async def declare_form(path: Path) -> AsyncIterator[tuple[LastGoodApp, Pilot[None], DeclareModal]]:
    """The app on a record with no incident yet, which opens on the declare form."""
    with SqliteEventLog.open(path) as log:
        app = LastGoodApp(
            log, bundled_runbook(), clock=ManualClock(SCENARIO_T0), actor="ada", network=False
        )
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for_screen(pilot, DeclareModal)
            form = app.screen
            assert isinstance(form, DeclareModal)
            yield app, pilot, form


async def test_a_title_over_its_limit_is_refused_in_the_form_and_kept(tmp_path: Path) -> None:
    async with declare_form(tmp_path / "r.db") as (app, pilot, form):
        too_long = "x" * (TITLE.max_chars + 1)
        fill(form, too_long)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "limit for a title is 200" in form.error_message)
        assert app.screen is form
        assert form.query_one("#title", Input).value == too_long
        assert kept(form) == TYPED

        form.query_one("#title", Input).value = "Checkout errors after 2.4.1"
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, IncidentScreen)
        assert app.screen.state.title == "Checkout errors after 2.4.1"  # type: ignore[attr-defined]


async def test_a_store_error_is_refused_in_the_form_and_the_app_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "r.db"
    async with declare_form(path) as (app, pilot, form):
        os.rename(path, tmp_path / "moved.db")
        fill(form, "Checkout errors after 2.4.1")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "moved or replaced" in form.error_message)
        assert app.screen is form and app.return_code is None
        assert kept(form) == TYPED
