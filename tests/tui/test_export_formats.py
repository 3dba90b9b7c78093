"""`e` writes what its help promises: the report (Markdown), the whole record (JSON) or
the post-mortem invitation (ics), chosen on the form or by the file's name.

The form had one field, Output, and wrote Markdown into `tui-export.ics`; its default
path was the file the on-call engineer recorded as evidence, which Enter overwrote
(ux_review16 #11). Each run writes through the use case `export` calls
(`incident.app.exports.export_file`) and reads the file back as its reader would.
"""

from __future__ import annotations

import json
import socket
from datetime import timedelta
from pathlib import Path

import icalendar
from textual.widgets import Input, Label, Select

from incident import commands
from tests.tui.pilot_helpers import scenario_app, wait_for_screen, wait_until
from tui.app.app import LastGoodApp
from tui.app.modals.export_form import ExportForm
from tui.app.modals.parts import MarkedCheckbox
from tui.app.screens.incident import IncidentScreen
from tui.demo.scenarios import ACTOR, Scenario, resolved


def said(app: LastGoodApp) -> str:
    return "\n".join(str(n.message) for n in app._notifications)


def booked(db: Path) -> Scenario:
    scenario = resolved(db)
    clock = scenario.clock
    scenario.run(
        lambda s: commands.schedule_postmortem(
            s,
            clock.now() + timedelta(hours=20),
            actor=ACTOR,
            clock=clock,
            attendees=("bo@example.com", "Cy"),
            organizer="ada@example.com",
        )
    )
    return scenario


async def test_a_name_ending_in_ics_chooses_the_invitation_and_writes_a_calendar(tmp_path):
    scenario = booked(tmp_path / "booked.db")
    app = scenario_app(scenario)
    target = tmp_path / "tui-export.ics"
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        await pilot.press("e")
        await wait_for_screen(pilot, ExportForm)
        form = app.screen
        chooser = form.query_one("#param-format", Select)
        assert chooser.value == "markdown"
        form.query_one("#param-output", Input).value = str(target)
        await wait_until(pilot, lambda: chooser.value == "ics")
        box = form.query_one("#param-check_step", MarkedCheckbox)
        assert box.disabled and box.value is False  # checking the step is the report's
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, IncidentScreen)
        await wait_until(pilot, lambda: "Invitation written to" in said(app))
    calendar = icalendar.Calendar.from_ical(target.read_text(encoding="utf-8"))
    event = next(c for c in calendar.walk() if c.name == "VEVENT")
    assert calendar["METHOD"] == "REQUEST"
    assert str(event["ORGANIZER"]) == "mailto:ada@example.com"
    assert not scenario.session.state.steps["document-incident"].done


async def test_choosing_json_renames_the_file_and_writes_the_whole_record(tmp_path):
    scenario = resolved(tmp_path / "resolved.db")
    app = scenario_app(scenario)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        await pilot.press("e")
        await wait_for_screen(pilot, ExportForm)
        form = app.screen
        output = form.query_one("#param-output", Input)
        output.value = str(tmp_path / "shared-report.md")
        box = form.query_one("#param-check_step", MarkedCheckbox)
        assert box.value is True  # phase 4: ticked as before
        form.query_one("#param-format", Select).value = "json"
        await wait_until(pilot, lambda: output.value.endswith("shared-report.json"))
        assert box.disabled and box.value is False
        form.query_one("#param-format", Select).value = "markdown"  # and back: as it was
        await wait_until(pilot, lambda: not box.disabled)
        assert box.value is True and output.value.endswith("shared-report.md")
        form.query_one("#param-format", Select).value = "json"
        await wait_until(pilot, lambda: output.value.endswith(".json"))
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, IncidentScreen)
        await wait_until(pilot, lambda: "Record written to" in said(app))
    record = json.loads((tmp_path / "shared-report.json").read_text(encoding="utf-8"))
    assert record["format"] == "lastgood-incident/1"
    assert record["head_hash"] == record["events"][-1]["hash"]
    assert not (tmp_path / "shared-report.md").exists()


async def test_a_name_for_another_format_than_the_one_chosen_is_refused_in_one_line(tmp_path):
    scenario = resolved(tmp_path / "resolved.db")
    app = scenario_app(scenario)
    target = tmp_path / "tui-export.ics"
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        await pilot.press("e")
        await wait_for_screen(pilot, ExportForm)
        form = app.screen
        with form.prevent(Input.Changed, Select.Changed):  # as if one had not followed
            form.query_one("#param-output", Input).value = str(target)
            form.query_one("#param-format", Select).value = "markdown"
        await pilot.press("ctrl+s")
        error = form.query_one("#error", Label)
        await wait_until(pilot, lambda: "is named for" in str(error.content))
        assert str(error.content) == (
            "tui-export.ics is named for ics, not Markdown: choose ics, or end the name in .md"
        )
        assert app.screen is form
    assert not target.exists()


async def test_the_default_path_is_the_readers_own_not_anothers_evidence(tmp_path, monkeypatch):
    """Dana checked "Document the incident" with ./ID-report.md here; Ada's `e` offered
    that file, which Enter overwrote. Ada is offered a file of her own; Dana, hers."""
    monkeypatch.chdir(tmp_path)
    scenario = resolved(tmp_path / "resolved.db")
    theirs = tmp_path / f"{scenario.incident_id}-report.md"
    theirs.write_text("# Dana's report\n", encoding="utf-8")
    evidence = f"report {theirs} on {socket.gethostname()}, head 0123456789ab"
    scenario.run(
        lambda s: commands.check_step(
            s, "document-incident", actor="Dana Oncall", clock=scenario.clock, evidence=evidence
        )
    )
    for reader, offered in (
        ("ada", f"./{scenario.incident_id}-report-ada.md"),
        ("Dana Oncall", str(theirs)),
    ):
        app = scenario_app(scenario, actor=reader)
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            await pilot.press("e")
            await wait_for_screen(pilot, ExportForm)
            form = app.screen
            assert form.query_one("#param-output", Input).value == offered
            if reader == "ada":
                await pilot.press("enter")
                await wait_for_screen(pilot, IncidentScreen)
                await wait_until(pilot, lambda app=app: "Report written to" in said(app))
    assert theirs.read_text(encoding="utf-8") == "# Dana's report\n"
    assert (
        (tmp_path / f"{scenario.incident_id}-report-ada.md")
        .read_text()
        .startswith("# Incident report")
    )
