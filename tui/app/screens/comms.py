"""The coordinator screen's communication: composing, due messages, cadence, delivery.

Kept apart from the checklist actions because it changes for its own reasons (the
runbook's `notify` rules, the update cadence, webhook delivery). Everything here is
recorded through the same `IncidentSession` as a keypress, so what the screen shows
about a message is what the log holds.

Three things run without a key being pressed, once a second and after every
recorded action: due `mode: auto` messages are sent, recorded messages are handed to
the outbox (whichever process recorded them), and a missed update is recorded.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from incident.app import messages
from incident.app.autosend import record_auto_sends, record_overdue
from incident.app.outcome import SYSTEM_ACTOR, Done
from incident.app.verbs import BY_NAME
from incident.comms.due import CONFIRM_LEAD, DueMessage, awaiting_confirmation
from incident.comms.notifications import failed_keys
from incident.comms.templates import render_template, template_context
from incident.core.errors import CommandError
from incident.core.events import Event, Kind
from incident.core.payloads import CommunicationSent
from incident.core.phase_clocks import next_update_due
from incident.core.state import StepStatus
from incident.reports.describe import describe
from runbooks.model import MomentKind, StepKind
from store.errors import StoreError
from tui.app.modals import ComposerModal
from tui.app.modals.due_message import DueChoice, DueMessageModal
from tui.app.screens.recording import RecordingScreen
from tui.app.widgets.timeline import Timeline
from tui.net.notifier import Notifier

UPDATE_REMINDER = CONFIRM_LEAD
"""How long before a stakeholder update is due the coordinator is reminded."""


class CommsScreen(RecordingScreen):
    """The coordinator's messages: the composer, due messages, cadence, delivery."""

    _reminded_for: datetime | None = None
    _waiting: frozenset[tuple[str, object]] = frozenset()
    """What waited at the last tick (due messages, failed count): the footer's input."""
    notifier: Notifier | None = None
    """Delivers messages to the runbook's webhooks, when it has any."""

    # --- set-up ------------------------------------------------------------------

    def start_background(self) -> None:
        super().start_background()
        self.notifier = self.start_notifier()
        if self.notifier is not None:
            self.run_worker(self.notifier.run(), group="deliveries", exclusive=True)

    def on_unmount(self) -> None:
        if self.notifier is not None:
            self.notifier.stop.set()

    def start_notifier(self) -> Notifier | None:
        """Deliver to the runbook's webhooks, when it has any and the app can send."""
        client = getattr(self.app, "http", None)
        outbox = getattr(self.app, "outbox", None)
        if client is None or outbox is None or not self.state.runbook.notify_targets:
            return None
        return Notifier(
            self.session,
            outbox,
            client,
            actor=SYSTEM_ACTOR,
            on_recorded=self.show_recorded,
            max_attempts=getattr(self.app, "delivery_attempts", None),
        )

    def show_recorded(self, events: list[Event]) -> None:
        """Events recorded off the keyboard (deliveries): into the timeline and the bar."""
        if events:
            self.query_one(Timeline).append(self.state, events)
            self.redraw_clocks()
        for event in events:
            if event.kind == Kind.NOTIFICATION_FAILED:
                self.notify(
                    describe(event) + " (f re-sends)",
                    title="Message not delivered",
                    severity="error",
                    timeout=10,
                )

    # --- without a key -----------------------------------------------------------

    def record_background(self) -> list[Event]:
        """Auto-sends, outbox hand-over and the update cadence; returns what was recorded."""
        recorded = self._send_automatic()
        if self.notifier is not None:
            recorded += self.notifier.sync()
        recorded += self.check_update_cadence()
        self._offer_due()
        return recorded

    def _send_automatic(self) -> list[Event]:
        recorded = record_auto_sends(self.session)
        for event in recorded:
            if event.kind == Kind.COMMUNICATION_SENT:
                self.notify(describe(event), title="Sent automatically", timeout=6)
        return recorded

    def _offer_due(self) -> None:
        """Tell the coordinator, once each, that a message waits for confirmation."""
        due = awaiting_confirmation(self.state, self.now())
        waiting: set[tuple[str, object]] = {(m.template, m.due_at) for m in due}
        waiting.add(("failed", len(failed_keys(self.state))))
        if waiting == self._waiting:
            return  # the usual tick: nothing new, the footer stays as it is
        fresh = [m for m in due if (m.template, m.due_at) not in self._waiting]
        self._waiting = frozenset(waiting)
        for message in fresh:
            self.notify(
                f"The {_label(message.template)} message is ready: m reviews and sends it",
                title="Message due",
                severity="warning",
                timeout=10,
            )
        self.refresh_bindings()

    def check_update_cadence(self) -> list[Event]:
        """Remind once when the next stakeholder update is a minute away; record a miss."""
        due = next_update_due(self.state)
        if due is None:
            return []
        if timedelta(0) < due - self.now() <= UPDATE_REMINDER and due != self._reminded_for:
            self._reminded_for = due
            if not self._update_is_offered():
                self.notify(
                    f"Next stakeholder update due at {due:%H:%M} UTC (c composes it)",
                    title="Update due soon",
                    severity="warning",
                    timeout=10,
                )
        recorded = record_overdue(self.session)
        if recorded:
            self.notify(
                describe(recorded[-1]) + " (c composes it)",
                title="Stakeholder update overdue",
                severity="error",
                timeout=15,
            )
        return recorded

    def _update_is_offered(self) -> bool:
        return any(
            rule.on is not None and rule.on.kind is MomentKind.UPDATE_DUE
            for rule in self.state.runbook.timed_rules()
        )

    # --- keys ----------------------------------------------------------------------

    def can_resend(self) -> bool:
        """`f` works only while a message failed for good and there is a webhook to retry."""
        return bool(failed_keys(self.state)) and self.notifier is not None

    def action_due_message(self) -> None:
        """Review the first message waiting for confirmation: send, decline or wait."""
        due = awaiting_confirmation(self.state, self.now())
        if not due:
            self.notify("No message is waiting to be sent.")
            return
        message = due[0]
        try:
            text = messages.preview(self.session, message.template)
        except CommandError as error:
            self.notify(str(error), title="Not ready", severity="error")
            return
        targets = ", ".join(t.name for t in self.state.runbook.targets_for(message.template))

        def chosen(choice: DueChoice | None) -> None:
            if choice is None:
                return
            if choice[0] == "send":
                self.send_message(message.template, choice[1])
                return
            self.open_form(BY_NAME["decline"], fixed={"template": message.template})

        self.app.push_screen(
            DueMessageModal(
                f"Send: {_label(message.template)}",
                _why(message),
                text,
                targets=targets,
            ),
            chosen,
        )

    def send_message(self, template: str | None, text: str | None) -> bool:
        """Record a message as sent (completing its step, settling what made it due)."""

        def copied(done: Done) -> None:
            sent = [e.data.text for e in done.events if isinstance(e.data, CommunicationSent)]
            if sent:
                self.app.copy_to_clipboard(sent[0])
            self.advance()  # past the message step it completed, if it did

        return self.record(
            lambda: messages.send(self.session, self.actor, template=template, text=text),
            BY_NAME["send"],
            after=copied,
        )

    def action_resend_failed(self) -> None:
        """Try again every message whose delivery failed for good."""
        if self.notifier is None:
            self.notify("This incident has no webhook targets to send to.")
            return
        try:
            recorded = self.notifier.requeue(failed_keys(self.state))
        except (StoreError, CommandError) as error:
            self.notify(str(error), title="Not re-sent", severity="error")
            return
        self.show_recorded(recorded)
        self.notify(f"Re-sending {len(recorded)} message(s)", timeout=3)
        self.refresh_bindings()

    def action_compose(self) -> None:
        """The composer, on the highlighted message step's template if it is still to do."""
        step_id = self.selected_step
        template = None
        if step_id is not None:
            step = self.state.steps[step_id].step
            if step.kind == StepKind.COMMUNICATION and self.state.status_of(step_id) in (
                StepStatus.OPEN,
                StepStatus.BLOCKED,
            ):
                template = step.template
        self.open_composer(template)

    def open_composer(self, template: str | None) -> None:
        context = template_context(self.state, self.now())
        rendered = {
            name: render_template(text, context) for name, text in self.state.runbook.templates
        }
        if not rendered:
            self.notify("This runbook has no message templates.")
            return

        def send(result: tuple[str | None, str] | None) -> None:
            if not result:
                return
            template_id, text = result
            # As written unless it is the template's own text: then the use case renders it.
            as_written = template_id is None or text != rendered[template_id].strip()
            self.send_message(template_id, text if as_written else None)

        self.app.push_screen(
            ComposerModal(
                [(name, _label(name).capitalize(), text) for name, text in rendered.items()],
                template=template,
                channel=self.state.channel,
            ),
            send,
        )


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
