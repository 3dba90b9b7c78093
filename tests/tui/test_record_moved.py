"""The coordinator's record moved from under the running app: the note is refused and kept.

Before, the screen said "Note recorded" for every note typed after `mv r.db
archive/`, and the notes went into a file no one would find again (a storage
review). Now the form says what happened and keeps the text, and the app records
nothing more until it is opened where the record is.
"""

from __future__ import annotations

import os
from pathlib import Path

from textual.widgets import TextArea

from tests.tui.coordinator_harness import coordinator
from tests.tui.pilot_helpers import fill_form, wait_until
from tui.app.modals.verb_form import VerbForm


async def test_a_note_typed_after_the_record_moved_is_refused_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "r.db"
    async with coordinator(path) as (app, pilot, screen):
        notes_before = len(screen.state.notes)
        os.rename(path, tmp_path / "moved.db")
        await pilot.press("n")
        await fill_form(pilot, text="LB drained, error rate falling")
        form = app.screen
        assert isinstance(form, VerbForm)
        await wait_until(pilot, lambda: "moved or replaced" in form.error_message)
        assert "\n" not in form.error_message
        assert app.screen is form
        assert form.query_one("#param-text", TextArea).text == "LB drained, error rate falling"
        assert len(screen.state.notes) == notes_before
