"""The coordinator's keys: each verb's form or flow, and the keys the footer shows only
when they mean something (`m`, `f`, `X`, `P`, `d`).

The bindings are `tui.app.screens.verb_keys`'s, listed on `IncidentScreen`; here is
what each does and when it is offered, apart from how the screen keeps up with the
record (`tui.app.screens.incident`): a key changes with the verb table, that with
the record.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.screen import Screen

from incident.app.verbs import BY_NAME, accepts
from incident.comms.due import awaiting_confirmation
from incident.core.gates import decision_refusal
from tui.app.screens.brief_shown import show_brief
from tui.app.screens.report_files import export_report
from tui.app.screens.verb_forms import open_form
from tui.app.screens.verb_keys import ready_to_close

if TYPE_CHECKING:
    from incident.core.state import IncidentState
    from tui.app.screens.checking import StepVerbs
    from tui.app.screens.comms import Comms
    from tui.app.screens.desk import Desk
    from tui.app.widgets.incident_view import IncidentView


class IncidentKeys(Screen[None]):
    """The actions of the coordinator's screen, on the view, desk, steps and comms it made."""

    view: IncidentView
    desk: Desk
    steps: StepVerbs
    comms: Comms

    @property
    def state(self) -> IncidentState:
        """What the screen shows: every event recorded and handed to it, folded."""
        return self.view.state

    def forms(self, *, from_palette: bool) -> dict[str, Callable[[], None]]:
        """The verbs with a form or a flow of their own; the rest get the generic form."""
        return {
            "check": lambda: self.steps.check_step(form=from_palette),
            "run": self.steps.run_highlighted,
            "approve": self.steps.approve_highlighted,
            "decide": self.steps.open_decision,
            "db-tier": self.steps.open_tiers,
            "send": self.comms.compose,
            "deliver": self.comms.resend_failed,
            "export": lambda: export_report(self.desk),
            "brief": self.show_brief,
            "close": self.action_close_ready,
        }

    def action_verb(self, name: str) -> None:
        """A verb's key: its own form or flow, else the form built from its parameters."""
        self.start_verb(name, from_palette=False)

    def start_verb(self, name: str, *, from_palette: bool) -> None:
        own = self.forms(from_palette=from_palette).get(name)
        if own is not None:
            own()
            return
        after = self.desk.advance if name == "skip" else None
        # The key the guidance names opens its form with what the guidance names in it
        # (the role to assign, the trigger to clear); from the palette, as chosen there.
        found = None if from_palette else self.view.next_key(self.view.selected_step)
        initial = found.values_for(name) if found is not None else None
        open_form(self.desk, BY_NAME[name], after=after, initial=initial)

    def show_brief(self) -> None:
        """The handoff brief of the state this screen shows, at the screen's now."""
        show_brief(self.app, self.state, self.view.now(), self.view.poll_mark_at)

    def show_score(self) -> None:
        """A drill's score card, as `lastgood score` prints it; shown when it closes.

        Closed from a form of this terminal, the card follows the form: the close is
        shown while the form still waits for its answer, and closes once it has it.
        """
        from incident.app.drill import closed_score
        from tui.app.modals.base import FormModal
        from tui.app.modals.score_card import ScoreCardModal

        card = ScoreCardModal(closed_score(self.state, self.view.now()))
        top = self.app.screen
        if isinstance(top, FormModal) and top.is_recording:
            top.after_closing(lambda: self.app.push_screen(card))
        else:
            self.app.push_screen(card)

    def action_due_message(self) -> None:
        self.comms.review_due()

    def action_closed_already(self) -> None:
        """`X` once the incident is closed: says so (`close_incident`)."""
        self.action_close_ready()

    def action_close_ready(self) -> None:
        """`X`, in the footer once every required step is done: the close-out flow the
        post-mortem screen has too (loaded when asked for: the first frame does without
        that screen)."""
        from tui.app.screens.postmortem import close_incident

        close_incident(self.desk)

    def action_postmortem(self) -> None:
        """The post-mortem screen, over this one (its verbs record through this desk)."""
        from tui.app.screens.postmortem import PostmortemScreen

        self.app.push_screen(PostmortemScreen(self.desk))

    def action_decided(self) -> None:
        """`d` once the rollback is decided: says so (`CheckingDesk.open_decision`)."""
        self.steps.open_decision()

    def action_open_postmortem(self) -> None:
        """`P` when the footer does not show it: the same screen."""
        self.action_postmortem()

    def action_phase(self, delta: int) -> None:
        self.view.show_phase(delta)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`m` only while a message waits for confirmation, `f` while one failed for good;
        a verb only while the incident accepts it (none that changes its course once it
        is closed: hidden from the footer, and its key records nothing)."""
        if action == "verb" and not accepts(self.state, BY_NAME[str(parameters[0])]):
            return False
        if action == "due_message":
            return bool(awaiting_confirmation(self.state, self.view.now()))
        if action == "close_ready":  # `X` in the footer once every required step is done
            return ready_to_close(self.state)
        if action == "postmortem":  # the key shows in phase 4, or anywhere once closed;
            # the palette has it always. Closed, the post-mortem is the work left, and a
            # reopened incident opens on its first unfinished phase.
            last = self.view.phase_id == self.state.runbook.phases[-1].id
            return last or self.state.is_closed
        if action == "verb" and parameters == ("deliver",):
            return self.comms.can_resend()
        if action == "verb" and parameters == ("decide",):
            return decision_refusal(self.state) is None
        if action == "decided":  # `d` once decided: unlisted, and it says why
            return decision_refusal(self.state) is not None
        if action == "closed_already":  # `X` once closed: unlisted, and it says so
            return self.state.is_closed
        return True
