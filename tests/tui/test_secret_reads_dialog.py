"""The note dialog records a service's name that a probe's host reads from the
environment (`runbooks.secret_reads`): every `${NAME}` a probe read counted as a secret,
and "checkout is down" was refused with no way round. The real app under Pilot, on a
real SQLite file; a header's token is still refused in the same dialog."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import TextArea

from incident.app.verbs import BY_NAME
from incident.core.payloads import NoteAdded
from store.sqlite_log import SqliteEventLog
from tests.test_secret_reads import SCOPED, VALUES
from tests.tui.coordinator_harness import declared_on
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tui.app.app import LastGoodApp
from tui.app.modals.verb_form import VerbForm, field_id
from tui.app.screens.incident import IncidentScreen


def notes(db: Path, incident: str) -> list[str]:
    with SqliteEventLog.open(db, read_only=True) as reader:
        return [e.data.text for e in reader.events(incident) if isinstance(e.data, NoteAdded)]


async def test_the_note_dialog_records_the_service_a_probe_s_host_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in VALUES.items():
        monkeypatch.setenv(name, value)
    db, _runbook, incident = declared_on(tmp_path, "scoped", SCOPED)
    text_id = f"#{field_id(BY_NAME['note'].params[0])}"
    with SqliteEventLog.open(db) as log:
        app = LastGoodApp(log, None, actor="ada", incident_id=incident, network=False)
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_for_screen(pilot, IncidentScreen)
            await pilot.press("n")
            await wait_for_screen(pilot, VerbForm)
            form = app.screen
            assert isinstance(form, VerbForm)
            text = form.query_one(text_id, TextArea)
            text.text = f"token {VALUES['HEADER_TOK']}"
            await pilot.press("ctrl+s")
            said = "holds the value of $HEADER_TOK, a secret"
            await wait_until(pilot, lambda: said in form.error_message)
            assert form.error_message.startswith(f"Text {said}")  # not the code's `text`
            assert app.screen is form and app.focused is text
            text.text = "checkout is down"
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: app.screen is not form)
    assert notes(db, incident) == ["checkout is down"]
