"""The parts every lastgood dialog is built from: the title, hint and error lines,
labelled fields, the checkbox that reads without colour, and the buttons.

Kept apart from the dialog classes (`tui.app.modals.base`), which re-export them, so
each modal composes the same lines the same way.
"""

from __future__ import annotations

from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label
from textual.widgets.button import ButtonVariant

from incident.core.text import visible
from tui.app.data_input import DataInput

ERROR_ID = "error"
"""DOM id of the inline error line of every modal."""

DIALOG_CSS = """
    /* Below the clocks: the incident bar and the phase strip (4 rows) stay in view
       while the coordinator decides, at 80x24 as on a tall screen (centred there as
       before, as high as the rows under the strip and as many above the foot), and
       under 24 rows the incident bar's T+ at least. */
    LastgoodModal {
        align: center middle;
        layers: foot default;
    }
    /* The dialog's footer, on the screen's last row as the footer beneath was; a layer
       under the dialog's, so the dialog keeps every row it had: where it reaches the
       last row (a tall dialog under 38 rows), it covers its footer, as it did that one. */
    LastgoodModal > Footer {
        layer: foot;
    }
    LastgoodModal > Footer.-covered > FooterKey {
        visibility: hidden;
    }
    LastgoodModal > .dialog {
        margin: 4 0 0 0;
        width: 76;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $accent;
        background: $panel;
        padding: 0 1;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
    }
    LastgoodModal.-tall > .dialog {
        margin: 4 0 4 0;
    }
    LastgoodModal.-cramped > .dialog {
        margin: 1 0 0 0;
    }
    /* The error, the buttons and the key hint, docked: what the dialog asks scrolls
       above them, and no refusal however long pushes them off the screen (at 60x20 a
       refusal took the place of `Initiate rollback`, `Cancel` and the hint). */
    LastgoodModal > .dialog > .foot {
        dock: bottom;
        height: auto;
    }
    /* What a reading dialog (the brief, help, an entry) shows, in a scroller of its
       own as tall as the screen's rows under the clocks allow with the title, the
       hint and the border (66% of 24 rows is 15 of 16; of 40, 26 of 28). */
    LastgoodModal .reading {
        height: auto;
        max-height: 66vh;
    }
    LastgoodModal.-cramped .reading {
        max-height: 70vh;
    }
    LastgoodModal .error-box {
        height: auto;
        max-height: 4;
        scrollbar-size-vertical: 1;
    }
    LastgoodModal .title {
        width: 100%;
        text-style: bold;
        color: $text-accent;
    }
    LastgoodModal .hint {
        width: 100%;
        color: $text-muted;
    }
    LastgoodModal .error {
        width: 100%;
        color: $text-error;
        text-style: bold;
        display: none;
    }
    LastgoodModal .field {
        height: auto;
    }
    LastgoodModal .field-label {
        color: $text-muted;
    }
    LastgoodModal .field:focus-within > .field-label {
        color: $text;
        text-style: bold;
    }
    LastgoodModal Input.-textual-compact:focus {
        background-tint: $accent 25%;
    }
    /* A placeholder is a hint, not a value: slanted, and in the other fields dimmer
       than what is typed (Textual's $text-disabled read 3.25:1, and at 80x24 the
       declare form's `bad` and `target` read as versions typed in; the hints now say
       "e.g."). On the focused field's tint, where even the foreground reads 4.8:1
       (Textual's grey 1.7:1 in 256 colours), it is drawn as text is, set apart by its
       slant and its words. */
    LastgoodModal Input > .input--placeholder {
        color: $foreground 60%;
        text-style: italic;
    }
    LastgoodModal Input:focus > .input--placeholder {
        color: $foreground;
    }
    LastgoodModal .buttons {
        height: auto;
        width: 100%;
        align-horizontal: right;
    }
    LastgoodModal .buttons > Button {
        margin-left: 2;
    }
    """
"""The dialog frame every modal shares (`LastgoodModal.DEFAULT_CSS`): where it sits, its
border, its lines and fields, its foot."""


def title_line(text: str) -> Label:
    """The bold first line of a dialog, naming what it is for."""
    return Label(visible(text), classes="title", markup=False)


def hint_line(text: str) -> Label:
    """The last line of a dialog: the keys that work here, on one line."""
    return Label(visible(text), classes="hint", markup=False)


def error_line() -> VerticalScroll:
    """The inline validation message (the Label of id `ERROR_ID`), hidden until
    :meth:`LastgoodModal.show_error`; a long one scrolls in a few rows of its own, so it
    never takes the buttons' place. Not a stop for Tab."""
    label = Label("", id=ERROR_ID, classes="error", markup=False)
    return VerticalScroll(label, classes="error-box", can_focus=False)


def dialog_foot(*widgets: Widget) -> Vertical:
    """The error line, the buttons and the key hint of a dialog, docked at its foot."""
    return Vertical(*widgets, classes="foot")


FOCUS_MARK = "› "
"""Before the label of the field that has the focus; two spaces before the others."""


class FieldLabel(Label):
    """A field's label, marked while its field has the focus: the tint of a focused
    compact Input is all but invisible under NO_COLOR, and typing into the wrong
    field is how a reason once landed in the approver's name.
    """

    def __init__(self, text: str) -> None:
        self.text = visible(text)
        super().__init__(f"  {self.text}", classes="field-label", markup=False)

    def mark(self, focused: bool) -> None:
        self.update(f"{FOCUS_MARK if focused else '  '}{self.text}")


class MarkedCheckbox(Checkbox):
    """A checkbox that reads without colour: X in the box only when ticked (Textual's
    box always holds an X, ticked or not, and tells them apart by shade), and the
    focus mark before its label while it has the focus."""

    def __init__(self, label: str, *, value: bool = False, id: str | None = None) -> None:
        super().__init__(Content(visible(label)), value, id=id, compact=True)
        self._plain_label = Content(visible(label))
        self.watch_value()  # the value given above calls no watcher

    def watch_value(self) -> None:
        self.BUTTON_INNER = "X" if self.value else " "
        super().watch_value()

    def on_focus(self) -> None:
        self.label = Content.assemble(FOCUS_MARK, self._plain_label)

    def on_blur(self) -> None:
        self.label = self._plain_label


def field(label: str, widget: Widget, *, required: bool = False, id: str | None = None) -> Vertical:
    """A form field: a one-line label above a compact input widget.

    Required fields are marked with ``*`` in the label (not by colour alone).
    """
    text = f"{label} *" if required else label
    return Vertical(FieldLabel(text), widget, classes="field", id=id)


def text_input(value: str = "", *, id: str, placeholder: str = "") -> Input:
    """A compact one-line Input; focusing it keeps the cursor at the end of a prefill.
    It holds what is typed or pasted and draws its control characters as pictures."""
    return DataInput(value, placeholder=placeholder, id=id, compact=True, select_on_focus=False)


def button_row(*buttons: Button) -> Horizontal:
    """A right-aligned row of compact buttons."""
    return Horizontal(*buttons, classes="buttons")


def submit_button(label: str, *, variant: ButtonVariant = "primary") -> Button:
    """The compact submit button (id ``submit``) of a form."""
    return Button(label, id="submit", variant=variant, compact=True)


def cancel_button() -> Button:
    """The compact cancel button (id ``cancel``) of a form."""
    return Button("Cancel", id="cancel", compact=True)
