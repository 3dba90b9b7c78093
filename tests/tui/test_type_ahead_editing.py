"""Editing keys typed ahead apply in order, to the field they were typed in, in every
form (`tui/app/type_ahead.py`).

A key a field takes through a binding (Backspace, Delete, ctrl+w, Home, the arrows)
used to be looked up only once it had bubbled up to the app, after the keys of the
burst behind it had been handed out: a Backspace before Tab erased from the next
field, one before a letter erased that letter, Home came after the letters typed
behind it. Each burst here is queued on the app at once, as a terminal's one read
delivers it (`tests/tui/test_type_ahead_terminal.py` does it through tmux).
"""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from tests.tui.coordinator_harness import bo_smith_in_command, coordinator, guide
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tui.app.modals import ComposerModal, DecisionModal
from tui.app.modals.verb_form import VerbForm

KEYS: dict[str, str | None] = {
    "enter": "\r",
    "tab": "\t",
    "shift+tab": None,
    "backspace": "\x7f",
    "delete": None,
    "left": None,
    "right": None,
    "up": None,
    "home": None,
    "end": None,
    "ctrl+w": "\x17",
    "ctrl+u": "\x15",
    "ctrl+s": "\x13",
}
"""Key names in a burst, with the character the terminal's parser gives them."""


class Pasted(str):
    """Text pasted (bracketed) in the middle of a burst."""


def burst(pilot: Pilot[None], *parts: str) -> None:
    """Queue every part at once: a key by its name, a paste, or text char by char."""
    for part in parts:
        if isinstance(part, Pasted):
            pilot.app.post_message(events.Paste(str(part)))
        elif part in KEYS:
            pilot.app.post_message(events.Key(part, KEYS[part]))
        else:
            for char in part:
                pilot.app.post_message(events.Key("space" if char == " " else char, char))


async def test_a_skip_reason_edited_as_it_is_typed(tmp_path: Path) -> None:
    async with coordinator(tmp_path / "skip.db") as (_, pilot, screen):
        await guide(pilot, screen, "assess-severity")
        burst(pilot, "s", "assessed in the deploy chanelx", "backspace", "left", "left", "n")
        burst(pilot, "end", "enter")
        await wait_until(pilot, lambda: screen.state.steps["assess-severity"].skipped)
        assert screen.state.steps["assess-severity"].reason == "assessed in the deploy channel"


async def test_a_note_edited_and_pasted_into_as_it_is_typed(tmp_path: Path) -> None:
    async with coordinator(tmp_path / "note.db") as (app, pilot, screen):
        burst(pilot, "n", "xrolled back at 0650", *["backspace"] * 4, Pasted("06:50"))
        burst(pilot, " by Bo Smtih", "ctrl+w", "Smith", "home", "delete", "ctrl+s")
        await wait_until(pilot, lambda: bool(screen.state.notes))
        assert [note.text for note in screen.state.notes] == ["rolled back at 06:50 by Bo Smith"]
        await wait_until(pilot, lambda: app.screen is screen)  # the form closes once recorded


async def test_the_decision_edited_across_its_fields(tmp_path: Path) -> None:
    async with coordinator(tmp_path / "decide.db", prepare=bo_smith_in_command) as (
        app,
        pilot,
        screen,
    ):
        burst(pilot, "d")
        await wait_for_screen(pilot, DecisionModal)
        by = app.screen.query_one("#by", Input)
        by.value = ""
        by.focus()
        await pilot.pause()
        burst(pilot, "Bo Smithx", "backspace", "tab", "checkout brokne", "left", "backspace")
        burst(pilot, "right", "n", "shift+tab", "end", "ctrl+u", "Bo Smith", "tab", "ctrl+s")
        await wait_until(pilot, lambda: "decide-rollback" in screen.state.approvals)
        approval = screen.state.approvals["decide-rollback"]
        assert (approval.by, approval.reason) == ("Bo Smith", "checkout broken")


async def test_a_message_edited_across_its_lines(tmp_path: Path) -> None:
    async with coordinator(tmp_path / "compose.db") as (app, pilot, _):
        burst(pilot, "c")
        await wait_for_screen(pilot, ComposerModal)
        dialog = app.screen
        text = dialog.query_one("#text", TextArea)
        await wait_until(pilot, lambda: text.has_focus and not app.holding_keys)
        text.clear()
        burst(pilot, "line one", "enter", "line to", "left", "w", "up", "end", "!", "shift+tab")
        await wait_until(pilot, lambda: not text.has_focus and not app.keys_on_their_way)
        assert text.text == "line one!\nline two"


async def test_keys_typed_as_a_form_opens_are_edited_there(tmp_path: Path) -> None:
    """The keys held while the form mounts are handed on one at a time, each done
    before the next: Backspace erases the letter before it, not the one after."""
    async with coordinator(tmp_path / "open.db") as (app, pilot, screen):
        burst(pilot, "n", "ab", "backspace", "c", "left", "delete", "d")
        await wait_for_screen(pilot, VerbForm)
        form = app.screen
        area = form.query_one(TextArea)
        await wait_until(pilot, lambda: not app.keys_on_their_way)
        assert area.text == "ad"
        assert app.screen is form and screen.state.notes == []
