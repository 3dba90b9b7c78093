"""Shared pieces of the lastgood modal screens.

Every modal in this package is a small, pure form: it is built from plain data,
returns a plain result through ``dismiss`` and never touches the store or the
domain. This module holds what they all share so each modal only describes its
own fields:

* :class:`LastgoodModal` -- the dialog frame CSS, ``escape`` to cancel
  (dismissing ``None``; ctrl+c too, `tui/app/modals/interrupt.py`) and the inline
  error line.
* :class:`FormModal` -- adds ``ctrl+s`` to submit, Enter moving through the
  Inputs (Enter in the last Input submits) and the Submit / Cancel buttons.
* The parts they are composed of (:func:`title_line`, :func:`hint_line`,
  :func:`error_line`, :func:`field`, :func:`button_row`, ...), from
  `tui.app.modals.parts` and re-exported here, so every modal has the same title
  line, key hint line and error line.

All text that may come from a user or a runbook is rendered with
``markup=False`` (or as ``Content``) so a ``[`` is never read as markup.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, ClassVar, Protocol, TypeVar, runtime_checkable

from textual import events, on
from textual.actions import SkipAction
from textual.await_complete import AwaitComplete
from textual.binding import ActiveBinding, Binding, BindingType
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, TextArea

from tui.app.modals.interrupt import CtrlCIsEscape
from tui.app.modals.parts import (
    DIALOG_CSS,
    ERROR_ID,
    FieldLabel,
    MarkedCheckbox,
    button_row,
    cancel_button,
    dialog_foot,
    error_line,
    field,
    hint_line,
    submit_button,
    text_input,
    title_line,
)
from tui.app.plain import SCREEN_HEIGHTS
from tui.app.steady_footer import SteadyFooter
from tui.app.styled_once import StyledOnce
from tui.app.type_ahead import TypeAhead

__all__ = [
    "FieldLabel",
    "FormModal",
    "LastgoodModal",
    "MarkedCheckbox",
    "button_row",
    "cancel_button",
    "dialog_foot",
    "error_line",
    "field",
    "hint_line",
    "submit_button",
    "text_input",
    "title_line",
]

ResultT = TypeVar("ResultT")
RefusalT = TypeVar("RefusalT")


@runtime_checkable
class AsksBeforeDiscarding(Protocol):
    """An app that asks before a form's typed text is thrown away (`tui/app/drafts.py`)."""

    def ask_before_discarding(self, heading: str, discard: Callable[[], object]) -> None: ...


