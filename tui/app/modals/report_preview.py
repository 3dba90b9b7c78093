"""The incident report, read before it is written (`e` writes it to a file).

The report is Markdown made from the record; here it is shown as that text, the
file's very lines, never parsed as markup: what a coordinator checks (the Summary,
the Impact) reads as the file will, with the team still in the room.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import TextArea

from incident.core.text import visible_block
from tui.app.modals.base import LastgoodModal, dialog_foot, hint_line, title_line


class ReportPreviewModal(LastgoodModal[None]):
    """The report's Markdown, read-only and scrollable; Escape or q closes."""

    DEFAULT_CSS = """
    ReportPreviewModal .dialog {
        width: 95%;
        max-width: 120;
        height: 90%;
    }
    ReportPreviewModal #report { height: 1fr; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Close"),  # a page to read: nothing to cancel
        Binding("q", "cancel", "Close", show=False),
    ]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = visible_block(text)
        """The report as `export` writes it, its control characters made visible."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield title_line("Report preview")
            yield TextArea(self.text, id="report", read_only=True, soft_wrap=True)
            yield dialog_foot(hint_line("↑↓ PgUp PgDn scroll · Esc/q close · e writes it"))

    def on_mount(self) -> None:
        self.query_one("#report", TextArea).focus()
