"""Confirm a message the runbook made due: send it (perhaps edited), decline it, or wait.

Why it exists: a `mode: confirm` rule means the runbook wants the message sent at
this moment but a person must see it first. The text is ready and editable; sending
is one key, and saying no is a recorded decision rather than a silent omission.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, ClassVar, Literal

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Button, Label, TextArea

from incident.core.text import visible
from tui.app.data_text_area import DataTextArea
from tui.app.modals.base import (
    LastgoodModal,
    button_row,
    dialog_foot,
    error_line,
    hint_line,
    title_line,
)

if TYPE_CHECKING:
    from tui.app.modals.verb_form import Refusal

DueChoice = tuple[Literal["send", "decline"], str]
"""("send", the text sent, or to send) or ("decline", "")."""

HINT = "ctrl+s send · ctrl+d don't send (asks why) · Esc decide later"
"""The key hint while the text (or another button than Send) has the focus."""
HINT_ON_SEND = "ctrl+s send · shift+Tab edit the text · ctrl+d don't send · Esc later"
"""The key hint while Send has the focus: letters type nothing there."""


def _place_words(place: tuple[int, int] | None) -> str:
    """ " · 2 of 3 due" after the title, when more than one message is due."""
    if place is None or place[1] < 2:
        return ""
    return f" · {place[0]} of {place[1]} due"


class DueMessageModal(LastgoodModal[DueChoice | None]):
    """`ctrl+s` sends the (edited) text, `ctrl+d` declines, Escape leaves it for later.

    With ``send``, the message is recorded from the dialog, which closes only once it
    is. A refusal is shown in it, the text as edited: another terminal may have sent
    or declined the message while it was open, and it was sent a second time. Without
    it, the dialog closes with the text, for its caller to send.

    With ``may_decline``, ctrl+d closes the dialog (for its caller to ask why not)
    only once the record says the message is still due; else it says why, in the
    dialog, as a refused send does. Declining a message settled meanwhile opened the
    decline form, which then refused in other words.

    ``place`` says which of the messages due it is ("Send: paging · 2 of 3 due").
    ``opened_by_itself`` (opened by the send of the one before, not by a key) puts the
    focus on Send, not in the text: the `m` the due toast had asked for was typed into
    the message that opened meanwhile, and sent with it (ux_review17). shift+Tab
    reaches the text, as the key hint says while Send has the focus.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "send", "Send"),
        # priority: the text area would otherwise take ctrl+d as "delete right"
        Binding("ctrl+d", "decline", "Don't send", priority=True),
        Binding("escape", "cancel", "Later"),  # as its button says: it stays due
    ]

    DEFAULT_CSS = """
    DueMessageModal .why {
        width: 100%;
        color: $text-muted;
    }
    DueMessageModal .unstable {
        width: 100%;
        color: $warning;
        text-style: bold;
    }
    DueMessageModal #text {
        height: 8;
        margin: 1 0 0 0;
    }
    """

    def __init__(
        self,
        title: str,
        why: str,
        text: str,
        *,
        targets: str = "",
        warning: str = "",
        send: Callable[[str], Awaitable[Refusal | None]] | None = None,
        may_decline: Callable[[], Awaitable[Refusal | None]] | None = None,
        place: tuple[int, int] | None = None,
        opened_by_itself: bool = False,
    ) -> None:
        super().__init__()
        self.heading = title
        self.why = why
        self.text = text
        self.targets = targets
        self.warning = warning
        """What the record says against sending it now (`incident.app.stability`): a
        rollback trigger met, the probes failing; "" when nothing does."""
        self.send = send
        """Records the message with the text given: None once recorded, else why not."""
        self.may_decline = may_decline
        """Reads the record: None while the message may be declined, else why not."""
        self.place = place
        """Which of the messages due this one is, and of how many: (2, 3)."""
        self.opened_by_itself = opened_by_itself
        """Opened by the send of the message before it, not by a key: the focus waits
        on Send, where a letter types nothing."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield title_line(self.heading + _place_words(self.place))
            yield Label(visible(self.why), classes="why", markup=False)
            if self.targets:
                yield Label(visible(f"delivered to: {self.targets}"), classes="why", markup=False)
            if self.warning:
                yield Label(visible(f"⚠ {self.warning}"), classes="unstable", markup=False)
            yield DataTextArea(self.text, id="text", soft_wrap=True)
            yield dialog_foot(
                error_line(),
                button_row(
                    Button("Send (ctrl+s)", id="send", variant="primary", compact=True),
                    Button("Don't send (ctrl+d)", id="decline", compact=True),
                    Button("Later (esc)", id="later", compact=True),
                ),
                hint_line(HINT),
            )

    def on_mount(self) -> None:
        text_area = self.query_one("#text", TextArea)
        text_area.move_cursor(text_area.document.end)
        if self.opened_by_itself:
            self.query_one("#send", Button).focus()
        else:
            text_area.focus()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """The key hint says how to reach the text while Send has the focus (where a
        dialog opened by itself puts it), and the dialog's keys elsewhere. (Textual
        calls the base class's handler, marking the field labels, as well.)"""
        on_send = isinstance(event.widget, Button) and event.widget.id == "send"
        self.query_one(".hint", Label).update(visible(HINT_ON_SEND if on_send else HINT))

    def action_send(self) -> None:
        if self.is_dismissed or self.is_recording:
            return  # a second ctrl+s while the first records
        text = self.query_one("#text", TextArea).text.strip()
        if not text:
            self.show_error("The message is empty.")
            return
        if self.send is None:
            self.dismiss(("send", text))
            return
        self.clear_error()
        self.dismiss_once_recorded(self.send(text), ("send", text), self._refused)

    def _refused(self, refusal: Refusal) -> None:
        """Why it was not sent, or may not be declined (`announce was sent by Ada at
        T+00:48: ...`), in the dialog: Escape leaves it."""
        self.show_error(visible(refusal.message))

    def action_decline(self) -> None:
        if self.is_dismissed or self.is_recording:
            return  # a second ctrl+d, or a ctrl+s, while the record answers
        if self.may_decline is None:
            self.dismiss(("decline", ""))
            return
        self.clear_error()
        self.dismiss_once_recorded(self.may_decline(), ("decline", ""), self._refused)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "send":
            self.action_send()
        elif event.button.id == "decline":
            self.action_decline()
        else:
            self.action_cancel()
