"""The coordinator's communication: composing, due messages, cadence; delivery to the
webhooks is its `Deliveries` (`tui.app.screens.deliveries`).

Kept apart from the checklist verbs because it changes for its own reasons (the
runbook's `notify` rules, the update cadence, webhook delivery). Everything here is
recorded through the same recorder as a keypress, so what the screen shows about a
message is what the log holds.

Three things run without a key being pressed, once a second and after every
recorded action, as one job on the recorder's thread (`background`): due
`mode: auto` messages are sent, recorded messages are handed to the outbox
(whichever process recorded them), and a missed update is recorded.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from incident.app.next_key import due_cue
from incident.app.outcome import Done
from incident.app.session import IncidentSession
from incident.app.stability import resolution_warning
from incident.app.verbs import BY_NAME
from incident.comms.due import (
    CONFIRM_LEAD,
    DueMessage,
    awaiting_confirmation,
    due_messages,
    no_longer_due,
    sent_already,
)
from incident.comms.notifications import NOT_DELIVERED, delivered_to, failed_keys, unpaged
from incident.comms.stand_ins import stand_in_warning
from incident.core.errors import CommandError
from incident.core.events import Event
from incident.core.payloads import CommunicationSent
from incident.core.phase_clocks import next_update_due
from incident.core.state import IncidentState, StepStatus
from incident.core.text import counted
from incident.reports.postmortem import booking_reminder
from runbooks.model import MomentKind, StepKind
from store.errors import StoreError
from tui.app.plain import PlainToasts
from tui.app.screens.deliveries import Deliveries
from tui.app.screens.desk import Desk
from tui.app.screens.recorder import Outcome
from tui.app.screens.verb_forms import open_form

if TYPE_CHECKING:  # the network (and each modal) is loaded when first needed
    from tui.app.modals.composer import Composed
    from tui.app.modals.due_message import DueChoice
    from tui.app.modals.verb_form import Refusal

DUE_TITLE = "Message due"
"""The title of the one toast that says messages wait (`due_notice`)."""

UPDATE_REMINDER = CONFIRM_LEAD
"""How long before a stakeholder update is due the coordinator is reminded."""


class Comms:
    """The coordinator's messages: the composer, due messages, cadence, delivery."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self.deliveries = Deliveries(desk)
        """Webhook delivery, once the network is up (if the runbook has webhooks)."""
        self._reminded_for: datetime | None = None
        self._postmortem_reminded: tuple[datetime, bool] | None = None
        """The post-mortem reminder said last: (when it came, whether late)."""
        self._waiting: frozenset[tuple[str, object]] = frozenset()
        """What waited at the last look (due messages, failed count, a notifier to re-send
        with): the footer's input."""
        self._sent_in_a_row = 0
        """Messages sent from the due dialogs since `m` opened the first: the place of
        the one a send opens next ("2 of 3 due")."""
        self._opening_next = False
        """A message is being sent from its due dialog, which opens the next one due by
        itself: the due cue says so rather than "press m" (`due_cue`'s `opening`)."""

    # --- without a key -----------------------------------------------------------------

    def background(self, session: IncidentSession) -> list[Event]:
        """Auto-sends, outbox hand-over and a missed update; on the recorder's thread."""
        from incident.app.autosend import record_auto_sends, record_overdue

        recorded = record_auto_sends(session)
        notifier = self.deliveries.notifier
        if notifier is not None:
            recorded += notifier.sync()
        return recorded + record_overdue(session)

    def offer_due(self) -> None:
        """Tell the coordinator, once each, that a message waits for confirmation."""
        state = self.desk.state
        due = awaiting_confirmation(state, self.desk.now())
        waiting: set[tuple[str, object]] = {(m.template, m.due_at) for m in due}
        waiting.add(("failed", len(failed_keys(state))))
        waiting.add(("notifier", self.deliveries.notifier is not None))
        if waiting == self._waiting:
            return  # the usual tick: nothing new, the footer stays as it is
        fresh = [m for m in due if (m.template, m.due_at) not in self._waiting]
        self._waiting = frozenset(waiting)
        app = self.desk.screen.app
        notice = due_notice(due, opening=self._opening_next)
        if fresh:
            self.desk.notify(notice, title=DUE_TITLE, severity="warning", timeout=10)
        elif not due and isinstance(app, PlainToasts):
            app.withdraw(DUE_TITLE)  # sent or declined: nothing waits now
        elif isinstance(app, PlainToasts):
            app.revise(DUE_TITLE, notice)  # one sent: the others still wait
        self.desk.screen.refresh_bindings()

    def due_footnote(self) -> str:
        """The messages waiting, in one short line, for the toast of a verb just done
        (`Desk.footnote`). Under 38 rows only the newest toast shows, and the verb's
        (`Rollback decided: …`) came right after the due one its events raised, and hid
        it: `3 messages due` was never on screen at 80x24. Taller, both show: none."""
        if self.desk.screen.has_class("-tall"):
            return ""
        due = awaiting_confirmation(self.desk.state, self.desk.now())
        if not due:
            return ""
        return due_cue([m.template for m in due], naming=False, opening=self._opening_next)

    def remind(self) -> None:
        """Once, a minute before the next stakeholder update is due (unless it is offered);
        once, from 24 h after resolution while no post-mortem is booked (again once late)."""
        reminder = booking_reminder(self.desk.state, self.desk.now())
        if reminder is not None and (reminder.due_at, reminder.late) != self._postmortem_reminded:
            self._postmortem_reminded = (reminder.due_at, reminder.late)
            self.desk.notify(reminder.text, title="Post-mortem", severity="warning", timeout=15)
        due = next_update_due(self.desk.state)
        if due is None:
            return
        if timedelta(0) < due - self.desk.now() <= UPDATE_REMINDER and due != self._reminded_for:
            self._reminded_for = due
            if not self._update_is_offered():
                self.desk.notify(
                    f"Next stakeholder update due at {due:%H:%M} UTC (c composes it)",
                    title="Update due soon",
                    severity="warning",
                    timeout=10,
                )

    def _update_is_offered(self) -> bool:
        return any(
            rule.on is not None and rule.on.kind is MomentKind.UPDATE_DUE
            for rule in self.desk.state.runbook.timed_rules()
        )

    # --- keys ----------------------------------------------------------------------------

    def can_resend(self) -> bool:
        """`f` works only while a message failed for good and there is a webhook to retry."""
        return bool(failed_keys(self.desk.state)) and self.deliveries.notifier is not None

    def review_due(self, *, by_itself: bool = False) -> None:
        """Review a message waiting for confirmation (the highlighted step's, if it waits;
        else the first): send, decline or wait. `by_itself`: opened by the send of the
        one before, not by `m`."""
        from incident.app import messages  # the use cases load after the first frame

        desk = self.desk
        due = awaiting_confirmation(desk.state, desk.now())
        if not by_itself:
            self._sent_in_a_row = 0
        if not due:
            desk.notify("No message is waiting to be sent.")
            return
        place = (self._sent_in_a_row + 1, self._sent_in_a_row + len(due))
        step_id = desk.view.selected_step
        template = desk.state.steps[step_id].step.template if step_id is not None else None
        message = next((m for m in due if m.template == template), due[0])

        def previewed(outcome: Outcome[str]) -> None:
            self._opening_next = False
            if isinstance(outcome.error, CommandError | StoreError):
                self._say_due()  # nothing opens after all: `m` opens the next
                desk.notify(str(outcome.error), title="Not ready", severity="error")
                return
            self._open_due(message, outcome.unwrap(), place=place, by_itself=by_itself)

        desk.submit_for_dialog(lambda s: messages.preview(s, message.template), previewed)

    def _say_due(self) -> None:
        """The due toast, if still up, in the words for now: after a run of due dialogs
        ends with messages still due, `m` opens the next, not the send."""
        app = self.desk.screen.app
        due = awaiting_confirmation(self.desk.state, self.desk.now())
        if due and isinstance(app, PlainToasts):
            app.revise(DUE_TITLE, due_notice(due, opening=self._opening_next))

    def _open_due(
        self, message: DueMessage, text: str, *, place: tuple[int, int], by_itself: bool
    ) -> None:
        from incident.app import messages

        desk = self.desk
        template = message.template
        targets = ", ".join(t.name for t in desk.state.runbook.targets_for(template))
        actor, db = desk.actor, desk.db

        async def send(edited: str) -> Refusal | None:
            """Sent only while still due, decided on the record as it is then: another
            terminal may have sent or declined it since the dialog opened."""
            job = lambda s: messages.send_due(s, actor, template, text=edited, db=db)  # noqa: E731
            self._opening_next = True  # sent, the next due opens by itself (`chosen`)
            refusal = await desk.attempt(job, after=self._copied)
            if refusal is not None:
                self._opening_next = False
                self._say_due()
            return refusal

        async def may_decline() -> Refusal | None:
            """Declined only while still due, read from the record as it is now (another
            terminal may have sent or declined it since the dialog opened): else refused
            at once, in the words a send from the dialog is refused with."""
            from tui.app.modals.verb_form import Refusal

            outcome = await desk.recorder.call(lambda s: why_not_due(s, template))
            if isinstance(outcome.error, StoreError):
                return Refusal(str(outcome.error))
            why = outcome.unwrap()
            return None if why is None else Refusal(why)

        def chosen(choice: DueChoice | None) -> None:
            if choice is not None and choice[0] == "decline":
                open_form(desk, BY_NAME["decline"], fixed={"template": template})
            elif choice is not None and awaiting_confirmation(desk.state, desk.now()):
                # Sent, and more wait: the next opens, as `m` would (Esc leaves it). The
                # decision makes three due at once, and each was `m` then ctrl+s. It opens
                # on its Send button: the `m` pressed meanwhile typed into its text.
                self._sent_in_a_row += 1
                self.review_due(by_itself=True)
                return
            self._opening_next = False
            self._say_due()

        from tui.app.modals.due_message import DueMessageModal

        desk.screen.app.push_screen(
            DueMessageModal(
                f"Send: {_label(template)}",
                _why(message),
                text,
                targets=targets,
                warning=_warned(desk.state, template, desk.now()),
                send=send,
                may_decline=may_decline,
                place=place,
                opened_by_itself=by_itself,
            ),
            chosen,
        )

    def _copied(self, done: Done) -> None:
        """The message sent, on the clipboard; the highlight past the step it completed."""
        sent = [e.data.text for e in done.events if isinstance(e.data, CommunicationSent)]
        if sent:
            self.desk.screen.app.copy_to_clipboard(sent[0])
        self.desk.advance()  # past the message step it completed, if it did

    def resend_failed(self) -> None:
        """Try again every message whose delivery failed for good."""
        desk, notifier = self.desk, self.deliveries.notifier
        if notifier is None:
            desk.notify("This incident has no webhook targets to send to.")
            return

        def requeued(outcome: Outcome[list[Event]]) -> None:
            if isinstance(outcome.error, CommandError | StoreError):
                desk.notify(str(outcome.error), title="Not re-sent", severity="error")
                return
            desk.notify(f"Re-sending {counted(len(outcome.unwrap()), 'message')}", timeout=3)
            desk.screen.refresh_bindings()

        by = desk.actor
        desk.recorder.submit(lambda s: notifier.requeue(failed_keys(s.state), by=by), requeued)

    def compose(self) -> None:
        """The composer, on the highlighted message step's template if it is still to do."""
        state = self.desk.state
        step_id = self.desk.view.selected_step
        template = None
        if step_id is not None:
            step = state.steps[step_id].step
            if step.kind == StepKind.COMMUNICATION and state.status_of(step_id) in (
                StepStatus.OPEN,
                StepStatus.BLOCKED,
            ):
                template = step.template
        self.open_composer(template)

    def open_composer(self, template: str | None) -> None:
        # The templates' rendering loads with the composer, not the screen: the first
        # frame shows no message (bench/startup.py, #12).
        from incident.reports.message_context import rendered_templates

        state = self.desk.state
        rendered = rendered_templates(state, self.desk.now())
        if not rendered:
            self.desk.notify("This runbook has no message templates.")
            return

        from incident.app import messages

        desk = self.desk
        actor = desk.actor
        from tui.app.screens.kept import HeldIntent

        held = HeldIntent(desk, "send")  # kept on disk while the record refuses it

        async def send(composed: Composed) -> Refusal | None:
            template_id, text, channel, again = composed
            # As written unless it is the template's own text: then the use case renders it.
            as_written = template_id is None or text != rendered[template_id].strip()
            written = text if as_written else None

            def job(s: IncidentSession) -> Done:
                return messages.send(
                    s, actor, template=template_id, text=written, channel=channel, again=again
                )

            # Kept as shown: recorded later, the template would say that moment's times.
            values = {"template": template_id, "text": text, "channel": channel, "again": again}
            return await held.attempt(values, job, after=self._copied)

        from tui.app.modals.composer import ComposerModal

        sent_before = {name: earlier for name in rendered if (earlier := sent_already(state, name))}
        now = self.desk.now()
        unsettled = {name: warned for name in rendered if (warned := _warned(state, name, now))}
        routes = {
            name: _route_words(where)
            for name in [None, *rendered]
            if (where := delivered_to(state, name)) is not None
        }
        routes |= {name: NOT_DELIVERED for name in rendered if unpaged(state, name)}
        desk.screen.app.push_screen(
            ComposerModal(
                [(name, _label(name).capitalize(), text) for name, text in rendered.items()],
                template=template,
                channel=state.channel,
                sent_before=sent_before,
                unsettled=unsettled,
                send=send,
                routes=routes,
            ),
            held.closed,
        )


