"""The coordinator's main screen: clocks, checklist, guidance, timeline.

A thin adapter: every key turns into a domain command run through the
`IncidentSession`, which records it durably before the screen redraws from the
new state. A refused command shows its message and changes nothing.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Sequence
from datetime import datetime

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Label, OptionList

from incident import commands
from incident.app.health import record_samples
from incident.app.session import Session
from incident.commands import OUTPUT_TAIL_CHARS, CommandError
from incident.core.events import Event, NewEvent
from incident.core.payloads import TriggerChanged
from incident.core.phase_clocks import PhaseState, current_phase, phase_clocks
from incident.core.samples import Sample
from incident.core.state import IncidentState, StepStatus, tier_target
from incident.health.readings import evidence_for
from incident.health.triggers import read_triggers
from incident.reports.describe import describe
from runbooks.model import StepKind, TriggerKind
from store.errors import StoreError
from tui.app.modals import (
    ApprovalModal,
    ConfirmCommand,
    DatabaseTierModal,
    DecisionModal,
    RoleModal,
    TextPrompt,
    TierView,
    TriggerView,
)
from tui.app.plain import plain
from tui.app.screens.comms import CommsActions
from tui.app.widgets.checklist import Checklist
from tui.app.widgets.guidance import Guidance
from tui.app.widgets.health import HealthPanels
from tui.app.widgets.incident_bar import IncidentBar
from tui.app.widgets.phase_strip import PhaseStrip, window_label
from tui.app.widgets.timeline import Timeline
from tui.net.client import HttpClient
from tui.net.notifier import Notifier
from tui.net.poller import ProbePoller

Command = Callable[[IncidentState], NewEvent]


class IncidentScreen(CommsActions, Screen[None]):
    """Where the coordinator lives for the length of the rollback."""

    BINDINGS = [
        Binding("space,x", "check", "Check", key_display="space"),
        Binding("s", "skip", "Skip"),
        Binding("a", "approve", "Approve"),
        Binding("n", "note", "Note"),
        Binding("c", "compose", "Comms"),
        Binding("d", "decide", "Decide"),
        Binding("m", "due_message", "Send due"),
        Binding("f", "resend_failed", "Re-send failed", show=False),
        Binding("b", "database", "DB"),
        Binding("r", "assign_role", "Roles", show=False),
        Binding("p", "page", "Page", show=False),
        Binding("h", "hand_off", "Hand off", show=False),
        Binding("u", "reopen", "Reopen", show=False),
        Binding("left,[", "phase(-1)", "Prev phase", show=False),
        Binding("right,]", "phase(1)", "Next phase", show=False),
        Binding("X", "close_incident", "Close incident", show=False),
    ]

    def __init__(self, session: Session, events: list[Event], actor: str) -> None:
        super().__init__()
        self.session = session
        self.actor = actor
        self._initial_events = events
        self.phase_id = self._current_phase_id() or session.state.runbook.phases[0].id
        """The phase whose checklist is on show; follows progress unless moved by hand."""
        self._phase_pinned = False
        self._reminded_for: datetime | None = None
        self._waiting: set[tuple[str, object]] = set()
        """What waited at the last tick (due messages, failed count): the footer's input."""
        self.notifier: Notifier | None = None
        """Delivers messages to the runbook's webhooks, when it has any."""

    # --- layout ----------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield IncidentBar(id="bar")
        yield PhaseStrip(len(self.session.state.runbook.phases))
        with Horizontal(id="body"):
            with Vertical(id="left"):
                yield Label(id="phase-title")
                yield Checklist(id="checklist")
            with Vertical(id="right"):
                if self.session.state.runbook.probes:
                    yield HealthPanels(self.session.state.runbook.probes, id="health")
                yield Guidance(id="guidance")
                yield Timeline(id="timeline")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one(Timeline).append(self.state, self._initial_events)
        self.redraw()
        self.redraw_health()
        self.query_one(Checklist).focus()
        self.set_interval(1.0, self.tick)
        client = getattr(self.app, "http", None)
        if client is not None and self.state.runbook.probes and not self.state.is_closed:
            self.poll_probes(client)
        self.notifier = self.start_notifier()
        if self.notifier is not None:
            self.run_worker(self.notifier.run(), group="deliveries", exclusive=True)
        self.call_after_refresh(self.catch_up)

    def on_unmount(self) -> None:
        if self.notifier is not None:
            self.notifier.stop.set()

    @work(exclusive=True, group="probes")
    async def poll_probes(self, client: HttpClient) -> None:
        """Poll production for as long as the screen lives; never blocks a key."""
        poller = ProbePoller(
            self.state.runbook.probes, client=client, clock=self.session.clock, env=os.environ
        )
        while not self.state.is_closed:
            batch = await poller.poll_due()
            if batch:
                self.record_samples(batch)
            await asyncio.sleep(max(poller.seconds_until_next(), 0.05))

    def record_samples(self, batch: list[Sample]) -> None:
        """One tick of samples (and any trigger they flip), in one transaction."""
        try:
            events = record_samples(self.session, batch).events
        except (CommandError, StoreError) as error:
            self.notify(str(error), title="Samples not recorded", severity="error")
            return
        self.query_one(Timeline).append(self.state, events)
        for event in events:
            if isinstance(event.data, TriggerChanged):
                met = event.data.met
                self.notify(
                    describe(event),
                    title="Rollback trigger met" if met else "Trigger cleared",
                    severity="warning" if met else "information",
                    timeout=8,
                )
        if len(events) > 1:
            self.redraw()
        self.redraw_health()

    def redraw_health(self) -> None:
        for panels in self.query(HealthPanels):
            panels.show(self.state)

    @property
    def state(self) -> IncidentState:
        return self.session.state

    def now(self) -> datetime:
        return self.session.clock.now()

    def tick(self) -> None:
        """Once a second: pick up other writers' events and move the clocks."""
        try:
            fresh = self.session.refresh()
            fresh += self.record_background()
        except (StoreError, CommandError) as error:
            self.notify(str(error), severity="error", timeout=10)
            fresh = []
        if fresh:
            self.query_one(Timeline).append(self.state, fresh)
            self.redraw()
            self.redraw_health()
        else:
            self.redraw_clocks()

    def _current_phase_id(self) -> str | None:
        clock = current_phase(self.session.state, self.session.clock.now())
        return clock.phase.id if clock else None

    def redraw_clocks(self) -> None:
        """The once-a-second path: the phase clocks are computed once for all of it."""
        now = self.now()
        clocks = phase_clocks(self.state, now)
        current = next((c.phase.id for c in clocks if c.state != PhaseState.DONE), None)
        self.query_one(IncidentBar).show(self.state, now)
        self.query_one(PhaseStrip).show(self.state, now, clocks, current)

    def redraw(self) -> None:
        if not self._phase_pinned:
            self.phase_id = self._current_phase_id() or self.phase_id
        self.redraw_clocks()
        phases = self.state.runbook.phases
        index = next(i for i, p in enumerate(phases) if p.id == self.phase_id)
        phase = phases[index]
        self.query_one("#phase-title", Label).update(
            plain(f"Phase {index + 1}/{len(phases)} · {phase.title} · {window_label(phase)}")
        )
        checklist = self.query_one(Checklist)
        checklist.show(self.state, self.phase_id)
        self.query_one(Guidance).show(self.state, checklist.highlighted_step, self.now())

    @on(OptionList.OptionHighlighted, "#checklist")
    def _step_highlighted(self) -> None:
        self.query_one(Guidance).show(
            self.state, self.query_one(Checklist).highlighted_step, self.now()
        )

    # --- recording -------------------------------------------------------------

    def record(self, command: Command, done: str | None = None) -> bool:
        """Run a domain command; the screen changes only once the log has it."""
        recorded = bool(self.record_many(lambda state: [command(state)]))
        if recorded and done:
            self.notify(done, timeout=3)
        return recorded

    def record_many(self, command: Callable[[IncidentState], Sequence[NewEvent]]) -> list[Event]:
        """`record` for a command that decides several events at once."""
        try:
            events = self.session.run_many(command)
        except CommandError as error:
            self.notify(str(error), title="Not recorded", severity="error")
            return []
        except StoreError as error:
            self.notify(str(error), title="Not recorded", severity="error", timeout=10)
            return []
        self.query_one(Timeline).append(self.state, events)
        self.catch_up()
        return events

    def catch_up(self) -> None:
        """What follows a recorded action without a key (an auto-send), then redraw."""
        try:
            recorded = self.record_background()
        except (CommandError, StoreError) as error:
            self.notify(str(error), severity="error", timeout=10)
            recorded = []
        if recorded:
            self.query_one(Timeline).append(self.state, recorded)
        self.redraw()

    @property
    def selected_step(self) -> str | None:
        return self.query_one(Checklist).highlighted_step

    # --- actions ---------------------------------------------------------------

    def action_check(self) -> None:
        """Check the highlighted step, first asking for whatever it still needs."""
        step_id = self.selected_step
        if step_id is None:
            return
        record = self.state.steps[step_id]
        status = self.state.status_of(step_id)
        if status in (StepStatus.DONE, StepStatus.SKIPPED):
            self.notify(f"'{record.step.title}' is already {status}; u reopens it")
            return
        step = record.step
        if step.kind == StepKind.COMMUNICATION and step.template:
            self._open_composer(step.template, check_step=step_id)
            return
        if step.kind == StepKind.DATABASE and self.state.tier_choice is None:
            self.action_database()
            return
        if status == StepStatus.BLOCKED:
            self.action_approve()
            return
        if step.kind == StepKind.COMMAND and step.command:
            self._confirm_and_run(step_id, step.title, step.command)
            return
        if step.kind == StepKind.VERIFICATION and step.probe:
            found = evidence_for(self.state, step)
            if found.holds is False:
                self._check_against_evidence(step_id, found.detail)
                return
        self._check(step_id)

    def _check_against_evidence(self, step_id: str, detail: str) -> None:
        clock, actor = self.session.clock, self.actor

        def override(reason: str | None) -> None:
            if reason and self.record(
                lambda s: commands.check_step(
                    s, step_id, actor=actor, clock=clock, override=reason
                ),
                "Checked against the evidence (override recorded)",
            ):
                self._advance()

        self.app.push_screen(
            TextPrompt(
                "Evidence does not hold",
                f"{detail}. Reason to check it anyway?",
            ),
            override,
        )

    def _confirm_and_run(self, step_id: str, title: str, command: str) -> None:
        def confirmed(run: bool | None) -> None:
            if run:
                self.run_command_step(step_id, command)

        self.app.push_screen(ConfirmCommand(title, command), confirmed)

    @work(exclusive=True, group="command")
    async def run_command_step(self, step_id: str, command: str) -> None:
        """Run a confirmed command without freezing the screen; record its exit code."""
        self.notify(f"Running: {command}", timeout=3)
        process = await asyncio.create_subprocess_shell(
            command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
        )
        output, _ = await process.communicate()
        code = process.returncode if process.returncode is not None else -1
        tail = output.decode("utf-8", errors="replace")[-OUTPUT_TAIL_CHARS:]
        clock, actor = self.session.clock, self.actor
        recorded = self.record(
            lambda s: commands.record_command(
                s,
                step_id,
                command=command,
                exit_code=code,
                output_tail=tail,
                actor=actor,
                clock=clock,
            )
        )
        if not recorded:
            return
        if code == 0:
            self._check(step_id, note=f"`{command}` exited 0")
        else:
            self.notify(
                f"`{command}` exited {code}; the step stays open.\n{tail[-300:]}",
                title="Command failed",
                severity="error",
                timeout=15,
            )

    def _check(self, step_id: str, note: str = "") -> None:
        clock, actor = self.session.clock, self.actor
        if self.record(
            lambda s: commands.check_step(s, step_id, actor=actor, clock=clock, note=note),
            f"Checked: {self.state.steps[step_id].step.title}",
        ):
            self._advance()

    def _advance(self) -> None:
        checklist = self.query_one(Checklist)
        checklist.highlight_next_open(self.state)
        self.query_one(Guidance).show(self.state, checklist.highlighted_step, self.now())

    def action_skip(self) -> None:
        step_id = self.selected_step
        if step_id is None:
            return
        title = self.state.steps[step_id].step.title
        clock, actor = self.session.clock, self.actor

        def skip(reason: str | None) -> None:
            if reason and self.record(
                lambda s: commands.skip_step(s, step_id, reason=reason, actor=actor, clock=clock),
                f"Skipped: {title}",
            ):
                self._advance()

        self.app.push_screen(TextPrompt("Skip step", f"Why skip '{title}'?"), skip)

    def action_reopen(self) -> None:
        step_id = self.selected_step
        if step_id is None:
            return
        title = self.state.steps[step_id].step.title
        clock, actor = self.session.clock, self.actor

        def reopen(reason: str | None) -> None:
            if reason:
                self.record(
                    lambda s: commands.reopen_step(
                        s, step_id, reason=reason, actor=actor, clock=clock
                    ),
                    f"Reopened: {title}",
                )

        self.app.push_screen(TextPrompt("Reopen step", f"Why reopen '{title}'?"), reopen)

    def _approval_target(self) -> tuple[str, str, str] | None:
        """(target, what, role) the approve key acts on for the highlighted step."""
        step_id = self.selected_step
        if step_id is None:
            return None
        step = self.state.steps[step_id].step
        if step.approver and step_id not in self.state.approvals:
            return step_id, step.title, step.approver
        choice = self.state.tier_choice
        if step.kind == StepKind.DATABASE and choice is not None:
            tier = self.state.runbook.database_tier(choice.tier)
            if tier and tier.approver and tier_target(tier.id) not in self.state.approvals:
                return tier.id, f"database tier: {tier.title}", tier.approver
        return None

    def action_approve(self) -> None:
        target = self._approval_target()
        if target is None:
            self.notify("Nothing to approve on this step.")
            return
        target_id, what, role = target
        clock, actor = self.session.clock, self.actor
        default = self.state.roles.get(role, "")

        def approve(result: tuple[str, str] | None) -> None:
            if result:
                by, reason = result
                self.record(
                    lambda s: commands.approve(
                        s, target_id, by=by, reason=reason, actor=actor, clock=clock
                    ),
                    f"Approved by {by}: {what}",
                )

        self.app.push_screen(ApprovalModal(what, role, approver=default), approve)

    def action_note(self) -> None:
        clock, actor = self.session.clock, self.actor

        def note(text: str | None) -> None:
            if text:
                self.record(
                    lambda s: commands.add_note(s, text, actor=actor, clock=clock), "Note recorded"
                )

        self.app.push_screen(TextPrompt("Note", "What should the record say?"), note)

    def action_page(self) -> None:
        clock, actor = self.session.clock, self.actor

        def page(target: str | None) -> None:
            if target:
                self.record(
                    lambda s: commands.record_page(s, target, actor=actor, clock=clock),
                    f"Paged {target}",
                )

        self.app.push_screen(
            TextPrompt("Page", "Who was paged?", placeholder="deployment team on-call"), page
        )

    def action_hand_off(self) -> None:
        clock, actor = self.session.clock, self.actor

        def hand_off(person: str | None) -> None:
            if person:
                self.record(
                    lambda s: commands.hand_off(s, person, actor=actor, clock=clock),
                    f"{person} is now incident commander",
                )

        self.app.push_screen(
            TextPrompt("Hand off", f"Incident commander now: {self.state.commander}. Hand to?"),
            hand_off,
        )

    def action_assign_role(self) -> None:
        clock, actor = self.session.clock, self.actor

        def assign(result: tuple[str, str] | None) -> None:
            if result:
                role, person = result
                self.record(
                    lambda s: commands.assign_role(s, role, person, actor=actor, clock=clock),
                    f"{person} is {role}",
                )

        self.app.push_screen(RoleModal(self.state.runbook.roles, self.state.roles), assign)

    def action_database(self) -> None:
        runbook = self.state.runbook
        if not runbook.database_tiers:
            self.notify("This runbook has no database tiers.")
            return
        views = [
            TierView(
                id=tier.id,
                title=tier.title,
                risk=tier.risk,
                data_loss=str(tier.data_loss),
                guidance=tier.guidance,
                approver=tier.approver,
                approved_by=(
                    self.state.approvals[tier_target(tier.id)].by
                    if tier_target(tier.id) in self.state.approvals
                    else None
                ),
            )
            for tier in runbook.database_tiers
        ]
        clock, actor = self.session.clock, self.actor
        chosen = self.state.tier_choice.tier if self.state.tier_choice else None

        def choose(result: tuple[str, str] | None) -> None:
            if result:
                tier_id, reason = result
                self.record(
                    lambda s: commands.choose_database_tier(
                        s, tier_id, reason=reason, actor=actor, clock=clock
                    ),
                    f"Database tier: {tier_id}",
                )

        self.app.push_screen(DatabaseTierModal(views, chosen=chosen), choose)

    def _trigger_views(self) -> list[TriggerView]:
        return [
            TriggerView(
                id=r.trigger.id,
                title=r.trigger.title,
                kind=str(r.trigger.kind),
                state=str(r.state),
                detail=r.detail,
            )
            for r in read_triggers(self.state)
        ]

    def _decision_step(self) -> str | None:
        """The first phase's approval gate: the recorded decision to roll back."""
        first = self.state.runbook.phases[0]
        for record in self.state.phase_steps(first.id):
            if record.step.kind == StepKind.APPROVAL:
                return record.step.id
        return None

    def action_decide(self) -> None:
        """The phase 1 decision gate: triggers, then an explicit 'initiate rollback'."""
        gate = self._decision_step()
        clock, actor = self.session.clock, self.actor

        def toggle(trigger_id: str) -> list[TriggerView]:
            trigger = next(t for t in self.state.runbook.triggers if t.id == trigger_id)
            if trigger.kind == TriggerKind.MANUAL:
                mark = self.state.triggers.get(trigger_id)
                met = not (mark.met if mark else False)
                self.record(
                    lambda s: commands.mark_trigger(s, trigger_id, met, actor=actor, clock=clock)
                )
            return self._trigger_views()

        def decide(reason: str | None) -> None:
            if not reason:
                return
            if gate is None:
                self.record(
                    lambda s: commands.add_note(
                        s, f"Decision: initiate rollback. {reason}", actor=actor, clock=clock
                    )
                )
                return
            commander = self.state.commander or actor
            if gate not in self.state.approvals and not self.record(
                lambda s: commands.approve(
                    s, gate, by=commander, reason=reason, actor=actor, clock=clock
                )
            ):
                return
            if self.state.status_of(gate) == StepStatus.OPEN:
                self._check(gate, note="initiate rollback")

        self.app.push_screen(
            DecisionModal(
                self._trigger_views(), toggle_manual=toggle, commander=self.state.commander
            ),
            decide,
        )

    def action_phase(self, delta: int) -> None:
        phases = [p.id for p in self.state.runbook.phases]
        index = (phases.index(self.phase_id) + delta) % len(phases)
        self.phase_id = phases[index]
        self._phase_pinned = self.phase_id != self._current_phase_id()
        self.redraw()

    def action_close_incident(self) -> None:
        clock, actor = self.session.clock, self.actor
        open_steps = self.state.open_required_steps()
        if not open_steps:
            self.record(lambda s: commands.close(s, actor=actor, clock=clock), "Incident closed")
            return

        def force(reason: str | None) -> None:
            if reason:
                self.record(
                    lambda s: commands.close(
                        s, actor=actor, clock=clock, force=True, reason=reason
                    ),
                    "Incident closed (forced)",
                )

        self.app.push_screen(
            TextPrompt(
                "Close with steps open",
                f"{len(open_steps)} required step(s) still open. Reason to close anyway?",
            ),
            force,
        )