class LastgoodModal(StyledOnce, ModalScreen[ResultT], CtrlCIsEscape):
    """Base of every lastgood modal: the dialog frame, cancel and the error line.

    Subclasses compose a ``Vertical(classes="dialog")`` holding a
    :func:`title_line`, their own widgets, an :func:`error_line` and a
    :func:`hint_line`. ``escape`` always cancels by dismissing ``None`` so the
    push-screen callback learns about it (never ``pop_screen``).
    """

    DEFAULT_CSS = DIALOG_CSS

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]
    VERTICAL_BREAKPOINTS = SCREEN_HEIGHTS
    """A dialog's own, whatever app shows it: its place depends on the height."""

    _dismissed = False

    takes_keys = False
    """Whether keys typed now reach the field meant for them: not until `on_mount` has
    put the focus there. Until then the app holds them (`tui/app/type_ahead.py`)."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The keys the dialog's footer shows, in its order: the dialog's own in the
        order its classes bind them, `escape` last.

        Textual merges a class's bindings base first, and a key keeps the place where
        a base bound it first (a subclass binding `escape` again, "Close" or "Later",
        relabels it in place). `escape` is bound here, at the base of every dialog, so
        every footer led with `esc Cancel` and named what the dialog is for after it
        (`esc Cancel ctrl+s Submit`). And a priority key the focused field binds too
        keeps the field's place, ahead of the dialog's: the due message's footer read
        `ctrl+d Don't send` before `ctrl+s Send` (its text area binds ctrl+d). Only the
        order shown changes: which binding a key runs is Textual's binding chain, not
        this map."""
        bindings = super().active_bindings
        order = [key for key in self._bindings.key_to_bindings if key != "escape"]
        own = {
            key: bindings.pop(key)
            for key in [*order, "escape"]
            if key in bindings and bindings[key].node is self
        }
        bindings.update(own)
        return bindings

    def _extend_compose(self, widgets: list[Widget]) -> None:
        """The dialog's own footer, composed with it: its keys (`escape` to cancel,
        `ctrl+s` to submit, ...), not those of the screen beneath, which showed through
        (Check, Skip while a form was open). Textual's hook for a screen's own widgets
        (the toasts' rack), so no subclass's `compose` has to yield it."""
        super()._extend_compose(widgets)
        widgets.append(SteadyFooter(compact=True, show_command_palette=False))

    def on_mount(self) -> None:
        # Queued behind every `on_mount` of the class's line (which focus the first
        # field, itself queued on the app), so the held keys follow the focus.
        self.call_later(self._take_keys)
        self.screen_layout_refresh_signal.subscribe(self, self._footer_in_sight, immediate=True)

    def _footer_in_sight(self, _screen: object) -> None:
        """The footer's keys show while the dialog leaves them their row. A dialog as
        tall as the screen (the composer at 80x24) covers them, all but the first
        letters of the first (`es`): those go too, and the footer's bar is left, not
        the screen's beneath (`? `)."""
        footers = self.query_children(SteadyFooter)
        dialogs = self.query_children(".dialog")
        if not footers or not dialogs:
            return
        footer = footers.first()
        footer.set_class(dialogs.first().region.bottom > footer.region.y, "-covered")

    def _take_keys(self) -> None:
        self.mark_untyped()  # before the keys held meanwhile reach the fields
        self.takes_keys = True
        if isinstance(self.app, TypeAhead):
            self.app.screen_takes_keys()

    def scroll_to_center(self, widget: Widget, *args: Any, **kwargs: Any) -> None:
        """A field given the focus comes into view, not to the middle of the dialog.

        Textual centres a widget it takes for out of view as it focuses it, and on a
        dialog's first frame it takes every widget for out of view: at 60x20 the
        decision dialog opened scrolled past its title and the principle."""
        self.call_after_refresh(self.scroll_to_widget, widget, animate=False, origin_visible=True)

    _held: tuple[ResultT | None] | None = None
    """The result of a dismissal asked for while another screen was on top."""

    _after_closing: list[Callable[[], object]] | None = None

    @property
    def is_dismissed(self) -> bool:
        """Closing already: what a late key asks of the dialog is ignored."""
        return self._dismissed

    def dismiss(self, result: ResultT | None = None) -> AwaitComplete:
        """Close once: a second Enter typed before the first closed the dialog is queued
        to it, and would otherwise pop the screen beneath (the incident, with its probes).

        Textual's `dismiss` pops the top screen, whichever it is. A screen pushed over
        this one while it waited for its record (a drill's score card, help) was popped
        in its place, and this one was left on screen, closed to every key. So a dialog
        that is not on top closes when it is on top again.
        """
        if self._dismissed:
            return AwaitComplete()  # nothing to wait for
        self._dismissed = True
        if self.is_attached and self.app.screen is not self:
            self._held = (result,)
            return AwaitComplete()
        return self._close(result)

    def _close(self, result: ResultT | None) -> AwaitComplete:
        closing = super().dismiss(result)  # off the stack from here on
        waiting, self._after_closing = self._after_closing or [], None
        for callback in waiting:
            callback()
        return closing

    @on(events.ScreenResume)
    def _close_when_on_top(self) -> None:
        if self._held is not None:
            (result,), self._held = self._held, None
            self._close(result)

    def after_closing(self, callback: Callable[[], object]) -> None:
        """Run `callback` once this dialog is off the screen stack (at once if it is)."""
        if self.is_attached and self in self.app.screen_stack:
            self._after_closing = [*(self._after_closing or []), callback]
        else:
            callback()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Mark the label of the field the focus moved into, and only that one."""
        for label in self.query(FieldLabel):
            parent = label.parent
            label.mark(parent is not None and event.widget in parent.walk_children())

    _recording = False
    """A submission is being recorded: another ctrl+s or Enter waits for its answer."""

    @property
    def is_recording(self) -> bool:
        """What the dialog gave is being recorded (a form's submission): not a draft;
        the dialog closes once it is (unless refused)."""
        return self._recording

    def dismiss_once_recorded(
        self,
        recording: Awaitable[RefusalT | None],
        result: ResultT,
        refused: Callable[[RefusalT], None],
    ) -> None:
        """Dismiss with `result` once `recording` (off the UI loop) answers None; on a
        refusal, `refused` shows why and the dialog stays open with what was typed.
        Closing first and refusing in a toast lost it, and the keys typed next reached
        the screen beneath."""
        self._recording = True

        async def wait() -> None:
            try:
                refusal = await recording
            finally:
                self._recording = False
            if refusal is None:
                self.dismiss(result)
            else:
                refused(refusal)

        self.run_worker(wait(), group="submit")

    _untyped: dict[Widget, str] | None = None
    """What each text field held when the dialog took the keys, or was given since (a
    prefill, a template's text): what was typed is told from it."""

    def mark_untyped(self, *fields: Input | TextArea) -> None:
        """What `fields` (all, by default) hold now was given, not typed."""
        untyped = self._untyped or {}
        for widget in fields or self._text_fields():
            untyped[widget] = _text_of(widget)
        self._untyped = untyped

    def _text_fields(self) -> list[Input | TextArea]:
        return [*self.query(Input), *self.query(TextArea)]

    def typed_fields(self) -> list[Input | TextArea]:
        """The fields holding text typed here that nothing has recorded: a draft."""
        untyped = self._untyped
        if untyped is None or self.is_dismissed or self.is_recording:
            return []  # no key taken yet; closing; or on its way to the record
        return [
            widget
            for widget in self._text_fields()
            if (text := _text_of(widget)).strip() and text != untyped.get(widget, "")
        ]

    def action_cancel(self) -> None:
        """Esc, or Cancel: close without a result (the callback receives ``None``);
        first asked, in an app that asks, while a text area (a message, a note, a root
        cause) holds typed text (`tui/app/drafts.py`)."""
        app = self.app
        if isinstance(app, AsksBeforeDiscarding) and any(
            isinstance(widget, TextArea) for widget in self.typed_fields()
        ):
            app.ask_before_discarding(self.heading_text, lambda: self.dismiss(None))
            return
        self.dismiss(None)

    @property
    def heading_text(self) -> str:
        """What the dialog's title line says ("Note", "Compose message")."""
        titles = self.query(".title").results(Label)
        return next((str(title.content) for title in titles), "the dialog")

    @property
    def error_message(self) -> str:
        """The validation message currently shown, or ``""`` when there is none."""
        label = self.query_one(f"#{ERROR_ID}", Label)
        return str(label.content) if label.display else ""

    def show_error(self, message: str, *, focus: Widget | None = None) -> None:
        """Show a one-line validation message and optionally focus the culprit."""
        label = self.query_one(f"#{ERROR_ID}", Label)
        label.update(message)
        label.display = True
        if focus is not None:
            focus.focus()
            # Once the foot has grown by the message: the field it is about, in view.
            self.call_after_refresh(focus.scroll_visible, animate=False)

    def clear_error(self) -> None:
        """Hide the validation message."""
        label = self.query_one(f"#{ERROR_ID}", Label)
        label.update("")
        label.display = False


class FormModal(LastgoodModal[ResultT]):
    """A modal with fields: ``ctrl+s`` submits, Enter walks through the Inputs.

    Enter in an Input moves to the next field, and in the last Input submits. Enter,
    Tab and shift+Tab move the focus at once: the app hands a key on only once the
    one before it is done (`tui/app/type_ahead.py`), so the field has taken the keys
    typed before them, and those typed after them reach the next field.
    A button with id ``submit`` submits and one with id ``cancel`` cancels.
    Subclasses implement :meth:`action_submit`: validate, then either
    :meth:`show_error` (and stay open) or ``dismiss(result)``.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", "Submit"),
        Binding("enter", "enter", show=False, priority=True),
        Binding("tab", "next_field", show=False, priority=True),
        Binding("shift+tab", "previous_field", show=False, priority=True),
    ]

    def action_submit(self) -> None:
        """Validate the fields and dismiss with the result."""
        raise NotImplementedError

    def action_enter(self) -> None:
        """Enter in an Input (a priority binding, taken before the field's own): on to
        the next field, or submit from the last."""
        widget = self.focused
        if not isinstance(widget, Input):
            raise SkipAction()  # a button, a list, a text area: Enter is theirs
        if not self.is_dismissed:  # a late Enter, after the one that closed it
            self.enter_pressed(widget)

    def action_next_field(self) -> None:
        """Tab, in every field (a text area's own Tab included)."""
        if not self.is_dismissed:
            self.focus_next()

    def action_previous_field(self) -> None:
        """shift+Tab, in every field."""
        if not self.is_dismissed:
            self.focus_previous()

    @on(Input.Submitted)
    def _enter_in_input(self, event: Input.Submitted) -> None:
        event.stop()
        self.enter_pressed(event.input)

    def enter_pressed(self, widget: Input) -> None:
        """Enter in `widget`: on to the next field, or submit from the last Input."""
        inputs = list(self.query(Input))
        if inputs and widget is inputs[-1]:
            self.action_submit()
        else:
            self.focus_next()

    @on(Button.Pressed, "#submit")
    def _submit_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_submit()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()


def _text_of(widget: Input | TextArea) -> str:
    return widget.value if isinstance(widget, Input) else widget.text
