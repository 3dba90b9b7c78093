"""The post-mortem screen: close-out done by doing it, then the close.

A thin screen over the coordinator's `Desk`: it shows the post-mortem from the
folded state and lists every verb the table offers on it (`Verb.postmortem`), each
opened by name through the same forms and use cases as everywhere else, so it
records exactly what the command line would. Recording the root cause or the
booking checks the close-out step it completes (`incident.app.closeout`), and so does
the exported report with its form's Check step box ticked (as it opens once the
step's phase has begun). Once every required step is done it says the incident
can be closed, and `X` closes it after asking.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from incident.app.lifecycle import closed_already
from incident.app.outcome import Done
from incident.app.stability import close_held, close_warning
from incident.app.verb import Verb
from incident.app.verbs import BY_NAME, VERBS
from incident.core.text import visible
from tui.app.marked_list import MarkedOptionList
from tui.app.screens.desk import After, Desk
from tui.app.screens.report_files import export_report
from tui.app.screens.verb_forms import open_form
from tui.app.screens.verb_keys import CLOSED_KEY, ready_to_close
from tui.app.steady_footer import SteadyFooter
from tui.app.styled_once import StyledOnce
from tui.app.widgets.postmortem_view import PostmortemBody, closing_text

POSTMORTEM_VERBS: tuple[Verb, ...] = tuple(verb for verb in VERBS if verb.postmortem)
"""What the post-mortem screen offers, in the verb table's order."""

KEYED_VERBS: tuple[Verb, ...] = tuple(verb for verb in POSTMORTEM_VERBS if verb.key)
"""Those with a key of their own, which works here as on the coordinator's screen: `e`
exports the report. `e` did nothing here, where "Document the incident" is done, while
the README's key table gave it for Export report (ux_review7 F15)."""

REDRAW_S = 1.0
"""How often other writers' post-mortem work is looked for (the desk reads it)."""


def close_incident(desk: Desk, *, after: After | None = None) -> None:
    """`X`: with required steps open, the close form (force and a reason); else a
    plain question first, since closing ends the rollback's clocks. Closed already,
    it says so (the question, then "Not recorded", said it late)."""
    verb = BY_NAME["close"]
    refused = closed_already(desk.state)
    if refused is not None:
        desk.notify(refused, title="Not recorded", severity="warning")
        return
    after = stale_report_said(desk, after)
    held = close_held(desk.state, desk.now())  # the command's own rule (ux_review15 #2)
    if desk.state.open_required_steps() or held is not None:
        why = "" if held is None else f"Not stable: {held}. The guide closes out once it is."
        open_form(desk, verb, after=after, why=why)
        return

    def answered(yes: bool | None) -> None:
        if yes:
            desk.run_verb("close", {}, after=after)

    from tui.app.modals.confirm import ConfirmModal

    question = f"{verb.confirm} Every required step is done."
    unsettled = close_warning(desk.state, desk.now())
    if unsettled is not None:  # the record's own word against it, read first
        question = f"⚠ {unsettled[:1].upper()}{unsettled[1:]}. {question}"
    desk.screen.app.push_screen(
        ConfirmModal(f"Close {desk.state.id}?", question, "Close it"), answered
    )


def stale_report_said(desk: Desk, after: After | None) -> After:
    """`after`, once the close is recorded saying so when the report "Document the
    incident" names predates it (`incident.app.stale_report`), and how to write it
    again: `e` when its form holds that file's path (`offered_path`: the one who
    wrote it, here), else `e` with that path, or on the machine it is on."""

    def closed(done: Done) -> None:
        from incident.app.stale_report import offered_path, stale_report

        stale = stale_report(desk.state)
        if stale is not None:
            if not stale.here:
                how = f"write it again on {stale.host}"
            elif offered_path(desk.state, desk.actor) == stale.path:
                how = "e writes it again"
            else:
                how = "e with that file's path writes it again"
            desk.notify(stale.said(how), title="Report out of date", severity="warning")
        if after is not None:
            after(done)

    return closed


def help_sections(*, closed: bool) -> list[tuple[str, Sequence[tuple[str, str]]]]:
    """What `?` lists here: this screen's keys (`X` while open), then its list's verbs."""
    close = "Close the incident (asks first; force and a reason while steps are open)"
    keys = [
        ("↑ ↓", "Move through the post-mortem's verbs"),
        ("enter", "Open the highlighted verb's form"),
        ("tab", "Move between the verbs and the post-mortem (to scroll it)"),
        *([] if closed else [("X", close)]),
        ("esc / q", "Back to the incident"),
        ("ctrl+p", "Command palette: every verb by name"),
        ("? / F1", "This help"),
        ("ctrl+q", "Quit (asks first if a dialog holds typed text)"),
    ]
    listed = [(_verb_keys(verb), f"{verb.title}: {verb.help}") for verb in POSTMORTEM_VERBS]
    return [("On this screen", keys), ("Verbs (highlight one, then Enter)", listed)]


