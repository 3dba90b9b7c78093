"""A text area that holds what was typed or pasted and draws its control pictures.

As `DataInput` for one line (see there): Textual's `TextArea` drew a pasted ESC or
bidi override raw, and its document split lines wherever `str.splitlines` does, so
a pasted form feed or U+2028 became a line break. `DataTextArea`'s document holds the
text as typed or pasted, lines split at LF only, and gives the widget each line as
drawn (`incident.core.text.in_place`, one character for each held), so wrapping,
the cursor and the selection measure what is drawn, and `text` is what was typed.

The drawn lines are kept beside the held ones and an edit redraws only the lines it
replaces: Textual's wrap reads `lines` on every edit, and drawing them all there made
each key O(lines) in a long pasted text.
"""

from __future__ import annotations

from typing import ClassVar, overload

from textual._cells import cell_len
from textual.document._document import Document, EditResult, Location
from textual.document._document_navigator import DocumentNavigator
from textual.document._wrapped_document import WrappedDocument
from textual.geometry import Size
from textual.widgets import TextArea

from incident.core.text import in_place


class HeldText(Document):
    """A document of the text as held, its lines given as drawn."""

    def __init__(self, text: str) -> None:
        super().__init__("")
        self._newline = "\n"
        self._lines = text.split("\n")
        self._drawn = [in_place(line) for line in self._lines]
        """Each held line as drawn, kept in step with `_lines` by `replace_range`."""

    @property
    def lines(self) -> list[str]:
        """The lines as drawn: the document's own list, as Textual's `Document` gives
        its own (read, never changed, by the text area)."""
        return self._drawn

    def get_size(self, tab_width: int) -> Size:
        widths = [cell_len(line.expandtabs(tab_width)) for line in self.lines]
        return Size(max(widths, default=0), len(widths))

    def replace_range(self, start: Location, end: Location, text: str) -> EditResult:
        top, bottom = sorted((start, end))
        (top_row, top_column), (bottom_row, bottom_column) = top, bottom
        replaced = self.get_text_range(top, bottom)
        lines = self._lines
        before = lines[top_row][:top_column] if top_row < len(lines) else ""
        after = lines[bottom_row][bottom_column:] if bottom_row < len(lines) else ""
        inserted = (before + text + after).split("\n")
        lines[top_row : bottom_row + 1] = inserted
        self._drawn[top_row : bottom_row + 1] = [in_place(line) for line in inserted]
        end_at = (top_row + len(inserted) - 1, len(inserted[-1]) - len(after))
        return EditResult(end_at, replaced)

    @overload
    def __getitem__(self, line_index: int) -> str: ...

    @overload
    def __getitem__(self, line_index: slice) -> list[str]: ...

    def __getitem__(self, line_index: int | slice) -> str | list[str]:
        return self._drawn[line_index]


class DataTextArea(TextArea):
    """A `TextArea` whose text is the text as typed or pasted, drawn in place."""

    takes_paste_as_sent: ClassVar[bool] = True
    """A paste is given to it as sent (`terminal_input.PASTE_AS_SENT`)."""

    def _set_document(self, text: str, language: str | None) -> None:
        """Plain text, held in a `HeldText` (this field highlights no language): as
        Textual's own, which builds a `Document` that splits lines as `splitlines`."""
        self._highlight_query = None
        self.document = HeldText(text)
        self.wrapped_document = WrappedDocument(self.document, tab_width=self.indent_width)
        self.navigator = DocumentNavigator(self.wrapped_document)
        self._build_highlight_map()
        self.move_cursor((0, 0))
        self._rewrap_and_refresh_virtual_size()
