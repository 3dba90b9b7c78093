"""Confirm running a shell command before anything runs.

Why it exists: a runbook's command steps act on production (switching a load
balancer back); the guide says follow the plan, not improvise, so the exact
command is shown and nothing runs until the coordinator says yes.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Button, Label

from incident.core.text import visible
from tui.app.modals.base import (
    LastgoodModal,
    button_row,
    dialog_foot,
    error_line,
    hint_line,
    title_line,
)


class ConfirmModal(LastgoodModal[bool]):
    """Ask before something that cannot be taken back; `y` goes ahead, `n` or Escape not."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n", "answer(False)", "No"),
    ]

    DEFAULT_CSS = """
    ConfirmModal .question { width: 100%; }
    ConfirmModal .command {
        width: 100%;
        background: $boost;
        padding: 0 1;
        margin: 1 0;
    }
    """

    def __init__(
        self, title: str, question: str, yes: str, *, detail: str = "", hint: str = "yes"
    ) -> None:
        super().__init__()
        self.heading = title
        self.question = question
        self.yes = yes
        """The yes button's label: what it does ("Close it")."""
        self.detail = detail
        """Shown as it is, set apart under the question (the command to run)."""
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield title_line(self.heading)
            # The dialog's width, so a long question wraps: sized to itself, a Label
            # ran past the border and the end of the question was cut off.
            yield Label(visible(self.question), markup=False, classes="question")
            if self.detail:
                yield Label(visible(self.detail), classes="command", markup=False)
            yield dialog_foot(
                button_row(
                    Button(f"{self.yes} (y)", id="submit", variant="error"),
                    Button("Cancel (n)", id="cancel"),
                ),
                hint_line(f"y {self.hint} · n/Esc cancel"),
            )

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    def action_cancel(self) -> None:
        self.dismiss(False)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "submit")


class ConfirmCommand(ConfirmModal):
    """Show a command; `y` runs it, `n` or Escape does not.

    `again`: the command already ran here and is not recorded yet (`UnrecordedRun`).
    Said first, and not run by the keys that ran it the first time: the focus is on
    Cancel (Enter does not run it), `y` says so instead of running it, and only `a`
    (Run it again) does. A second `kubectl rollout undo` rolls forward to the bad release.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "yes", "Run"),
        Binding("n", "answer(False)", "Don't run"),
        Binding("a", "again", "Run again", show=False),
    ]

    def __init__(
        self,
        step_title: str,
        command: str,
        *,
        warning: str | None = None,
        again: str | None = None,
    ) -> None:
        ahead = f"⚠ {warning[:1].upper()}{warning[1:]} (d records it). " if warning else ""
        ahead = f"⚠ {again} {ahead}" if again else ahead
        super().__init__(
            f"Run again? {step_title}" if again else f"Run: {step_title}",
            f"{ahead}This runs on your machine, now:",
            "Run it",
            detail=command,
            hint="run",
        )
        self.step_title = step_title
        self.command = command
        self.again = again

    def compose(self) -> ComposeResult:
        if not self.again:
            yield from super().compose()
            return
        with Vertical(classes="dialog"):
            yield title_line(self.heading)
            yield Label(visible(self.question), markup=False, classes="question")
            yield Label(visible(self.detail), classes="command", markup=False)
            yield dialog_foot(
                error_line(),
                button_row(  # Cancel first: it has the focus, and Enter
                    Button("Don't run (n)", id="cancel"),
                    Button("Run it again (a)", id="submit", variant="error"),
                ),
                hint_line("n/Esc/Enter don't run · a runs it again"),
            )

    def action_yes(self) -> None:
        if not self.again:
            self.dismiss(True)
            return
        self.show_error("y does not run it again: a does; n, Esc or Enter leaves it")

    def action_again(self) -> None:
        if self.again:
            self.dismiss(True)
