"""One form for every verb without a form of its own, built from the verb's parameters.

Why it exists: a verb is defined once (`incident.app.verbs`), so its form must be too.
Each parameter the screen cannot fill itself becomes a field of its kind: a Select
for a choice, a checkbox for a flag, a text area for long text, an Input for the
rest, checked with the parameter's own parser so "30" means the same here as on the
command line. The form stays open on a refusal, says which field would resolve it,
and closes once the verb is recorded.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, OptionList, Select, TextArea

from incident.app.params import Kind, Param
from incident.core.text import either, visible
from tui.app.data_text_area import DataTextArea
from tui.app.modals.base import (
    FormModal,
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
from tui.app.modals.field_labels import label_of

MENU_ROWS = 12
"""The most rows a choice's menu takes (Textual's `SelectOverlay`, `max-height: 12`)."""

Values = dict[str, object]
"""The use case's keyword arguments, as the form gathered them."""


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why the verb was not recorded, and the parameters that would resolve it: all of
    `needs`, one of `one_of` (`CommandError.needs`, `CommandError.needs_one_of`)."""

    message: str
    needs: tuple[str, ...] = ()
    one_of: tuple[str, ...] = ()
    about: str = ""
    """The parameter the message is about (`CommandError.about`): its field is focused."""


Attempt = Callable[[Values], Awaitable[Refusal | None]]
"""Records the verb with the form's values (off the UI loop): None once recorded,
else why not."""


def label(param: Param) -> str:
    """A parameter as a form names it (`label_of`)."""
    return label_of(param.name)


def remedy(needs: Sequence[str], params: Sequence[Param], one_of: Sequence[str] = ()) -> str:
    """What would resolve a refusal, in the form's terms: all of `needs` as "tick: force;
    fill in: reason", any one of `one_of` as "fill in: evidence or override"."""
    known = {p.name: p for p in params}
    together = _fields([known[name] for name in needs if name in known], ", ".join)
    alternatives = _fields([known[name] for name in one_of if name in known], either)
    return "; ".join([*together, " or ".join(alternatives)] if alternatives else together)


def _fields(named: Sequence[Param], join: Callable[[list[str]], str]) -> list[str]:
    """`named` as "tick: ..." and "fill in: ...", each list of names said by `join`."""
    ticks = [p.name.replace("_", " ") for p in named if p.kind is Kind.FLAG]
    fills = [p.name.replace("_", " ") for p in named if p.kind is not Kind.FLAG]
    return ([f"tick: {join(ticks)}"] if ticks else []) + (
        [f"fill in: {join(fills)}"] if fills else []
    )


def field_id(param: Param) -> str:
    """The DOM id of a parameter's widget (tests fill forms by it)."""
    return f"param-{param.name}"


