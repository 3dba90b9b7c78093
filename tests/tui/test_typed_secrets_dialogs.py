"""The screen's paths to the record that did not pass the typed-secret check
(`incident.app.typed_secrets`): the declaration form, the due message's dialog (its
text edited before sending) and the composer on a screen that keeps nothing on disk.
Each recorded typed text holding a credential's value as typed; each now refuses it in
the dialog, naming the field and the variable, keeps what was typed for editing, and
records nothing. The real app under Pilot, on a real SQLite file.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Select, TextArea

from incident.app.lifecycle import Declaration, declare
from incident.core.clock import ManualClock, SystemClock
from runbooks.loading import load_runbook
from store.sqlite_log import SqliteEventLog
from tests.tui.due_harness import (
    CONFIRM_ON_GATE,
    approve_and_check_gate,
    offers_due,
    stored,
    write_runbook,
)
from tests.tui.due_harness import declare as declare_due
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tui.app.app import LastGoodApp
from tui.app.modals import ComposerModal, DeclareModal
from tui.app.modals.due_message import DueMessageModal
from tui.app.screens.incident import IncidentScreen
from tui.demo.scenarios import SCENARIO_T0, bundled_runbook

TOKEN = "tok-TYPED-SECRET-4711"
SAID = "holds the value of $LASTGOOD_TEST_TOKEN, a secret: not recorded"


@pytest.fixture(autouse=True)
def credential(monkeypatch: pytest.MonkeyPatch) -> None:
    """A credential in the environment, named like one: a secret the incident knows of."""
    monkeypatch.setenv("LASTGOOD_TEST_TOKEN", TOKEN)


async def test_the_declaration_form_refuses_a_title_holding_a_secret(tmp_path: Path) -> None:
    db = tmp_path / "form.db"
    with SqliteEventLog.open(db) as log:
        app = LastGoodApp(
            log, bundled_runbook(), clock=ManualClock(SCENARIO_T0), actor="ada", network=False
        )
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for_screen(pilot, DeclareModal)
            form = app.screen
            assert isinstance(form, DeclareModal)
            form.query_one("#title", Input).value = f"Checkout 500s, hook {TOKEN}"
            form.query_one("#severity", Select).value = "SEV2"
            form.query_one("#commander", Input).value = "Ada"
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: SAID in form.error_message)
            assert form.error_message.startswith("Title holds the value")
            assert TOKEN not in form.error_message
            assert app.screen is form
            assert form.query_one("#title", Input).value == f"Checkout 500s, hook {TOKEN}"
            assert not log.incident_ids()


async def test_the_declaration_form_names_the_field_as_it_labels_it(tmp_path: Path) -> None:
    """The refusal named `last_good`, the code's name, on a form whose field reads
    "Last-good version": it names the label now, and the cursor is put there."""
    db = tmp_path / "form.db"
    with SqliteEventLog.open(db) as log:
        app = LastGoodApp(
            log, bundled_runbook(), clock=ManualClock(SCENARIO_T0), actor="ada", network=False
        )
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for_screen(pilot, DeclareModal)
            form = app.screen
            assert isinstance(form, DeclareModal)
            form.query_one("#title", Input).value = "Checkout 500s"
            form.query_one("#severity", Select).value = "SEV2"
            form.query_one("#commander", Input).value = "Ada"
            form.query_one("#last_good_version", Input).value = f"2.4.0 {TOKEN}"
            form.query_one("#title", Input).focus()
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: SAID in form.error_message)
            assert form.error_message.startswith(f"Last-good version {SAID}")
            assert "last_good" not in form.error_message
            assert app.focused is form.query_one("#last_good_version", Input)
            assert not log.incident_ids()


async def test_the_due_dialog_refuses_edited_text_holding_a_secret(tmp_path: Path) -> None:
    runbook = write_runbook(tmp_path, {"team": "http://127.0.0.1:9/hook"}, CONFIRM_ON_GATE)
    db = tmp_path / "due.db"
    incident_id = declare_due(db, runbook, SystemClock())
    with SqliteEventLog.open(db) as log:
        app = LastGoodApp(
            log, runbook, clock=SystemClock(), actor="ada", incident_id=incident_id, network=False
        )
        async with app.run_test(size=(120, 30)) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            screen = app.screen
            assert isinstance(screen, IncidentScreen)
            await approve_and_check_gate(pilot, screen)
            await wait_until(pilot, lambda: offers_due(screen))
            await pilot.press("m")
            await wait_for_screen(pilot, DueMessageModal)
            dialog = app.screen
            assert isinstance(dialog, DueMessageModal)
            text_area = dialog.query_one("#text", TextArea)
            text_area.insert(f" Hook: {TOKEN}")
            edited = text_area.text
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: SAID in dialog.error_message)
            assert dialog.error_message.startswith("Text holds the value")
            assert app.screen is dialog and text_area.text == edited
    recorded = stored(db, incident_id)
    assert not [e for e in recorded if e.kind == "communication.sent"]
    assert all(TOKEN not in str(e.payload) for e in recorded)


COMPOSED = """\
runbook: composed
title: Composed
templates:
  note: "A word to the team."
phases:
  - id: decide
    title: Decide
    steps:
      - {id: decide, title: Decide to roll back}
"""


@pytest.mark.parametrize("field", ["#text", "#channel"])
async def test_the_composer_refuses_a_secret_with_nothing_kept_on_disk(
    tmp_path: Path, field: str
) -> None:
    """The composer checked only on the way to the spool: with no spool (`kept_dir`
    None) it sent through `messages.send`, which no check guards."""
    path = tmp_path / "composed.yaml"
    path.write_text(COMPOSED)
    clock = ManualClock(SCENARIO_T0)
    db = tmp_path / "composed.db"
    with SqliteEventLog.open(db) as log:
        details = Declaration("t", "SEV2", "Ada")
        incident_id = declare(log, load_runbook(path), details, actor="ada", clock=clock).state.id
        app = LastGoodApp(
            log, None, clock=clock, actor="ada", incident_id=incident_id, network=False
        )
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            assert app.screen.desk.kept is None  # type: ignore[attr-defined]
            await pilot.press("c")
            await wait_for_screen(pilot, ComposerModal)
            composer = app.screen
            assert isinstance(composer, ComposerModal)
            composer.query_one("#text", TextArea).insert("Rolling back now.")
            if field == "#text":
                composer.query_one("#text", TextArea).insert(f" Hook: {TOKEN}")
            else:
                composer.query_one("#channel", Input).value = f"#inc {TOKEN}"
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: SAID in composer.error_message)
            assert composer.error_message.startswith(f"{field[1:].capitalize()} holds the value")
            assert app.screen is composer
        recorded = log.events(incident_id)
    assert not [e for e in recorded if e.kind == "communication.sent"]
