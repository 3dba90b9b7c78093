"""Every error in the declaration form names the field it is about (review11 #10).

The form's one error line sits under its fields, at the foot of the dialog: at 80x24
the field drawn just above it is Channel, so `no runbook file ./lastgood.yml`, about
the Runbook field two rows higher, read as Channel's value. Each error now leads with
its field's label, as the field's own parse errors did (`Started at: ...`) and as the
post-mortem form's do (`At: ...`). Each case runs the app on a real SQLite file.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, Select

from incident.core.clock import ManualClock
from store.sqlite_log import SqliteEventLog
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tests.tui.screen_text import screen_lines
from tui.app.app import LastGoodApp
from tui.app.modals import DeclareModal
from tui.demo.scenarios import SCENARIO_T0, bundled_runbook


@asynccontextmanager
async def declare_form(db: Path) -> AsyncIterator[tuple[LastGoodApp, Pilot[None], DeclareModal]]:
    """The app at 80x24 on an empty record: the declaration form, Title, Severity and
    Commander filled in."""
    with SqliteEventLog.open(db) as log:
        app = LastGoodApp(
            log, bundled_runbook(), clock=ManualClock(SCENARIO_T0), actor="ada", network=False
        )
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for_screen(pilot, DeclareModal)
            form = app.screen
            assert isinstance(form, DeclareModal)
            form.query_one("#title", Input).value = "Checkout 500s"
            form.query_one("#severity", Select).value = "SEV2"
            form.query_one("#commander", Input).value = "Ada"
            yield app, pilot, form


async def test_a_runbook_path_not_found_is_told_as_the_runbook_s(tmp_path: Path) -> None:
    """The reviewer's keys: `./lastgood.yml` (the file is `lastgood.yaml`), then Tab."""
    async with declare_form(tmp_path / "r.db") as (app, pilot, form):
        runbook = form.query_one("#runbook", Input)
        runbook.value = "./lastgood.yml"
        runbook.focus()
        await pilot.press("tab")
        await wait_until(pilot, lambda: bool(form.error_message))
        said = "Runbook: no runbook file ./lastgood.yml"
        assert form.error_message == said
        assert any(said in line for line in screen_lines(app))

        await pilot.press("ctrl+s")  # declaring: refused again, the focus back on it
        await wait_until(pilot, lambda: form.focused is runbook)
        assert form.error_message == said
        assert app.event_log.incident_ids() == []


async def test_a_runbook_with_a_problem_is_named_once(tmp_path: Path) -> None:
    """The use case says `runbook: FILE:LINE:COL: ...`; the form says `Runbook:` once."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\n", encoding="utf-8")
    async with declare_form(tmp_path / "r.db") as (_app, pilot, form):
        runbook = form.query_one("#runbook", Input)
        runbook.value = str(bad)
        runbook.focus()
        await pilot.press("tab")
        await wait_until(pilot, lambda: bool(form.error_message))
        assert form.error_message.startswith(f"Runbook: {bad}:")
        assert "runbook:" not in form.error_message.lower().removeprefix("runbook:")


async def test_each_refusal_the_use_case_gives_names_its_field(tmp_path: Path) -> None:
    async with declare_form(tmp_path / "r.db") as (app, pilot, form):
        cases = [
            ("#title", "", "Title: a title is required"),
            ("#commander", "", "Commander: an incident commander is required"),
            (
                "#started_at",
                "2026-11-28T09:10:00Z",
                "Started at: the impact cannot start in the future",
            ),
        ]
        for field, typed, said in cases:
            widget = form.query_one(field, Input)
            kept = widget.value
            widget.value = typed
            form.query_one("#title" if field != "#title" else "#commander", Input).focus()
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda said=said: form.error_message == said)
            assert form.focused is widget
            widget.value = kept
        severity = form.query_one("#severity", Select)
        severity.clear()
        await pilot.press("ctrl+s")
        said = "Severity: a severity is required (choose SEV1, SEV2, SEV3, SEV4)"
        await wait_until(pilot, lambda: form.error_message == said)
        assert app.event_log.incident_ids() == []