def _verb_keys(verb: Verb) -> str:
    """How a verb is reached here: its own key, if it has one, or Enter on it."""
    return f"{verb.key_display} / enter" if verb.key_display else "enter"


class PostmortemScreen(StyledOnce, Screen[None]):
    """Root cause, contributing factors, action items, lessons, the meeting, the report."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("q", "back", "Back", show=False),  # as q closes every other overlay
        *(
            Binding(verb.key, f"verb('{verb.name}')", verb.title)
            for verb in KEYED_VERBS
            if verb.key is not None
        ),
        Binding("X", "close_incident", "Close incident"),
        # `X` before every required step is done: out of the footer, as on the
        # coordinator's screen (where the screen's own line says what is still open),
        # and still the close form, with force and a reason.
        Binding("X", "close_early", show=False),
        CLOSED_KEY,
        Binding("question_mark,f1", "help", "Help", key_display="?"),
    ]

    DEFAULT_CSS = """
    PostmortemScreen #pm-title { height: 1; padding: 0 1; text-style: bold; width: 1fr; }
    PostmortemScreen #pm-scroll { height: 1fr; border: round $primary-muted; }
    PostmortemScreen #pm-verbs {
        height: auto;
        max-height: 7;
        border: round $primary-muted;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    PostmortemScreen #pm-verbs:focus { border: round $primary; }
    PostmortemScreen #pm-closing { width: 1fr; height: auto; padding: 0 1; }
    PostmortemScreen Toast { max-width: 75%; }
    """
    """Toasts up to 60 columns wide here (Textual's `Toast` is 60, at most half the
    screen), so a verb's line and the step it checked each fit a row from 80 columns:
    at 100x30 the booking's toast wrapped both to two rows, and the three rows a toast
    has under 38 (`app.tcss`) cut `checked schedule-post-mortem (post-mortem` short.
    At the top of the post-mortem, off the verbs (`app.tcss`)."""

    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self.desk = desk
        """The coordinator's desk: what it records goes through the recorder thread."""
        self._shown_seq = -1

    def compose(self) -> ComposeResult:
        state = self.desk.state
        yield Label(
            visible(f"Post-mortem · {state.id} · {state.severity} {state.title}"),
            id="pm-title",
            markup=False,
        )
        with VerticalScroll(id="pm-scroll"):  # tab reaches it, to scroll a long one
            yield PostmortemBody(id="pm-body")
        yield MarkedOptionList(
            *(
                Option(
                    Text.assemble((verb.title, "bold"), f"  {verb.help}"),
                    id=verb.name,
                )
                for verb in POSTMORTEM_VERBS
            ),
            id="pm-verbs",
        )
        yield Label(id="pm-closing")
        yield SteadyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.redraw()
        self.query_one(OptionList).focus()
        self.set_interval(REDRAW_S, self.redraw)

    def redraw(self, done: Done | None = None) -> None:
        """Show the state as the desk has it, if it changed since last shown."""
        state = self.desk.state
        if state.last_seq == self._shown_seq:
            return
        self._shown_seq = state.last_seq
        self.query_one(PostmortemBody).show(state)
        self.query_one("#pm-closing", Label).update(closing_text(state))
        self.refresh_bindings()  # `X` comes into the footer once ready, leaves it once closed

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.start_verb(event.option.id)

    def start_verb(self, name: str) -> None:
        """A post-mortem verb by name: the report export's own flow, or its form."""
        if name == "export":
            export_report(self.desk, after=self.redraw)
        else:
            open_form(self.desk, BY_NAME[name], after=self.redraw)

    def action_verb(self, name: str) -> None:
        """A verb's own key (`KEYED_VERBS`): as Enter on it in the list."""
        self.start_verb(name)

    def action_close_incident(self) -> None:
        close_incident(self.desk, after=self.redraw)

    def action_close_early(self) -> None:
        close_incident(self.desk, after=self.redraw)

    def action_closed_already(self) -> None:
        """`X` once the incident is closed: says so (`close_incident`)."""
        close_incident(self.desk)

    def action_back(self) -> None:
        self.dismiss(None)

    def action_help(self) -> None:
        """This screen's keys and verbs (the coordinator's do nothing here)."""
        from tui.app.modals.help import HelpModal

        self.app.push_screen(HelpModal(help_sections(closed=self.desk.state.is_closed)))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`X` in the footer once every required step is done; before, out of it (the
        screen's last line says what is open) and still the close form; once closed, it says so."""
        if action == "close_incident":  # in the footer once every required step is done
            return ready_to_close(self.desk.state)
        if action == "close_early":
            return not self.desk.state.is_closed and not ready_to_close(self.desk.state)
        if action == "closed_already":
            return self.desk.state.is_closed
        return True
