"""ctrl+c in a dialog does what Esc does there.

ctrl+c is the reflex for "get me out". On the coordinator's screen it says which key
quits (`tui/app/plain.py`), but Textual stops a modal screen's keys at the modal: the
app's ctrl+c never ran under a dialog, and the field's own ctrl+c (copy) had nothing
to copy, so it did nothing and said nothing (review11 #4). Every dialog now answers
it as it answers Esc: cancel, close, "Later", or the question "Discard what you
typed?" first where Esc asks it. Text selected (in the field, or with the mouse)
is still copied: the field's copy runs first and gives way only with nothing
selected, and the screen's is kept here.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.screen import Screen


class CtrlCIsEscape(Screen[Any]):
    """Put after `ModalScreen` in a dialog's bases: ctrl+c runs the action its Esc runs.

    After, not before: Textual takes a screen's default CSS from the first of its
    bases that is a widget class, and up that line alone; first here, this class hid
    `ModalScreen`'s, and every dialog covered the screen beneath (its clocks) with an
    opaque background."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+c", "leave", show=False)]

    async def action_leave(self) -> None:
        selected = self.get_selected_text()
        if selected:  # what Textual's ctrl+c on a screen does, kept
            self.app.copy_to_clipboard(selected)
            return
        for binding in self._bindings.key_to_bindings.get("escape", ()):
            await self.run_action(binding.action)
            return