def _warned(state: IncidentState, template: str, now: datetime) -> str:
    """What the send dialogs say before a message from `template` goes: the resolution
    sent while a trigger is met, a page no target delivers, the stand-ins it fills for
    values the incident lacks ("Channel: the incident channel."); empty when nothing."""
    said = (
        resolution_warning(state, template, now),
        unpaged(state, template),
        stand_in_warning(state, template),
    )
    return " · ".join(text for text in said if text)


def why_not_due(session: IncidentSession, template: str) -> str | None:
    """Why the message from `template` is due no more, once other writers' events are
    read: who sent or declined it, and when (`no_longer_due`, as `send_due` refuses a
    send); None while it is due. On the recorder's thread."""
    session.refresh()
    if any(m.template == template for m in due_messages(session.state, session.clock.now())):
        return None
    return no_longer_due(session.state, template)


def due_notice(due: list[DueMessage], *, opening: bool = False) -> str:
    """One toast for every message waiting, however many fell due at once; `opening`,
    while the next opens by itself."""
    return due_cue([m.template for m in due], opening=opening)


def _route_words(targets: tuple[str, ...]) -> str:
    """Where `delivered_to` says a message goes, short enough for the composer's count
    line."""
    return f"to {', '.join(targets)}" if targets else "recorded only, no webhook takes it"


def _label(template: str) -> str:
    return template.replace("-", " ")


def _why(message: DueMessage) -> str:
    moment = message.rule.on
    when = f"{message.due_at:%H:%M:%S} UTC"
    if moment is None or moment.kind is MomentKind.DECLARED:
        return f"Due since the incident was declared ({when})."
    if moment.kind is MomentKind.UPDATE_DUE:
        return f"The next stakeholder update is due at {when}."
    return f"Due since {moment.kind} {moment.ref} was done ({when})."
