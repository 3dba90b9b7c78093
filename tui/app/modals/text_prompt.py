"""A one-line text question.

Why it exists: many rollback actions need exactly one short piece of text before
they can be recorded -- the reason for skipping a step, a note, who to page, why
a closed incident is reopened, who takes over as incident commander. One small
prompt serves them all, so the coordinator meets the same keys every time.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label

from incident.core.text import visible
from tui.app.modals.base import (
    FormModal,
    button_row,
    cancel_button,
    dialog_foot,
    error_line,
    hint_line,
    submit_button,
    text_input,
    title_line,
)


class TextPrompt(FormModal[str | None]):
    """Ask for one line of text; dismiss with the stripped text, or ``None`` on cancel.

    When ``required`` (the default) an empty answer shows an error and keeps the
    prompt open; otherwise an empty answer is returned as ``""``.
    """

    DEFAULT_CSS = """
    TextPrompt .prompt {
        width: 100%;
        max-height: 8;
        margin-bottom: 1;
    }
    """

    def __init__(
        self,
        title: str,
        prompt: str,
        *,
        placeholder: str = "",
        initial: str = "",
        required: bool = True,
        check: Callable[[str], str | None] | None = None,
        record: Callable[[str], Awaitable[str | None]] | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        """The dialog's title line."""
        self.prompt_text = prompt
        """The question, shown above the Input."""
        self.placeholder = placeholder
        """Placeholder of the empty Input."""
        self.initial = initial
        """Initial value of the Input."""
        self.required = required
        """Whether an empty answer is refused."""
        self.check = check
        """Why an answer is refused (shown, the prompt stays open), or None to accept it."""
        self.record = record
        """Records the answer (off the UI loop): None once recorded, and the prompt
        closes; else why not, shown while the prompt stays open with the answer typed."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield title_line(self.title_text)
            yield Label(visible(self.prompt_text), classes="prompt", markup=False)
            yield text_input(self.initial, id="answer", placeholder=self.placeholder)
            yield dialog_foot(
                error_line(),
                button_row(submit_button("OK"), cancel_button()),
                hint_line("Enter/ctrl+s submit · Esc cancel"),
            )

    def action_submit(self) -> None:
        if self.is_dismissed or self.is_recording:
            return  # a second Enter queued before the prompt closed, or while it records
        answer = self.query_one("#answer", Input)
        text = answer.value.strip()
        if self.required and not text:
            self.show_error("An answer is required (Esc to cancel).", focus=answer)
            return
        if self.check is not None and (problem := self.check(text)):
            self.show_error(problem[:1].upper() + problem[1:] + ".", focus=answer)
            return
        if self.record is not None:
            self.dismiss_once_recorded(self.record(text), text, self._refused)
            return
        self.dismiss(text)

    def _refused(self, why: str) -> None:
        self.show_error(why[:1].upper() + why[1:], focus=self.query_one("#answer", Input))
