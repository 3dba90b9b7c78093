"""Compose a stakeholder message from a template.

Why it exists: the guide asks for prompt, regular communication ("Initiating
rollback due to {issue}. ETA {eta}."). The app renders each template from the
incident; here the coordinator picks one, edits it freely and sends it. The
result is recorded and copied by the app, so what was told to whom is never lost.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Select, TextArea

from incident.core.text import counted, visible
from tui.app.data_input import DataInput
from tui.app.data_text_area import DataTextArea
from tui.app.modals.base import (
    FormModal,
    button_row,
    cancel_button,
    dialog_foot,
    error_line,
    hint_line,
    submit_button,
    title_line,
)

if TYPE_CHECKING:
    from tui.app.modals.verb_form import Refusal

SEND = "send"
"""The verb whose parameters read the composer's fields, as they read `lastgood send`'s."""


def read_line(name: str, text: str) -> str:
    """`text` as `send`'s parameter `name` reads it: a one-line field (`Kind.LINE`, the
    channel) refuses a line break, ValueError saying so (`incident.core.text.line_break_in`);
    a pasted one went into the record and the messages as a real line break."""
    from incident.app.params import PARSERS, Kind
    from incident.app.verbs import BY_NAME

    param = BY_NAME[SEND].param(name)
    if param.kind is not Kind.LINE:
        return text
    line = PARSERS[Kind.LINE](text)
    assert isinstance(line, str)
    return line


Composed = tuple[str | None, str, str, bool]
"""(template id or None, text, channel, whether to send a once-per-incident one again)."""


class ComposerModal(FormModal[tuple[str | None, str, str] | None]):
    """Pick a template, edit its text and where it goes; dismiss with ``(template_id,
    text, channel)``.

    ``templates`` are ``(template id, label, rendered text)``. Choosing a template
    replaces the text with its rendering (ctrl+z undoes the replacement). The
    returned id is the selected template even if the text was edited, or ``None``
    when no template is selected. The text is returned stripped; empty text is an
    error. The channel starts as the incident's, as `lastgood send --channel` does
    without the option; emptied, the message goes to the incident's channel.

    ``sent_before`` maps each once-per-incident template already sent to who sent it
    and when: choosing one says so, and ``ctrl+s`` then sends it once more (as
    `lastgood send --again`). With ``send``, the message is recorded from the dialog,
    which closes only once it is; a refusal is shown in it. One sent from another
    terminal while the dialog was open is refused so, and the next ``ctrl+s`` sends it
    again.
    """

    DEFAULT_CSS = """
    ComposerModal #channel-row, ComposerModal #template-row {
        height: auto;
    }
    ComposerModal #template-row {
        margin: 1 0;
    }
    ComposerModal #channel-row > Label, ComposerModal #template-row > Label {
        width: 10;
    }
    ComposerModal #template, ComposerModal #channel {
        width: 1fr;
    }
    ComposerModal #text {
        height: 10;
    }
    ComposerModal.-cramped #text {
        height: 8;  /* the title in view under 24 rows, the foot below */
    }
    ComposerModal #count {
        width: 100%;
        text-align: right;
        color: $text-muted;
    }
    """

    def __init__(
        self,
        templates: Sequence[tuple[str, str, str]],
        *,
        template: str | None = None,
        channel: str = "",
        sent_before: Mapping[str, str] | None = None,
        unsettled: Mapping[str, str] | None = None,
        send: Callable[[Composed], Awaitable[Refusal | None]] | None = None,
        routes: Mapping[str | None, str] | None = None,
    ) -> None:
        super().__init__()
        self.routes = dict(routes or {})
        """Template id (None: free text) -> where its message goes, in a few words ("to
        team, ops", "recorded only, no webhook takes it"); none said for one not in it."""
        self.sent_before = dict(sent_before or {})
        """Template id -> who sent it already, and when, for those sent once per incident."""
        self.unsettled = dict(unsettled or {})
        """Template id -> what the record says against sending it now (the resolution
        while a rollback trigger is met, `incident.app.stability`)."""
        self._warned = False
        """Whether the error line holds an `unsettled` warning."""
        self.send = send
        """Records the message: None once recorded, else why not."""
        self._again: str | None = None
        """The template whose earlier send was said here: `ctrl+s` sends it again."""
        self.templates = {tid: (label, text) for tid, label, text in templates}
        """Template id -> (label, rendered text), in the given order."""
        self.channel = channel
        """Where the message goes unless changed: the incident's channel."""
        self.loaded_template: str | None = template if template in self.templates else None
        """The template whose text was last loaded into the editor."""

    def compose(self) -> ComposeResult:
        options = [(Text(label), tid) for tid, (label, _) in self.templates.items()]
        select: Select[str] = Select(
            options,
            prompt="Free text (no template)",
            value=self.loaded_template if self.loaded_template is not None else Select.NULL,
            id="template",
            compact=True,
        )
        initial = self.templates[self.loaded_template][1] if self.loaded_template else ""
        with Vertical(classes="dialog"):
            yield title_line("Compose message")
            with Horizontal(id="channel-row"):
                yield Label("Channel")
                yield DataInput(
                    self.channel,
                    id="channel",
                    placeholder="the incident's channel",
                    compact=True,
                )
            with Horizontal(id="template-row"):
                yield Label("Template")
                yield select
            yield DataTextArea(initial, id="text", soft_wrap=True)
            yield Label(self._count_text(initial), id="count", markup=False)
            yield dialog_foot(
                error_line(),
                button_row(submit_button("Send & copy"), cancel_button()),
                hint_line("ctrl+s send & copy · shift+Tab template · Esc cancel"),
            )

    def on_mount(self) -> None:
        """The text has the focus, template or none: what is typed as the form opens is
        the message (with the template list focused, a space opened it and the rest
        was lost); the template is one shift+Tab away."""
        text_area = self.query_one("#text", TextArea)
        text_area.focus()
        text_area.move_cursor(text_area.document.end)
        self._say_sent_before(self.loaded_template)

    def _say_sent_before(self, template: str | None) -> None:
        """Who sent the chosen template already, if it goes once per incident."""
        earlier = self.sent_before.get(template) if template is not None else None
        warned = self.unsettled.get(template) if template is not None else None
        if earlier is None:
            if self._again is not None or self._warned:
                self.clear_error()
            self._again = None
            self._warned = warned is not None
            if warned is not None:  # said, not refused: ctrl+s sends it with the warning
                self.show_error(visible(f"⚠ {warned}"))
            return
        self._warned = False
        self._again = template
        self.show_error(visible(f"{earlier}: ctrl+s sends it again"))

    def _count_text(self, text: str) -> str:
        """How long the message is, and where it goes: a free-text message reached no
        webhook, and nothing here said so."""
        count = counted(len(text), "character")
        where = self.routes.get(self.loaded_template)
        return count if where is None else visible(f"{count} · {where}")

    @on(Select.Changed, "#template")
    def _template_changed(self, event: Select.Changed) -> None:
        value = event.value if isinstance(event.value, str) else None
        if value == self.loaded_template:
            return  # the initial selection, or the same template again
        self.loaded_template = value
        self._say_sent_before(value)
        text_area = self.query_one("#text", TextArea)
        self.query_one("#count", Label).update(self._count_text(text_area.text))
        if value is None:
            return  # back to free text: keep what is written
        document = text_area.document
        text_area.replace(self.templates[value][1], document.start, document.end)
        self.mark_untyped(text_area)  # the template's text, not a draft to ask about

    @on(TextArea.Changed, "#text")
    def _text_changed(self, event: TextArea.Changed) -> None:
        self.query_one("#count", Label).update(self._count_text(event.text_area.text))

    def action_submit(self) -> None:
        if self.is_dismissed or self.is_recording:
            return  # a second ctrl+s while the first records
        text_area = self.query_one("#text", TextArea)
        text = text_area.text.strip()
        if not text:
            self.show_error("The message is empty.", focus=text_area)
            return
        select: Select[str] = self.query_one("#template", Select)
        template_id = None if select.is_blank() else str(select.value)
        channel_input = self.query_one("#channel", Input)
        channel = channel_input.value.strip()
        if channel == self.channel.strip():
            channel = self.channel  # as given, its spaces too
        else:  # one line, by the rule `lastgood send --channel` and the declaration obey
            try:
                channel = read_line("channel", channel)
            except ValueError as error:
                self.show_error(visible(f"Channel: {error}"), focus=channel_input)
                return
        if self.send is None:
            self.dismiss((template_id, text, channel))
            return
        again = template_id is not None and template_id == self._again
        composed = (template_id, text, channel, again)
        self.dismiss_once_recorded(self.send(composed), (template_id, text, channel), self._refused)

    def _refused(self, refusal: Refusal) -> None:
        """Why it was not sent, in the dialog. A once-per-incident message sent from
        elsewhere since the dialog opened: the next `ctrl+s` sends it again."""
        select: Select[str] = self.query_one("#template", Select)
        if "again" in refusal.needs and not select.is_blank():
            self._again = str(select.value)
            self.show_error(visible(f"{refusal.message} (ctrl+s sends it again)"))
            return
        self.show_error(visible(refusal.message))
