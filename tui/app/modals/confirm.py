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
from tui.app.modals.base import LastgoodModal, button_row, dialog_foot, hint_line, title_line


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
    """Show a command; `y` runs it, `n` or Escape does not."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Run"),
        Binding("n", "answer(False)", "Don't run"),
    ]

    def __init__(self, step_title: str, command: str, *, warning: str | None = None) -> None:
        ahead = f"⚠ {warning[:1].upper()}{warning[1:]} (d records it). " if warning else ""
        super().__init__(
            f"Run: {step_title}",
            f"{ahead}This runs on your machine, now:",
            "Run it",
            detail=command,
            hint="run",
        )
        self.step_title = step_title
        self.command = command
