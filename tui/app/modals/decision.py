"""The Phase 1 decision gate: roll back or not.

Why it exists: the guide's first principle is to act decisively -- "When
rollback criteria are met, do not hesitate. A bad deployment rarely gets better
on its own." This gate puts the rollback triggers and their live state in front
of the commander, lets them set the manual ones (e.g. "core functionality
broken"), and records the decision with who decided (as `lastgood decide --by`) and
a reason prefilled from the evidence.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from incident.core.text import visible
from tui.app.hanging import Hanging, Row
from tui.app.marked_list import MarkedOptionList
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

if TYPE_CHECKING:
    from tui.app.modals.verb_form import Refusal

PRINCIPLE = (
    "When rollback criteria are met, do not hesitate. "
    "A bad deployment rarely gets better on its own."
)
"""The guide's principle, quoted on the gate."""


@dataclass(frozen=True)
class TriggerView:
    """What the gate shows of one rollback trigger."""

    id: str
    """Trigger id, passed to ``toggle_manual``."""
    title: str
    """e.g. "Error rate above 5%"."""
    kind: str
    """``metric``, ``consecutive_failures`` or ``manual``."""
    state: str
    """``met``, ``not met``, ``not met yet`` or ``no data`` (`standing`)."""
    detail: str
    """The evidence, e.g. "error rate 12.0% > 5.0% for 3 samples"."""
    rule: str = ""
    """How it fires, before it does, and whether it is the runbook's own
    (`incident.reports.trigger_view.trigger_rule`): "3 readings, about 30 s"."""
    rule_short: str = ""
    """A shorter `rule`, where the whole would wrap (the title alone where this would)."""


STATE_MARKERS: dict[str, tuple[str, str]] = {
    "met": ("● MET", "bold $background on $text-error"),
    "not met": ("○ not met", "$text-success"),
    "no data": ("? no data", "$text-warning"),
    "not met yet": ("◔ not yet", "$text-warning"),
}
"""Symbol + words (readable without colour) and style per trigger state.

MET is drawn on a colour of its own, not in one: pink on the highlight's blue read
1.41:1, and it is the word the gate is about."""
MARKER_CELLS = 9
"""The markers' column: titles start after it, aligned."""


def state_marker(state: str) -> tuple[str, str]:
    """Marker text and style for a trigger state (unknown states shown as-is)."""
    return STATE_MARKERS.get(state, (f"? {state}", "bold"))


HINT_ON_LIST = "space toggles manual · ctrl+s initiate rollback · Esc cancel"
"""The key hint while the triggers have the focus: space toggles only there."""
HINT_IN_FIELD = "shift+Tab back to the triggers · ctrl+s initiate rollback · Esc cancel"
"""The key hint in By or Reason, where space is text: it said "space (list) toggles
manual" there, and Down Down Down space typed a space into Reason (ux_review17)."""
HINT_ELSEWHERE = "ctrl+s initiate rollback · Esc cancel"
"""The key hint on a button, or in a gate with no triggers."""

MANUAL_HINTS = ("  (manual: space toggles)", "  (manual)")
"""After a manual trigger's title, longest first: the short one where the long one would
wrap (at 60 columns), the key being in the dialog's hint line too."""


def trigger_prompt(trigger: TriggerView) -> Hanging:
    """Two rows per trigger: state and title, then the evidence, both under the title's
    first word however they wrap (never under the state marker, as another item)."""
    marker, style = state_marker(trigger.state)
    bare = Content.styled(visible(trigger.title), "bold")
    rules = [rule for rule in (trigger.rule, trigger.rule_short) if rule]
    # "Error rate > 5% (3 readings, about 30 s)", the title alone where it would wrap
    titles = [*(bare + Content.styled(visible(f" ({rule})"), "dim") for rule in rules), bare]
    hints = MANUAL_HINTS if trigger.kind == "manual" else ("",)
    forms = tuple(title + Content.styled(hint, "dim") for title in titles for hint in hints)
    detail = Content.styled(visible(trigger.detail or "—"), "italic")
    lead = Content.styled(marker, style)
    return Hanging([Row(lead, forms), Row(Content(""), (detail,))], MARKER_CELLS + 2)


@dataclass(frozen=True)
class DecisionForm:
    """What the gate was submitted with (text stripped), as `lastgood decide` takes it."""

    by: str
    """Who decides; "" leaves it to the use case (the incident commander)."""
    reason: str
    """Why roll back (required)."""


def met_reason(triggers: Sequence[TriggerView]) -> str:
    """The reason prefill: the titles of the met triggers, or ``""`` if none is met."""
    met = [t.title for t in triggers if t.state == "met"]
    return f"Rollback triggers met: {', '.join(met)}" if met else ""


