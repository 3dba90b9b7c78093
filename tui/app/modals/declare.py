"""Declare a rollback incident.

Why it exists: the clock starts when the incident is declared, so declaring must
take seconds. One compact form collects what the guide asks for up front -- the
fields of `lastgood declare`, with its defaults: title, severity, commander, issue,
ETA, a back-dated impact start, the runbook and its deployment pattern, the bad and
the last-good versions, the channel. Title, severity and commander are required, as
on the command line; everything else can be filled in later.

Severity has no default, as `lastgood declare --severity` has none: a severity the
form chose would be recorded, and told to stakeholders, as the coordinator's own.

The form checks nothing itself: each field's text is read by the `declare` verb's
own parameter (`incident.app.params`, the command line's argument types), and the
rest is the use case's to refuse, so a bad ETA or a missing title reads the same
words in both faces.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Input, Label, Select
from textual.widgets.select import NoSelection

from incident.app.runbook_lookup import INIT_FILE, default_runbook
from incident.app.verbs import BY_NAME
from incident.core.records import SEVERITIES
from incident.core.text import visible
from tui.app.modals.base import (
    FormModal,
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
from tui.app.modals.declare_form import DeclareForm, RunbookView
from tui.app.modals.field_labels import label_of

if TYPE_CHECKING:
    from tui.app.modals.verb_form import Refusal

KEYS_HINT = "Tab/Enter next · ctrl+s declare · Esc back"
"""The form's last line: the keys that work in it."""
NOTES_HINT = "Tab/Enter next · PgUp/PgDn notes · ctrl+s declare · Esc back"
"""While the notes overflow: their box takes no focus, so PgUp/PgDn scroll it anywhere."""

STARTED_AT_HINT = "Back-dates T+0 only: the phase windows start at the declaration"
"""The last line while Started at has the focus: what the field moves. The windows
count from the declaration, as the guide's "once a critical issue is detected"
(`incident.core.phase_windows`); T+0, the impact start, is what Impact and Detection
measure from. Its placeholder holds the example, one row of its field."""

DECLARE = BY_NAME["declare"]
"""The verb whose parameters read the form's text, as they read `lastgood declare`'s."""

TEXT_FIELDS: dict[str, tuple[str, str]] = {
    input_id: (name, label_of(name))
    for input_id, name in (
        ("title", "title"),
        ("commander", "commander"),
        ("issue", "issue"),
        ("eta", "eta"),
        ("started_at", "started_at"),
        ("runbook", "runbook"),
        ("from_version", "from_version"),
        ("last_good_version", "last_good"),
        ("channel", "channel"),
    )
}
"""Each Input's id: the `declare` parameter that reads it, and the field's label
(`label_of`, the mapping a refusal about the parameter names it by too)."""

LABELS = {
    **{input_id: label for input_id, (_, label) in TEXT_FIELDS.items()},
    "severity": "Severity",
    "pattern": "Pattern",
}
"""Each field's label by its widget's id: every error leads with the one it is about."""


def about(field_id: str, message: str) -> str:
    """`message` led by the label of the field it is about (`Runbook: no runbook file
    ./lastgood.yml`): the form's one error line sits at its foot, under the last field
    in sight (Channel, at 80x24), and read as that field's. A message that names the
    field already (`runbook: FILE:1:1: ...`, the use case's) names it once."""
    label = LABELS[field_id]
    lead, colon, rest = message.partition(": ")
    if colon and lead.lower() == label.lower():
        message = rest
    return f"{label}: {message}"


