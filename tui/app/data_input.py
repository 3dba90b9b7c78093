"""A one-line field that holds what was typed or pasted and draws its control pictures.

Textual's `Input` draws its value as it holds it, so a pasted ESC or U+202E went to
the terminal raw; the app used to change a paste into pictures and codes before the
field took it, and the TUI then recorded `␛` and `\\u202e` where `lastgood note`
recorded the characters (review 5, finding 17). `DataInput` holds the characters and
draws each one in place (`incident.core.text.in_place`): one character drawn for
each held, so the cursor, the selection and a click land where they do in the value.
"""

from __future__ import annotations

from typing import ClassVar

from rich.cells import get_character_cell_size
from rich.text import Text
from textual import events
from textual._cells import cell_len
from textual.expand_tabs import expand_tabs_inline
from textual.geometry import clamp
from textual.widgets import Input

from incident.core.text import in_place

TAB_WIDTH = 4
"""As Textual's `Input` expands a tab."""


class DataInput(Input):
    """An `Input` whose value is the text as typed or pasted, drawn in place."""

    takes_paste_as_sent: ClassVar[bool] = True
    """A paste is given to it as sent (`terminal_input.PASTE_AS_SENT`)."""

    @property
    def shown(self) -> str:
        """The value as drawn: one character for each the value holds."""
        return in_place(self.value)

    @property
    def _value(self) -> Text:
        if self.password:
            return super()._value
        text = Text(self.shown, no_wrap=True, overflow="ignore", end="")
        return text if self.highlighter is None else self.highlighter(text)

    def _position_to_cell(self, position: int) -> int:
        return cell_len(expand_tabs_inline(self.shown[:position], TAB_WIDTH))

    def _cell_offset_to_index(self, offset: int) -> int:
        scroll_x, _ = self.scroll_offset
        offset += scroll_x
        cell = 0
        for index, character in enumerate(self.shown):
            width = get_character_cell_size(character)
            if cell <= offset < cell + width:
                return index
            cell += width
        return clamp(offset, 0, len(self.value))

    def _on_paste(self, event: events.Paste) -> None:
        """The paste whole, as the field holds any text: Textual's `Input` kept only
        its first line, cut wherever `str.splitlines` reads a line end (a form feed,
        U+2028 too), so the TUI recorded less than `lastgood` given the same text
        would. A pasted line break is held, and drawn as ␊."""
        event.prevent_default()  # not Input's own, which would paste its first line
        event.stop()
        if event.text:
            selection = self.selection
            if selection.is_empty:
                self.insert_text_at_cursor(event.text)
            else:
                self.replace(event.text, *selection)