class TriggerList(MarkedOptionList):
    """The gate's triggers: space on a manual one toggles it, and nothing else typed
    here is a command.

    Space is the one key that toggles, and only here: it is never text on this list.
    Any other printable key typed here goes to the Reason field, which takes the focus
    (as Tab and typing would have). The dialog bound `space` and `m` on itself, so
    "payments" typed with the focus here threw its letters away but recorded the
    highlighted manual trigger as met on its `m`.

    A letter or digit that would follow a word in Reason (the prefill, "... > 5%") comes
    after a space: "payments" glued on as "5%payments". Punctuation follows at once.

    Its highlighted row carries the mark (`MARK`) only while it has the focus: By and
    Reason mark theirs with the same one (`FOCUS_MARK`)."""

    MARKS_WITHOUT_FOCUS = False

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "screen.toggle_trigger", "Toggle manual trigger"),
    ]

    def on_key(self, event: events.Key) -> None:
        if event.key == "space" or not event.is_printable or event.character is None:
            return
        event.stop()
        event.prevent_default()
        reason = self.screen.query_one("#reason", Input)
        before = reason.value[: reason.cursor_position]
        text = event.character
        if text.isalnum() and before and not before[-1].isspace():
            text = f" {text}"  # a new word, not the end of the last one
        reason.insert_text_at_cursor(text)
        reason.focus()