class DeclareModal(FormModal[DeclareForm | None]):
    """The declaration form; dismiss with a :class:`DeclareForm`, or ``None`` on Escape.

    Leaving the Runbook field with another name asks ``find_runbook`` for it: its
    title and patterns replace the old ones, or the form says why it was not found.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("pageup", "scroll_notes(-1)", show=False),
        Binding("pagedown", "scroll_notes(1)", show=False),
    ]

    DEFAULT_CSS = """
    DeclareModal .runbook {
        width: 100%;
        color: $text-muted;
    }
    DeclareModal #runbook-notes-box {
        height: auto;
        max-height: 5;
        scrollbar-size-vertical: 1;
    }
    DeclareModal #runbook-notes {
        width: 100%;
        color: $warning;
    }
    DeclareModal #form {
        height: auto;
        max-height: 14;
    }
    DeclareModal #grid {
        grid-size: 2;
        grid-columns: 1fr 1fr;
        grid-rows: 2;
        grid-gutter: 0 2;
        height: auto;
    }
    DeclareModal .wide {
        column-span: 2;
    }
    """

    def __init__(
        self,
        runbook: RunbookView,
        *,
        commander: str = "",
        record: Callable[[DeclareForm], Awaitable[Refusal | None]] | None = None,
        find_runbook: Callable[[str], Awaitable[RunbookView | Refusal]] | None = None,
        now: datetime,
    ) -> None:
        super().__init__()
        self.opened_at = now
        """The app's time as the form opens: the Started at field's example is an hour
        before it, and a time that does not read is refused with an example from it."""
        self.record = record
        """Records the declaration and answers None, or why it was refused (the form
        stays open with that line and everything typed); None: dismiss at once, unchecked."""
        self.find_runbook = find_runbook
        """The runbook a name or path finds, or why none; None: the field is not looked up."""
        self.runbook = runbook
        """The runbook the incident will follow, as last found."""
        self.commander = commander
        """Prefill of the Commander field."""
        self._preset = self._default_pattern(runbook)
        """The pattern preselected for the runbook shown: declared as None, its default."""
        self._asked = runbook.name
        """The Runbook field's text as last looked up (or as it came)."""
        self._runbook_refused = False
        """The error line says the Runbook field's name found nothing."""

    def compose(self) -> ComposeResult:
        severity: Select[str] = Select(
            [(s, s) for s in SEVERITIES], prompt="(choose)", id="severity", compact=True
        )
        pattern: Select[str] = Select(
            [(Text(p), p) for p in self.runbook.patterns],
            prompt="(none)",
            value=self._preset,
            id="pattern",
            compact=True,
        )
        with Vertical(classes="dialog"):
            yield title_line("Declare incident")
            yield Label(self._runbook_line(), classes="runbook", id="runbook-title")
            notes = Label(self._notes(), id="runbook-notes", markup=False)
            # no Tab stop (the first field keeps the focus); more than five rows scroll
            with VerticalScroll(id="runbook-notes-box", can_focus=False) as box:
                box.display = bool(self.runbook.notes)
                yield notes
            with VerticalScroll(id="form", can_focus=False), Grid(id="grid"):
                yield field(
                    "Title",
                    text_input(id="title", placeholder="what is broken, in a few words"),
                    required=True,
                ).add_class("wide")
                yield field("Severity", severity, required=True)
                yield field("Commander", text_input(self.commander, id="commander"), required=True)
                yield field(
                    "Issue", text_input(id="issue", placeholder="for messages: 'due to …'")
                ).add_class("wide")
                yield field("ETA minutes", text_input(id="eta", placeholder="e.g. 20"))
                yield field(
                    "Started at",
                    text_input(id="started_at", placeholder=self._started_example()),
                )
                yield field(
                    "Runbook",
                    text_input(
                        self.runbook.name, id="runbook", placeholder=f"default: {default_runbook()}"
                    ),
                )
                yield field("Pattern", pattern)
                yield field("From version", text_input(id="from_version", placeholder="e.g. 2.4.1"))
                yield field(
                    "Last-good version",
                    text_input(id="last_good_version", placeholder="e.g. 2.4.0"),
                )
                yield field("Channel", text_input(id="channel", placeholder="e.g. #inc-checkout"))
            yield dialog_foot(
                error_line(),
                button_row(submit_button("Declare", variant="error"), cancel_button()),
                hint_line(KEYS_HINT).add_class("declare-hint"),
            )

    def _runbook_line(self) -> Content:
        # The file init wrote, said where the form begins: the bundled plan's title
        # alone hid that the form would declare on it, or not (ux_review11 #2).
        where = (
            f" ({INIT_FILE}, written by lastgood init)" if self.runbook.name == INIT_FILE else ""
        )
        return Content(visible(f"Runbook: {self.runbook.title}{where}"))

    def _notes(self) -> Content:
        """What `lastgood declare` says of the runbook, one note a line (already made
        visible: `runbook_notes`); none for the bundled runbook."""
        return Content("\n".join(self.runbook.notes))

    @staticmethod
    def _default_pattern(runbook: RunbookView) -> str | NoSelection:
        chosen = runbook.default_pattern
        return chosen if chosen in runbook.patterns else Select.NULL

    def _chosen_pattern(self) -> str | None:
        """The pattern the coordinator chose; None if blank or still the one preselected."""
        select: Select[str] = self.query_one("#pattern", Select)
        if select.is_blank() or select.value == self._preset:
            return None
        return str(select.value)

    # --- the runbook --------------------------------------------------------------------

    def on_mount(self) -> None:
        self.call_after_refresh(self._say_keys)  # once the notes' height is known

    def on_descendant_focus(self, _event: events.DescendantFocus) -> None:
        self._say_keys()

    def _say_keys(self) -> None:
        """The last line: what Started at moves while it has the focus, else the keys,
        PgUp/PgDn among them while the runbook's notes overflow their box."""
        box = self.query_one("#runbook-notes-box", VerticalScroll)
        if self.focused is not None and self.focused.id == "started_at":
            hint = STARTED_AT_HINT
        else:
            hint = NOTES_HINT if box.display and box.max_scroll_y > 0 else KEYS_HINT
        self.query_one(".declare-hint", Label).update(hint)

    def action_scroll_notes(self, pages: int) -> None:
        """A page of the runbook's notes, up or down, whichever field has the focus
        (a long list of warnings scrolled only with the mouse wheel)."""
        box = self.query_one("#runbook-notes-box", VerticalScroll)
        if pages < 0:
            box.scroll_page_up(animate=False)
        else:
            box.scroll_page_down(animate=False)

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        """Leaving the Runbook field with another name: find that runbook."""
        if event.widget.id != "runbook" or self.find_runbook is None or self.is_dismissed:
            return
        name = self._text("runbook") or default_runbook()
        if name == self._asked:
            return
        self._asked = name
        if name == self.runbook.name:
            self.show_runbook(self.runbook)  # put back as it was: any refusal of it is void
        else:
            self.run_worker(self._find(self.find_runbook(name)), group="runbook", exclusive=True)

    async def _find(self, finding: Awaitable[RunbookView | Refusal]) -> None:
        found = await finding
        if self.is_dismissed:
            return
        if isinstance(found, RunbookView):
            self.show_runbook(found)
        else:
            self._runbook_refused = True
            self.show_error(about("runbook", found.message))

    def show_runbook(self, runbook: RunbookView) -> None:
        """Show `runbook`'s title and patterns, its default preselected; a pattern chosen
        stays if it has it. An error line about the runbook field goes."""
        if self._runbook_refused:
            self._runbook_refused = False
            self.clear_error()
        chosen = self._chosen_pattern()
        self.runbook = runbook
        self.query_one("#runbook-title", Label).update(self._runbook_line())
        self.query_one("#runbook-notes", Label).update(self._notes())
        self.query_one("#runbook-notes-box").display = bool(runbook.notes)
        select: Select[str] = self.query_one("#pattern", Select)
        select.set_options([(Text(p), p) for p in runbook.patterns])
        self._preset = self._default_pattern(runbook)
        select.value = chosen if chosen in runbook.patterns else self._preset
        self.call_after_refresh(self._say_keys)

    # --- submitting ---------------------------------------------------------------------

    def _text(self, input_id: str) -> str:
        return self.query_one(f"#{input_id}", Input).value.strip()

    def _read(self) -> dict[str, object] | None:
        """Each Input's value as its `declare` parameter reads it; None (and the error
        shown, the field focused) if one does not read."""
        values: dict[str, object] = {}
        for input_id, (name, _) in TEXT_FIELDS.items():
            param = DECLARE.param(name)
            text = self._text(input_id)
            if not text:
                # None; for the runbook, declare's default (./lastgood.yaml if init wrote it)
                values[input_id] = default_runbook() if name == "runbook" else param.default
                continue
            try:
                values[input_id] = param.parse(text, self._opened)
            except ValueError as error:
                self.show_error(
                    visible(about(input_id, str(error))), focus=self.query_one(f"#{input_id}")
                )
                return None
        return values

    def action_submit(self) -> None:
        if self.is_dismissed or self._recording:
            return  # a second Enter queued before the form closed, or while it records
        values = self._read()
        if values is None:
            return
        severity: Select[str] = self.query_one("#severity", Select)

        def text(input_id: str) -> str:
            value = values[input_id]
            return "" if value is None else str(value)

        eta, started_at = values["eta"], values["started_at"]
        form = DeclareForm(
            title=text("title"),
            severity="" if severity.is_blank() else str(severity.value),
            commander=text("commander"),
            issue=text("issue"),
            eta_min=eta if isinstance(eta, int) else None,
            pattern=self._chosen_pattern(),
            from_version=text("from_version"),
            last_good_version=text("last_good_version"),
            channel=text("channel"),
            started_at=started_at if isinstance(started_at, datetime) else None,
            runbook=text("runbook"),
        )
        if self.record is None:
            self.dismiss(form)
        else:
            self.dismiss_once_recorded(self.record(form), form, self._refused)

    def _opened(self) -> datetime:
        """`opened_at`, as `Param.parse` asks for it."""
        return self.opened_at

    def _started_example(self) -> str:
        """An impact start as the field takes it: an hour before the form opened."""
        from tui.app.examples import impact_start_placeholder

        return impact_start_placeholder(self.opened_at)

    def _refused(self, refusal: Refusal) -> None:
        """The refusal on the error line, the focus on the first field it names."""
        ids = {name: input_id for input_id, (name, _) in TEXT_FIELDS.items()}
        ids.update(severity="severity", pattern="pattern")
        named: Sequence[str] = [ids[n] for n in (*refusal.needs, refusal.about) if n in ids]
        self._runbook_refused = "runbook" in refusal.needs
        if not named:  # the record's, not a field's (a full disk, an id taken)
            self.show_error(refusal.message)
            return
        said = refusal.message if refusal.about else about(named[0], refusal.message)
        self.show_error(said, focus=self.query_one(f"#{named[0]}"))
