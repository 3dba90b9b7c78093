"""Text typed into a dialog is not thrown away without asking.

ctrl+q quits from anywhere, a dialog too; with text typed into an open form it used to
quit at once, and the draft was gone (a note, a root cause, a message). It now asks
first; with nothing typed it quits at once, as `q` does on the coordinator's screen.
Esc in a dialog with a text area holding typed text (the composer's message, a
note) asks the same way before throwing it away. Help lists ctrl+q.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static, TextArea

from tests.scenario_copies import scenario_copy
from tests.tui.pilot_helpers import highlight, scenario_app, wait_for_screen, wait_until
from tui.app.app import LastGoodApp
from tui.app.modals import ComposerModal, ConfirmModal, HelpModal, VerbForm
from tui.app.modals.due_message import DueMessageModal
from tui.app.screens.incident import IncidentScreen

NOTE = "draft note typed before quitting"


def app_on(tmp_path: Path) -> LastGoodApp:
    return scenario_app(scenario_copy("declared", tmp_path / "drafts.db"))


def keys(text: str) -> list[str]:
    return ["space" if ch == " " else ch for ch in text]


async def test_ctrl_q_over_a_typed_note_asks_and_no_keeps_it(tmp_path: Path) -> None:
    app = app_on(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        await pilot.press("n", *keys(NOTE))
        await wait_for_screen(pilot, VerbForm)
        form = app.screen
        text = form.query_one("#param-text", TextArea)
        await wait_until(pilot, lambda: text.text == NOTE)
        await pilot.press("ctrl+q")
        await wait_for_screen(pilot, ConfirmModal)
        assert app.return_code is None  # still running
        question = app.screen
        assert "Note" in str(question.query_one(".question").render())
        await pilot.press("n")
        await wait_until(pilot, lambda: app.screen is form)
        assert text.text == NOTE and text.has_focus
        await pilot.press("ctrl+q")
        await wait_for_screen(pilot, ConfirmModal)
        await pilot.press("y")
        await wait_until(pilot, lambda: app.return_code == 0)


async def test_ctrl_q_over_an_untouched_form_quits_at_once(tmp_path: Path) -> None:
    app = app_on(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        await pilot.press("n")
        await wait_for_screen(pilot, VerbForm)
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: app.return_code == 0)


async def test_escape_in_the_composer_asks_before_dropping_a_typed_message(
    tmp_path: Path,
) -> None:
    app = app_on(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        incident = app.screen
        assert isinstance(incident, IncidentScreen)
        before = incident.state.last_seq
        highlight(incident, "announce-rollback")
        await pilot.press("c")
        await wait_for_screen(pilot, ComposerModal)
        composer = app.screen
        await pilot.press("escape")  # the template's text, untouched: closes at once
        await wait_for_screen(pilot, IncidentScreen)

        await pilot.press("c")
        await wait_for_screen(pilot, ComposerModal)
        composer = app.screen
        text = composer.query_one("#text", TextArea)
        template = text.text
        await pilot.press(*keys(" Next update in 15 minutes."))
        await wait_until(pilot, lambda: text.text.endswith("15 minutes."))
        await pilot.press("escape")
        await wait_for_screen(pilot, ConfirmModal)
        await pilot.press("escape")  # Esc again keeps the message
        await wait_until(pilot, lambda: app.screen is composer)
        assert text.text == template + " Next update in 15 minutes."
        await pilot.press("escape")
        await wait_for_screen(pilot, ConfirmModal)
        await pilot.press("y")
        await wait_for_screen(pilot, IncidentScreen)
        assert composer not in app.screen_stack
        assert incident.state.last_seq == before  # nothing sent


async def test_help_lists_ctrl_q(tmp_path: Path) -> None:
    app = app_on(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        await pilot.press("question_mark")
        await wait_for_screen(pilot, HelpModal)
        shown = [str(key.render()) for key in app.screen.query(".key").results(Static)]
        assert "ctrl+q" in shown


async def test_ctrl_q_twice_quits_over_a_draft(tmp_path: Path) -> None:
    app = app_on(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        await pilot.press("n", *keys(NOTE))
        await wait_for_screen(pilot, VerbForm)
        text = app.screen.query_one("#param-text", TextArea)
        await wait_until(pilot, lambda: text.text == NOTE)
        await pilot.press("ctrl+q")
        await wait_for_screen(pilot, ConfirmModal)
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: app.return_code == 0)


async def test_an_edited_due_message_is_asked_about_too(tmp_path: Path) -> None:
    """The due message's editor is a message like the composer's: ctrl+q and Esc
    ("decide later") ask before its edits are lost."""
    app = scenario_app(scenario_copy("mid-phase-2", tmp_path / "due.db"))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        await pilot.press("m")
        await wait_for_screen(pilot, DueMessageModal)
        dialog = app.screen
        text = dialog.query_one("#text", TextArea)
        await pilot.press(*keys(" Edited."))
        await wait_until(pilot, lambda: text.text.endswith(" Edited."))
        await pilot.press("ctrl+q")
        await wait_for_screen(pilot, ConfirmModal)
        await pilot.press("n")
        await wait_until(pilot, lambda: app.screen is dialog)
        await pilot.press("escape")
        await wait_for_screen(pilot, ConfirmModal)
        await pilot.press("y")
        await wait_for_screen(pilot, IncidentScreen)
        assert dialog not in app.screen_stack and app.return_code is None
