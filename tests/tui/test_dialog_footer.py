"""The footer under a dialog names the dialog's keys, not the screen's beneath it.

A dialog had no footer of its own: the coordinator's showed through it, offering
Check, Skip and Quit while a form was open, none of which the form takes. Each
dialog now shows its own (Escape to cancel, ctrl+s to submit, ...), its control
keys written as its buttons and hints write them (`ctrl+s`, not Textual's `^s`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tui.coordinator_harness import coordinator, guide
from tests.tui.pilot_helpers import wait_for_screen
from tests.tui.screen_text import screen_lines
from tui.app.modals import DecisionModal, VerbForm
from tui.app.modals.base import LastgoodModal
from tui.app.modals.brief import BriefModal
from tui.app.modals.help import HelpModal


@pytest.mark.parametrize(
    ("key", "dialog", "keys"),
    [
        ("n", VerbForm, ["ctrl+s Submit", "esc Cancel"]),
        # The gate opens on its triggers, where space toggles a manual one (in Reason
        # it is a space: tests/tui/test_decision_focus.py).
        ("d", DecisionModal, ["space Toggle manual trigger", "ctrl+s Submit", "esc Cancel"]),
        ("question_mark", HelpModal, ["esc Close"]),  # pages to read: nothing to cancel
        ("i", BriefModal, ["s For stakeholders", "esc Close"]),
    ],
    ids=["note", "decision", "help", "brief"],
)
async def test_the_footer_under_a_dialog_shows_the_dialogs_keys(
    tmp_path: Path, key: str, dialog: type[LastgoodModal[object]], keys: list[str]
) -> None:
    async with coordinator(tmp_path / "footer.db", size=(120, 40)) as (app, pilot, screen):
        await guide(pilot, screen, "decide-rollback")
        under = screen_lines(app)[-1]
        assert "space Check" in under and "q Quit" in under  # the coordinator's own
        await pilot.press(key)
        await wait_for_screen(pilot, dialog)
        footer = screen_lines(app)[-1]
        assert footer.split() == " ".join(keys).split(), footer