class VerbForm(FormModal[Values | None]):
    """A field per parameter; submit runs `attempt` and closes once it is recorded.

    `choices` gives each CHOICE parameter its (value, label) options, read from the
    incident by the screen; `initial` prefills fields by parameter name, and the flags
    named in `ticked` start ticked. Enter submits once every required field is filled
    (else it moves to the next empty one); ctrl+s always tries; Escape dismisses ``None``.
    """

    DEFAULT_CSS = """
    VerbForm .about, VerbForm .context {
        width: 100%;
        color: $text-muted;
    }
    VerbForm #fields {
        height: auto;
        max-height: 13;  /* with the title, about, context, error, buttons and hint: 22 rows */
        margin-top: 1;
    }
    VerbForm TextArea {
        height: 4;
    }
    """

    def __init__(
        self,
        title: str,
        about: str,
        params: Sequence[Param],
        *,
        attempt: Attempt,
        context: str = "",
        choices: Mapping[str, Sequence[tuple[str, str]]] | None = None,
        initial: Mapping[str, str] | None = None,
        ticked: Collection[str] = (),
        placeholders: Mapping[str, str] | None = None,
        now: datetime,
    ) -> None:
        super().__init__()
        self.heading = title
        """The verb's title."""
        self.about = about
        """One line on what submitting does (the verb's help, or what it asks to confirm)."""
        self.params = [p for p in params if p.kind is not Kind.STEP]
        """The parameters shown as fields, in the verb's order."""
        self.attempt = attempt
        """Records the verb; returns a `Refusal` when the domain says no."""
        self.context = context
        """What the screen filled in itself (the highlighted step), shown above the fields."""
        self.choices = {name: list(options) for name, options in (choices or {}).items()}
        self.initial = dict(initial or {})
        self.ticked = frozenset(ticked)
        self.placeholders = dict(placeholders or {})
        """What an empty field shows, by parameter name, where not its help (an example
        time read off the clock: `tui.app.examples`)."""
        self.opened_at = now
        """The app's time as the form opens: a time that does not read is refused with
        an example from it (`Param.parse`), as the placeholder's."""

    def _opened(self) -> datetime:
        """`opened_at`, as `Param.parse` asks for it."""
        return self.opened_at

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield title_line(self.heading)
            yield Label(visible(self.about), classes="about", markup=False)
            if self.context:
                yield Label(visible(self.context), classes="context", markup=False)
            with VerticalScroll(id="fields", can_focus=False):
                for param in self.params:
                    yield self._field(param)
            yield dialog_foot(
                error_line(),
                button_row(submit_button(self.heading), cancel_button()),
                hint_line(self._keys()),
            )

    def _keys(self) -> str:
        """The hint line: Enter in a text area is a new line, so it names ctrl+s."""
        if any(p.kind is Kind.LONG_TEXT for p in self.params):
            return "ctrl+s submit · Tab next field · Esc cancel"
        return "Enter/ctrl+s submit · Tab next field · Esc cancel"

    def _field(self, param: Param) -> Widget:
        initial = self.initial.get(param.name, "")
        if param.kind is Kind.FLAG:
            return MarkedCheckbox(
                f"{label(param)}: {param.help}",
                value=param.name in self.ticked,
                id=field_id(param),
            )
        widget: Widget
        hint = self.placeholders.get(param.name, param.help)
        if param.kind is Kind.CHOICE:
            options = self.choices.get(param.name) or [(c, c) for c in param.choices]
            values = [value for value, _ in options]
            preset = initial if initial in values else None
            if preset is None and param.required and len(values) == 1:
                preset = values[0]
            widget = Select(
                [(Text(text), value) for value, text in options],
                prompt=f"({param.help})",
                value=preset if preset is not None else Select.NULL,
                id=field_id(param),
                compact=True,
            )
        elif param.kind is Kind.LONG_TEXT:
            widget = DataTextArea(
                initial, id=field_id(param), soft_wrap=True, compact=True, placeholder=hint
            )
        else:
            widget = text_input(initial, id=field_id(param), placeholder=hint)
        return field(label(param), widget, required=param.required)

    def on_mount(self) -> None:
        for select in self.query(Select):
            self.watch(select, "expanded", partial(self._room_for_menu, select), init=False)
        for param in self.params:
            if param.required and self._is_empty(param):
                self.query_one(f"#{field_id(param)}").focus()
                return
        if self.params:
            self.query_one(f"#{field_id(self.params[0])}").focus()

    def _room_for_menu(self, select: Select[str], expanded: bool) -> None:
        """While a choice's menu is open, the dialog is tall enough to hold it.

        The menu is an overlay, drawn over the rows below its field whatever they are:
        the Assign role form, four rows of fields, drew "ops — (vacant)" on its bottom
        border and "leadership — (vacant)" on the screen below it (at 120x40). The
        dialog grows down by what the menu lacks, and is as it was once it closes."""
        dialog = self.query_one(".dialog")
        if not expanded:
            dialog.styles.min_height = None
            return
        menu = select.query_one(OptionList)
        rows = min(menu.option_count, MENU_ROWS)
        lacking = select.region.bottom + rows - (dialog.region.bottom - dialog.styles.gutter.bottom)
        if lacking > 0:
            dialog.styles.min_height = dialog.region.height + lacking

    def _is_empty(self, param: Param) -> bool:
        widget = self.query_one(f"#{field_id(param)}")
        if isinstance(widget, Select):
            return widget.is_blank()
        if isinstance(widget, TextArea):
            return not widget.text.strip()
        if isinstance(widget, Input):
            return not widget.value.strip()
        return False

    def enter_pressed(self, widget: Input) -> None:
        """Submit once the required fields are filled; else on to the first empty one,
        or, from that very field, say what ctrl+s says ("Fill in reason: it is
        required."): Enter focused the field it was pressed in again and said nothing."""
        for param in self.params:
            if param.required and self._is_empty(param):
                empty = self.query_one(f"#{field_id(param)}")
                if empty is widget:
                    break  # nowhere to move on to: the submission says why
                empty.focus()
                return
        self.action_submit()

    def values(self) -> Values | None:
        """The fields as the use case's arguments; None (and an error shown) if one is bad."""
        values: Values = {}
        for param in self.params:
            widget = self.query_one(f"#{field_id(param)}")
            if isinstance(widget, Checkbox):
                values[param.name] = widget.value
                continue
            if isinstance(widget, Select):
                text = "" if widget.is_blank() else str(widget.value)
            elif isinstance(widget, TextArea):
                text = widget.text.strip()
            else:
                assert isinstance(widget, Input)
                text = widget.value.strip()
            if not text:
                if param.required:
                    verb = "Choose" if isinstance(widget, Select) else "Fill in"
                    self.show_error(f"{verb} {label(param).lower()}: it is required.", focus=widget)
                    return None
                if param.default is not None:
                    values[param.name] = param.default
                continue
            try:
                values[param.name] = param.parse(text, self._opened)
            except ValueError as error:
                self.show_error(f"{label(param)}: {error}", focus=widget)
                return None
        return values

    def action_submit(self) -> None:
        if self.is_dismissed or self._recording:
            return  # a second Enter queued before the form closed, or while it records
        values = self.values()
        if values is None:
            return
        self.dismiss_once_recorded(self.attempt(values), values, self._refused)

    def _refused(self, refusal: Refusal) -> None:
        hint = remedy(refusal.needs, self.params, refusal.one_of)
        named = (*refusal.needs, *refusal.one_of, refusal.about)
        needed = [p for p in self.params if p.name in named]
        focus = self.query_one(f"#{field_id(needed[0])}") if needed else None
        self.show_error(f"{refusal.message} ({hint})" if hint else refusal.message, focus=focus)
