"""A line break pasted into a field that is one line by nature (ux_review11 #3): the
title, the issue, the channel, the versions. It was recorded and sent in the messages
as a real line break mid-sentence, while the header showed ␊ and the report a space.
One rule (`incident.core.text.line_break_in`, read by `Kind.LINE`'s parser): the CLI
refuses it in one line naming the option, the declaration form on submit naming the
field; notes, evidence and reasons keep their line breaks. `lastgood` runs as a process
on a real SQLite file; the form is the real app under Pilot.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Label, Select

from incident.core.clock import ManualClock
from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import Cli, declare
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tui.app.app import LastGoodApp
from tui.app.modals import DeclareModal
from tui.demo.scenarios import SCENARIO_T0, bundled_runbook

PASTED = "Checkout 500s\nafter shop 2.4.1"
SAID = "one line only: it holds a line break (pasted?); type or paste it as one line"
DECLARE = ("declare", "--title", "t", "--severity", "SEV2", "--commander", "Ada")


@pytest.fixture
def cli(tmp_path):
    return Cli(tmp_path / "incidents.db", actor="Ada")


@pytest.mark.parametrize(
    "option", ["--title", "--issue", "--channel", "--from-version", "--last-good"]
)
def test_declare_refuses_a_line_break_naming_the_option(cli, option):
    refused = cli.run(*DECLARE, option, PASTED)
    assert refused.code == 2
    assert refused.err == f"lastgood declare: error: argument {option}: {SAID} (see --help)\n"
    assert not cli.db.exists()


def test_channel_and_send_refuse_it_and_a_note_keeps_its_lines(cli):
    incident_id = declare(cli.in_process())
    for args in (("channel", incident_id, "#inc\nx"), ("send", incident_id, "--channel", "#a\rb")):
        refused = cli.run(*args)
        assert refused.code == 2 and SAID in refused.err and refused.err.count("\n") == 1, refused
    cli.ok("note", incident_id, "first line\nsecond line")
    report = cli.ok("export", incident_id, "--format", "json", "-o", "-")
    assert "first line\\nsecond line" in report  # many-line text keeps its lines
    assert "#inc" not in report


async def test_the_declaration_form_refuses_it_naming_the_field(tmp_path: Path) -> None:
    db = tmp_path / "form.db"
    with SqliteEventLog.open(db) as log:
        app = LastGoodApp(
            log, bundled_runbook(), clock=ManualClock(SCENARIO_T0), actor="ada", network=False
        )
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for_screen(pilot, DeclareModal)
            form = app.screen
            form.query_one("#title", Input).value = PASTED
            form.query_one("#severity", Select).value = "SEV2"
            form.query_one("#commander", Input).value = "Ada"
            await pilot.press("ctrl+s")
            error = form.query_one("#error", Label)
            await wait_until(pilot, lambda: bool(str(error.render())))
            assert str(error.render()) == f"Title: {SAID}"
            assert isinstance(app.screen, DeclareModal)
            assert not log.incident_ids()


async def test_the_composer_refuses_a_pasted_line_break_in_its_channel(tmp_path: Path) -> None:
    """The composer's Channel took a pasted line break, which `send --channel` and the
    declaration's Channel refuse; it refuses it now, by the same rule, naming the field,
    and sends nothing until it is one line."""
    from textual import events
    from textual.widgets import TextArea

    from incident.app.lifecycle import Declaration, declare
    from tui.app.modals import ComposerModal
    from tui.app.screens.incident import IncidentScreen

    db = tmp_path / "composer.db"
    clock = ManualClock(SCENARIO_T0)
    with SqliteEventLog.open(db) as log:
        details = Declaration("t", "SEV2", "Ada", channel="#inc")
        incident_id = declare(log, bundled_runbook(), details, actor="ada", clock=clock).state.id
        app = LastGoodApp(
            log, None, clock=clock, actor="ada", incident_id=incident_id, network=False
        )
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            await pilot.press("c")
            await wait_for_screen(pilot, ComposerModal)
            composer = app.screen
            assert isinstance(composer, ComposerModal)
            composer.query_one("#text", TextArea).insert("Rolling back now.")
            channel = composer.query_one("#channel", Input)
            channel.focus()
            channel.value = ""
            app.post_message(events.Paste("a\nb"))
            await wait_until(pilot, lambda: channel.value == "a\nb")
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: bool(composer.error_message))
            assert composer.error_message == f"Channel: {SAID}"
            assert app.screen is composer and app.focused is channel
            channel.value = "#inc-b"
            await pilot.press("ctrl+s")
            await wait_for_screen(pilot, IncidentScreen)
        sent = [e for e in log.events(incident_id) if e.kind == "communication.sent"]
    assert [e.payload["channel"] for e in sent] == ["#inc-b"]
