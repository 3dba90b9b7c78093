"""The handoff brief, for whoever takes over incident command at this keyboard.

Why it exists: a new incident commander arriving mid-rollback asks the same six
questions (where are we, what was decided, what waits on whom, what do the triggers
say, what were stakeholders told, who does what). `i` answers them in one screen,
from the record, in the words `lastgood brief` prints; Escape, q or i closes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from tui.app.modals.base import LastgoodModal, dialog_foot, hint_line, title_line


class BriefModal(LastgoodModal[None]):
    """The brief's lines, as plain text (never markup); Escape, q or i closes."""

    DEFAULT_CSS = """
    BriefModal .dialog {
        width: 90%;
        max-width: 104;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("q,i", "cancel", "Close", show=False)]

    def __init__(self, lines: Sequence[str]) -> None:
        super().__init__()
        self.lines = list(lines)
        """The brief, at most 20 lines, control characters already made visible."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield title_line("Handoff brief")
            with VerticalScroll(id="brief", classes="reading"):
                yield Static("\n".join(self.lines), id="brief-text", markup=False)
            yield dialog_foot(hint_line("Esc/q/i close · lastgood brief ID prints the same"))
