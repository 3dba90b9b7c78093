"""One timeline entry, whole.

Why it exists: a timeline row is one line, cut to the terminal's width, so a long
note or a long name was never readable in the TUI at 80 columns (a review found
only about 20 characters of a note left beside the name). Enter on a row opens
this; Escape, q or Enter closes it.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from tui.app.modals.base import LastgoodModal, dialog_foot, hint_line, title_line


class EntryModal(LastgoodModal[None]):
    """Who recorded the entry and what, wrapped; the texts are `Text`, never markup."""

    DEFAULT_CSS = """
    EntryModal .dialog {
        width: 90%;
        max-width: 104;
    }
    EntryModal #entry-actor {
        color: $text-muted;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Close"),  # a page to read: nothing to cancel
        Binding("q,enter", "cancel", "Close", show=False),
    ]

    def __init__(self, at: str, actor: Text, what: Text) -> None:
        super().__init__()
        self.at = at
        """The entry's T+ offset, as its row shows it."""
        self.actor = actor
        self.what = what

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield title_line(f"Timeline · {self.at}")
            with VerticalScroll(id="entry", classes="reading"):
                yield Static(self.actor, id="entry-actor")
                yield Static(self.what, id="entry-text")
            yield dialog_foot(
                hint_line("Esc/q/enter close · lastgood timeline ID prints every entry")
            )
