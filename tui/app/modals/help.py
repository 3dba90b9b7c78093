"""The key reference.

Why it exists: under stress nobody remembers key bindings. ``?`` shows every key
of the current screen, grouped in sections, and closes with the same key (or
Escape or q) so looking something up costs two keystrokes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Static

from tui.app.modals.base import LastgoodModal, dialog_foot, hint_line, title_line

Section = tuple[str, Sequence[tuple[str, str]]]
"""A section title and its (key display, description) rows."""


class HelpModal(LastgoodModal[None]):
    """Show key sections in a scrollable two-column table; Escape, q or ? closes."""

    DEFAULT_CSS = """
    HelpModal .section {
        width: 100%;
        text-style: bold underline;
        margin-top: 1;
    }
    HelpModal .row {
        height: auto;
    }
    HelpModal .key {
        width: 16;
        text-style: bold;
        color: $text-accent;
    }
    HelpModal .desc {
        width: 1fr;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Close"),  # a page to read: nothing to cancel
        Binding("q,question_mark,f1", "cancel", "Close", show=False),
    ]

    def __init__(self, sections: Sequence[Section]) -> None:
        super().__init__()
        self.sections = [(title, list(rows)) for title, rows in sections]
        """The sections shown, in order."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield title_line("Keys")
            with VerticalScroll(id="keys", classes="reading"):
                for title, rows in self.sections:
                    yield Static(title, classes="section", markup=False)
                    for key, description in rows:
                        with Horizontal(classes="row"):
                            yield Static(key, classes="key", markup=False)
                            yield Static(description, classes="desc", markup=False)
            yield dialog_foot(hint_line("↑↓ scroll · Esc/q/? close"))
