"""Text typed into a dialog is not thrown away without asking.

ctrl+q quits from anywhere, a dialog too (Textual's priority binding), and `q` and
the palette's Quit do the same. Everything recorded is already in the record, but a
note or a message typed into an open dialog is not: quitting over it used to lose
it without a word, and so did Esc in the composer. So the app asks first:

- quitting, while an open dialog holds typed text: `y` (or ctrl+q again) quits, `n`
  or Esc goes back to the dialog as it was;
- Esc (or Cancel, or Later) in a dialog whose text area holds typed text (a message,
  a note, a root cause): `y` discards it, `n` or Esc keeps it. A line typed into a
  one-line field is typed again as quickly as a question is answered, so those
  dialogs close.

A screen may hold what happened and is not recorded yet (`HoldsUnrecorded`: a step's
command that ran while the record refused its result, kept until the record takes
it). Quitting then loses the only trace of it on this machine, so the question names
it too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, runtime_checkable

from textual.app import App
from textual.screen import Screen


@runtime_checkable
class HoldsUnrecorded(Protocol):
    """A screen keeping what happened and the record has not taken yet."""

    def unrecorded_work(self) -> list[str]:
        """Each such thing quitting loses, in words (`the command of roll-back, run at
        T+04:52`)."""

    def kept_work(self) -> list[str]:
        """Each such thing kept on disk, which the next screen on the incident records
        (`tui.app.screens.kept`): quitting loses none of it, and says so."""


class KeepsDrafts(App[None]):
    """An app that asks before quitting over, or cancelling, text typed and not recorded."""

    _quit_question: Screen[bool] | None = None

    async def action_quit(self) -> None:
        from tui.app.modals.base import LastgoodModal  # loaded already if one is open

        drafts = [
            screen.heading_text
            for screen in self.screen_stack
            if isinstance(screen, LastgoodModal) and screen.typed_fields()
        ]
        held = [
            what
            for screen in self.screen_stack
            if isinstance(screen, HoldsUnrecorded)
            for what in screen.unrecorded_work()
        ]
        kept = [
            what
            for screen in self.screen_stack
            if isinstance(screen, HoldsUnrecorded)
            for what in screen.kept_work()
        ]
        if not (drafts or held or kept) or self.screen is self._quit_question:
            self.leave()
            return
        from tui.app.modals.confirm import ConfirmModal

        def answered(quit_now: bool | None) -> None:
            self._quit_question = None
            if quit_now:
                self.leave()

        lost = [f"what you typed in {', '.join(dict.fromkeys(drafts))}", *held] if drafts else held
        said = []
        if lost:
            said.append(f"{'; '.join(lost)}: not recorded yet, and quitting loses it")
        if kept:
            said.append(f"{'; '.join(kept)}: not recorded yet, and kept on disk until it is")
        text = ". ".join(part[0].upper() + part[1:] for part in said)
        self._quit_question = ConfirmModal(
            "Quit lastgood?",
            f"{text}. Everything recorded is kept.",
            "Quit",
            hint="(or ctrl+q) quit",
        )
        self.push_screen(self._quit_question, answered)

    def leave(self) -> None:
        """Quit, once nothing unrecorded is left or the user agreed to lose it."""
        self.exit()

    def ask_before_discarding(self, heading: str, discard: Callable[[], object]) -> None:
        """Esc in the dialog titled `heading`, which holds typed text: `discard` once agreed."""
        from tui.app.modals.confirm import ConfirmModal

        def answered(yes: bool | None) -> None:
            if yes:
                discard()

        question = f"What you typed in {heading} has not been recorded."
        self.push_screen(
            ConfirmModal("Discard what you typed?", question, "Discard it", hint="discard"),
            answered,
        )