class DecisionModal(FormModal[DecisionForm | None]):
    """Show the triggers, toggle manual ones, and decide; dismiss with a `DecisionForm`.

    ``toggle_manual(trigger_id)`` is called for a manual trigger on ``space`` with the
    trigger list focused (the app records the change durably) and returns the new
    views, which are shown at once; letters typed on the list go to Reason
    (`TriggerList`). The dialog opens on the list whenever it has triggers, Reason
    empty or not: what is typed there goes to Reason, and Down, Down, space toggles the
    manual trigger, where (opened in Reason) it typed a space into the reason. The key
    hint says what works where the focus is. While the reason still reads as the prefill, it follows
    the met triggers. "By" comes prefilled with ``by``, the person at this screen
    (`incident.core.gates.decider`, as `lastgood decide` records without `--by`), to be
    kept or replaced by the name of whoever's word this records; cleared, its
    placeholder says who is recorded then, ``left_empty`` (``by`` unless given).
    "Initiate rollback" (``ctrl+s``) needs a reason; Escape dismisses ``None``.

    With ``decide``, the decision is recorded from the dialog, which closes only once
    it is: a refusal (a reason over its limit) is shown in it with the reason as
    typed. Closing first and refusing in a toast lost the reason, and the keys typed
    next reached the main screen, where letters are verbs.
    """

    DEFAULT_CSS = """
    DecisionModal .principle {
        width: 100%;
        text-style: italic;
        margin-bottom: 1;
    }
    DecisionModal #triggers {
        height: auto;
        max-height: 8;  /* four triggers; with the By field the dialog still fits 80x24 */
        margin-bottom: 1;
    }
    DecisionModal .note {
        width: 100%;
    }
    /* Under 24 rows the triggers come first: the baseline's line is said again in
       the decision's toast and by `status` (at 60x20 it pushed a trigger out of view). */
    DecisionModal.-cramped .note {
        display: none;
    }
    DecisionModal .empty {
        width: 100%;
        margin-bottom: 1;
    }
    """

    def __init__(
        self,
        triggers: Sequence[TriggerView],
        *,
        toggle_manual: Callable[[str], Awaitable[Sequence[TriggerView]]],
        by: str = "",
        by_note: str = "",
        left_empty: str = "",
        decide: Callable[[DecisionForm], Awaitable[Refusal | None]] | None = None,
        notes: Sequence[str] = (),
        rule_note: str = "",
    ) -> None:
        super().__init__()
        self.notes = tuple(notes)
        """Lines shown under the triggers: each baseline Check health will want and has
        not (`incident.app.baseline_offer`), while it can still be taken."""
        self.rule_note = rule_note
        """Whose approval the runbook asks for the decision, said as the runbook's rule
        when the guide names none (`runbook's rule: the incident commander approves the
        rollback`); empty for none."""
        self.decide = decide
        """Records the decision: None once recorded, else why not."""
        self.triggers = list(triggers)
        """The triggers as last rendered."""
        self.toggle_manual = toggle_manual
        """Records a manual trigger's toggle (by id); returns the new views of all triggers."""
        self.by = by
        """Prefill of the By field: who decides unless someone else is named."""
        self.by_note = by_note
        """What By's label adds when ``by`` is not the person at the screen: whose word
        the decision records (`incident.core.gates.proposed_decider`)."""
        self.left_empty = left_empty or by
        """Who is recorded as deciding if By is cleared (its placeholder)."""
        self._prefill = met_reason(self.triggers)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield title_line("Decision gate: roll back now?")
            yield Label(f"“{PRINCIPLE}”", classes="principle")
            yield TriggerList(
                *(Option(trigger_prompt(t), id=t.id) for t in self.triggers),
                id="triggers",
                compact=True,
            )
            if not self.triggers:
                yield Label("No rollback triggers in this runbook.", classes="empty")
            for note in self.notes:
                yield Label(Content.styled(visible(note), "$text-warning"), classes="note")
            # Kept out of the field if it holds a control character (shown, never sent
            # raw to the terminal): left empty, the use case records who the
            # placeholder shows.
            prefill = self.by if visible(self.by) == self.by else ""
            placeholder = visible(self.left_empty) or "who decides"
            # whose word; else that asking for it is the runbook's rule, not the guide's
            # (both are one line too long at 80 columns: `status` says the rule too)
            notes = self.by_note or self.rule_note
            label = f"By ({visible(notes)})" if notes else "By"
            yield field(label, text_input(prefill, id="by", placeholder=placeholder))
            yield field(
                "Reason",
                text_input(self._prefill, id="reason", placeholder="why roll back"),
                required=True,
            )
            yield dialog_foot(
                error_line(),
                button_row(submit_button("Initiate rollback", variant="error"), cancel_button()),
                hint_line(HINT_ON_LIST if self.triggers else HINT_ELSEWHERE),
            )

    def on_mount(self) -> None:
        if not self.triggers:
            self.query_one("#triggers", OptionList).display = False
            self.query_one("#reason", Input).focus()  # what must be written
        else:
            self.query_one("#triggers", OptionList).focus()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """The key hint for where the focus went: space on the list, the way back to it
        from By and Reason. (The base class's handler marks the field's label.)"""
        widget = event.widget
        if isinstance(widget, TriggerList):
            hint = HINT_ON_LIST
        elif isinstance(widget, Input) and self.triggers:
            hint = HINT_IN_FIELD
        else:
            hint = HINT_ELSEWHERE
        self.query_one(".hint", Label).update(hint)

    def action_toggle_trigger(self) -> None:
        """Toggle the highlighted trigger if it is manual."""
        trigger_list = self.query_one("#triggers", OptionList)
        index = trigger_list.highlighted
        if index is None or not self.triggers:
            return
        trigger = self.triggers[index]
        if trigger.kind != "manual":
            self.show_error(f"{trigger.title} is measured, not set: only manual triggers toggle.")
            return
        self.clear_error()
        self.run_worker(self._toggle(trigger.id), group="toggle")

    async def _toggle(self, trigger_id: str) -> None:
        """Recorded off the UI loop: the list follows once it is on record."""
        self.show_triggers(await self.toggle_manual(trigger_id))

    def show_triggers(self, triggers: Sequence[TriggerView]) -> None:
        """Re-render with new views, keeping the highlight on the same trigger."""
        trigger_list = self.query_one("#triggers", OptionList)
        index = trigger_list.highlighted
        current_id = self.triggers[index].id if index is not None and self.triggers else None
        self.triggers = list(triggers)
        trigger_list.clear_options()
        trigger_list.add_options(Option(trigger_prompt(t), id=t.id) for t in self.triggers)
        ids = [t.id for t in self.triggers]
        if current_id in ids:
            trigger_list.highlighted = ids.index(current_id)
        elif self.triggers:
            trigger_list.highlighted = 0
        reason = self.query_one("#reason", Input)
        new_prefill = met_reason(self.triggers)
        if reason.value.strip() == self._prefill.strip():
            reason.value = new_prefill  # not edited by hand: follow the evidence
        self._prefill = new_prefill

    @on(OptionList.OptionSelected, "#triggers")
    def _trigger_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.query_one("#reason", Input).focus()

    def action_submit(self) -> None:
        if self.is_dismissed or self._recording:
            return  # a second ctrl+s while the first records
        reason = self.query_one("#reason", Input)
        text = reason.value.strip()
        if not text:
            self.show_error("Reason is required.", focus=reason)
            return
        form = DecisionForm(by=self.query_one("#by", Input).value.strip(), reason=text)
        if self.decide is None:
            self.dismiss(form)
            return
        self.dismiss_once_recorded(self.decide(form), form, self._refused)

    def _refused(self, refusal: Refusal) -> None:
        """The refusal in the dialog, the focus on the field it is about: a name that
        names no one is refused as `lastgood decide --by` refuses it."""
        field_id = "by" if "by" in refusal.needs else "reason"
        self.show_error(visible(refusal.message), focus=self.query_one(f"#{field_id}", Input))
