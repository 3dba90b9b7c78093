"""The checklist verbs that have forms of their own: check, run, approve, decide, tiers.

Checking the highlighted step asks for whatever it still needs, the way the runbook
reads: a message step opens the composer (unless its message is already recorded),
the channel step the channel's form (unless a channel is named already),
a blocked gate its approval, the database step the tiers, a command step confirms and
runs its command (as does the database step whose chosen tier carries one), a
verification step whose samples contradict it asks for an override reason, and one
whose probe shows nothing yet, or that no probe backs (the smoke test), asks what was
seen, as its evidence.
What is recorded is decided by the application layer (`incident.app.steps`,
`incident.app.command_runs`), as for
the command line. The decision's and the tiers' dialogs are `gate_dialogs`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from incident.app.outcome import Done
from incident.app.verbs import BY_NAME, run
from incident.core.errors import CommandError
from incident.core.gates import decision_gate, undecided_warning
from incident.core.phase_clocks import t_plus
from incident.core.state import StepStatus, tier_target
from incident.health.readings import evidence_for
from runbooks.model import StepKind
from store.errors import StoreError
from tui.app.plain import UNTIL_REPLACED_S
from tui.app.screens import gate_dialogs
from tui.app.screens.check_questions import ask_done, ask_evidence, ask_override, ask_seen
from tui.app.screens.comms import Comms
from tui.app.screens.desk import Desk
from tui.app.screens.recorder import Outcome
from tui.app.screens.report_files import export_report
from tui.app.screens.verb_forms import open_form

if TYPE_CHECKING:
    from incident.app.unrecorded_run import UnrecordedRun
    from tui.app.modals.verb_form import Refusal


MAX_BACKOFF = 16
"""The most ticks (seconds) between tries at recording a run the record refused."""


class StepVerbs:
    """Check, run, approve, decide and choose a tier, on the highlighted step."""

    def __init__(self, desk: Desk, comms: Comms) -> None:
        self.desk = desk
        self.comms = comms
        self.unrecorded: dict[str, UnrecordedRun] = {}
        """Commands run here whose result the record refused, by step, until recorded
        (`incident.app.unrecorded_run`); also on disk if the desk keeps them there."""
        self.ran_by: dict[str, str] = {}
        """Who ran each, if not this screen's actor: a run an earlier screen kept."""
        self._wait = 0
        """Ticks until the next try at recording them."""
        self._backoff = 1
        """Ticks between tries while the record refuses them: doubled up to `MAX_BACKOFF`."""

    def check_step(self, *, form: bool = False) -> None:
        """Check the highlighted step, first asking for whatever it still needs.

        `form` (from the palette): a plain step, a message step and a close-out step
        open the check form, for a note, evidence or an override reason, instead of
        being checked at once or done by doing them.
        """
        desk = self.desk
        state = desk.state
        step_id = desk.view.selected_step
        if step_id is None:
            return
        record = state.steps[step_id]
        status = state.status_of(step_id)
        if status in (StepStatus.DONE, StepStatus.SKIPPED):
            desk.notify(f"'{record.step.title}' is already {status}; u reopens it")
            return
        step = record.step
        if self._is_decision(step_id) and step_id not in state.approvals:
            self.open_decision()
        elif step.kind == StepKind.COMMUNICATION and step.template and not form:
            if self._message_missing(step_id):
                self.comms.open_composer(step.template)
            else:  # sent already (the step reopened since): the message is its evidence
                self._check_quietly(step_id)
        elif step.kind == StepKind.DATABASE and state.tier_choice is None:
            self.open_tiers()
        elif status == StepStatus.BLOCKED:
            self.approve_highlighted()
        elif self._runs_command(step_id):  # a command step, or the tier chosen's command
            ran = self.unrecorded.get(step_id)
            if ran is not None and ran.succeeded:  # ran already: checked by hand, not run
                said = {"evidence": ran.note(state)}  # what ran here, not in the record yet
                fixed = {"step": step_id}
                open_form(desk, BY_NAME["check"], fixed=fixed, after=desk.advance, initial=said)
            else:
                self.confirm_and_run(step_id)
        elif not form and self._artefact_missing(step_id):
            self.make_artefact(step_id)
        elif not form and self._channel_missing(step_id):
            # Done by naming the channel: its form, which checks the step once recorded.
            open_form(desk, BY_NAME["channel"], after=desk.advance)
        elif form:
            open_form(desk, BY_NAME["check"], fixed={"step": step_id}, after=desk.advance)
        elif step.kind == StepKind.VERIFICATION and step.probe:
            found = evidence_for(state, step)
            if found.holds is False:
                ask_override(desk, step_id, found.detail)
            elif found.holds is None:
                ask_evidence(desk, step_id, found.detail)
            else:
                self._check_quietly(step_id)
        elif step.kind == StepKind.VERIFICATION:  # no probe: what was seen is its evidence
            ask_seen(desk, step_id)
        elif self._needs_what_was_done(step_id):  # the application rollback, by hand
            ask_done(desk, step_id)
        else:
            self._check_quietly(step_id)

    def _check_quietly(self, step_id: str) -> None:
        """Check the step with no toast: its `[x]`, the timeline's row and the highlight
        moving on already say it. A toast for each checked step ("Checked
        freeze-deploys", four seconds over the timeline) repeated that, and mounting,
        scrolling and expiring it took about 25 ms of the loop's CPU per check, much
        of it while the next key waited. A refusal still says why."""
        self.desk.run_verb("check", {"step": step_id}, after=self.desk.advance, quiet=True)

    def _runs_command(self, step_id: str) -> bool:
        from incident.app import command_runs

        return command_runs.runs_command(self.desk.state, step_id)

    def _needs_what_was_done(self, step_id: str) -> bool:
        from incident.app import rollback_steps

        return rollback_steps.needs_what_was_done(self.desk.state, step_id) is not None

    def _artefact_missing(self, step_id: str) -> bool:
        from incident.app import closeout  # the commands load after the first frame

        artefact = closeout.artefact_of(self.desk.state, step_id)
        return artefact is not None and not closeout.artefact_evidence(self.desk.state, artefact)

    def _channel_missing(self, step_id: str) -> bool:
        from incident.app import channel_step

        return channel_step.channel_missing(self.desk.state, step_id)

    def _message_missing(self, step_id: str) -> bool:
        from incident.app import message_steps

        return message_steps.message_missing(self.desk.state, step_id)

    def make_artefact(self, step_id: str) -> None:
        """A close-out step is done by doing it: the form that makes its artefact
        (the report, the root cause, the booking), which checks the step once recorded.
        The palette's Check ticks it by hand instead, with an override reason."""
        from incident.app import closeout

        desk = self.desk
        artefact = closeout.artefact_of(desk.state, step_id)
        assert artefact is not None
        name = closeout.VERB[artefact]
        if name == "export":  # checking the step is what was asked: no box to untick
            export_report(desk, after=desk.advance, check_step=True)
        else:
            open_form(desk, BY_NAME[name], after=desk.advance)

    # --- command steps ---------------------------------------------------------------

    def run_highlighted(self) -> None:
        """The `run` verb: the highlighted command step, once confirmed."""
        step_id = self.desk.view.selected_step
        if step_id is not None:
            self.confirm_and_run(step_id)

    def confirm_and_run(self, step_id: str) -> None:
        from incident.app import command_runs

        desk = self.desk

        def confirm(outcome: Outcome[str]) -> None:
            if isinstance(outcome.error, CommandError | StoreError):
                desk.notify(str(outcome.error), title="Not run", severity="error")
                return
            command = outcome.unwrap()

            def confirmed(run: bool | None) -> None:
                if run:
                    desk.screen.run_worker(
                        self.run_command_step(step_id, command), group="command", exclusive=True
                    )

            from tui.app.modals.confirm import ConfirmCommand

            title = command_runs.run_title(desk.state, step_id)
            warning = undecided_warning(desk.state, step_id)
            ran = self.unrecorded.get(step_id)
            again = ran.warning(desk.state) if ran is not None else None
            confirm = ConfirmCommand(title, command, warning=warning, again=again)
            desk.screen.app.push_screen(confirm, confirmed)

        desk.submit_for_dialog(lambda s: command_runs.command_to_run(s, step_id), confirm)

    async def run_command_step(self, step_id: str, command: str) -> None:
        """Run a confirmed command without freezing the screen; record its exit code."""
        from incident.app import command_runs
        from incident.app.command_step import run_shell, verify_command
        from incident.app.unrecorded_run import UnrecordedRun
        from incident.core.clock import SystemClock

        desk = self.desk
        db: str | None = getattr(desk.screen.app, "record_location", None)  # its password
        desk.notify(f"Running: {command}", timeout=3)
        code, output = await run_shell(command)
        check = command_runs.command_check(desk.state, step_id)
        verification = None
        if code == 0 and check is not None:
            desk.notify(f"Verifying: {check.command} until {check.expectation}", timeout=5)
            # Real time: the rollout waited on runs outside, whatever clock the screen keeps.
            verification = await verify_command(check, clock=SystemClock())
        verified = verification is None or verification.passed
        ran = UnrecordedRun(step_id, command, code, output, verification, desk.now())

        def outcome(done: Done) -> None:
            if code == 0 and verified:
                desk.advance()
                return
            desk.notify(
                f"{done.said}\n{command_runs.shown_output(desk.state, output, db=db)[-300:]}",
                title="Command failed",
                severity="error",
                timeout=15,
            )

        actor = desk.actor
        desk.record(
            lambda s: command_runs.record_command_result(
                s,
                actor,
                step_id,
                command=command,
                exit_code=code,
                output=output,
                verification=verification,
                db=db,
            ),
            BY_NAME["run"],
            after=outcome,
            quiet=not (code == 0 and verified),
            unrecorded=lambda why: self._keep(ran, why),
        )

    # --- runs the record refused -------------------------------------------------------

    def _keep(self, ran: UnrecordedRun, why: str) -> str:
        """Keep a run the record refused, shown on its step, until it is recorded; the
        toast that says so."""
        from incident.app.unrecorded_run import ran_not_recorded

        self.unrecorded[ran.step] = ran
        self.ran_by.pop(ran.step, None)
        self._wait = self._backoff = 1
        self.desk.view.mark_unrecorded(self.unrecorded)
        if self.desk.kept is not None:  # on disk without its secrets, as it will be recorded
            from incident.app.unrecorded_run import without_secrets

            db: str | None = getattr(self.desk.screen.app, "record_location", None)
            kept = without_secrets(ran, self.desk.state, db=db)
            self.desk.kept.keep_run(self.desk.actor, kept)
        return ran_not_recorded(ran, self.desk.state, why)

    def found(self, runs: list[tuple[str, UnrecordedRun]]) -> None:
        """Runs an earlier screen kept on disk: shown and recorded as this one's are."""
        for actor, ran in runs:
            if ran.step not in self.unrecorded:
                self.unrecorded[ran.step] = ran
                self.ran_by[ran.step] = actor
        self.desk.view.mark_unrecorded(self.unrecorded)
        self._wait = 0

    def record_soon(self) -> None:
        """The record took a write: try the runs it refused at the next tick."""
        self._wait = 0

    def retry_unrecorded(self) -> None:
        """Once a second: try again to record a run the record refused, one at a time,
        less often while it keeps refusing. Nothing runs again: what ran is recorded
        as it would have been then, saying when it ran."""
        from incident.app.unrecorded_run import record_unrecorded

        desk = self.desk
        if not self.unrecorded or desk.recorder.busy("late"):
            return
        self._wait -= 1
        if self._wait > 0:
            return
        ran = next(iter(self.unrecorded.values()))
        actor = self.ran_by.get(ran.step, desk.actor)
        db: str | None = getattr(desk.screen.app, "record_location", None)
        desk.recorder.submit(
            lambda s: record_unrecorded(s, actor, ran, db=db),
            lambda outcome: self._recorded_late(ran, outcome),
            kind="late",
        )

    def _recorded_late(self, ran: UnrecordedRun, outcome: Outcome[Done]) -> None:
        desk = self.desk
        if isinstance(outcome.error, StoreError):  # still unreachable: try again later
            self._backoff = min(self._backoff * 2, MAX_BACKOFF)
            self._wait = self._backoff
            return
        if self.unrecorded.get(ran.step) is ran:
            del self.unrecorded[ran.step]
            self.ran_by.pop(ran.step, None)
        if desk.kept is not None:
            desk.kept.forget_run(ran)
        desk.view.mark_unrecorded(self.unrecorded)
        self._wait = self._backoff = 1
        if isinstance(outcome.error, CommandError):  # refused for good: by hand, then
            desk.notify(
                f"The command ran at {t_plus(desk.state, ran.ran_at)} (exit {ran.exit_code}) "
                f"and cannot be recorded: {outcome.error}. "
                "Do not run it again: add a note saying it ran (n).",
                title="Not recorded",
                severity="error",
                timeout=UNTIL_REPLACED_S,
            )
            return
        done = outcome.unwrap()
        said = done.said[:1].upper() + done.said[1:]
        desk.notify(f"{said}, without running it again.", title="Recorded late", timeout=10)
        if desk.view.selected_step == ran.step:
            desk.advance()

    # --- approvals, the decision, the database -------------------------------------------

    def _approval_target(self) -> tuple[str, str, str] | None:
        """(target, what, role) the approve key acts on for the highlighted step."""
        state = self.desk.state
        step_id = self.desk.view.selected_step
        if step_id is None:
            return None
        step = state.steps[step_id].step
        if step.approver and step_id not in state.approvals:
            return step_id, step.title, step.approver
        choice = state.tier_choice
        if step.kind == StepKind.DATABASE and choice is not None:
            tier = state.runbook.database_tier(choice.tier)
            if tier and tier.approver and tier_target(tier.id) not in state.approvals:
                return tier.id, f"database tier: {tier.title}", tier.approver
        return None

    def _is_decision(self, step_id: str | None) -> bool:
        """The decision gate's way in from the checklist is the decision screen, which
        shows each trigger's state (`a`, the approve verb, still records a bare approval,
        as `lastgood approve` does)."""
        gate = decision_gate(self.desk.state)
        return gate is not None and gate.step.id == step_id

    def approve_highlighted(self) -> None:
        desk = self.desk
        target = self._approval_target()
        if target is None:
            desk.notify("Nothing to approve on this step.")
            return
        target_id, what, role = target
        actor = desk.actor
        from tui.app.screens.kept import HeldIntent

        held = HeldIntent(desk, "approve")  # kept on disk while the record refuses it

        async def approve(result: tuple[str, str]) -> Refusal | None:
            values: dict[str, object] = {"target": target_id, "by": result[0], "reason": result[1]}
            return await held.attempt(
                values, lambda s: run(BY_NAME["approve"], s, actor, values, db=desk.db)
            )

        from tui.app.modals.approval import ApprovalModal

        # Whoever holds the role, else whoever records: `lastgood approve` without
        # --by records the actor too ("their own confirmation"); here it is shown. A
        # gate's or a tier's approval is its role holder's only (incident.core.gates):
        # a vacant role is said first.
        holder = desk.state.roles.get(role, "")
        note = "" if holder else f"no one holds it: assign it first, key {BY_NAME['assign'].key}"
        modal = ApprovalModal(what, role, approver=holder or actor, role_note=note, approve=approve)
        desk.screen.app.push_screen(modal, held.closed)

    def open_decision(self) -> None:
        """The phase 1 decision gate (`gate_dialogs.open_decision`)."""
        gate_dialogs.open_decision(self.desk)

    def open_tiers(self) -> None:
        """The database tiers (`gate_dialogs.open_tiers`)."""
        gate_dialogs.open_tiers(self.desk)
