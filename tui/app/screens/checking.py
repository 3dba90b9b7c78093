"""The checklist verbs that have forms of their own: check, run, approve, decide, tiers.

Checking the highlighted step asks for whatever it still needs, the way the runbook
reads: a message step opens the composer, a blocked gate its approval, the database
step the tiers, a command step confirms and runs its command, and a verification
step whose samples contradict it asks for an override reason. What is recorded is
decided by the application layer (`incident.app.steps`), as for the command line.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from textual import work

from incident.app import steps
from incident.app.outcome import Done
from incident.app.verbs import BY_NAME
from incident.core.errors import CommandError
from incident.core.state import StepStatus, tier_target
from incident.health.readings import evidence_for
from incident.health.triggers import read_triggers
from runbooks.model import StepKind, TriggerKind
from tui.app.modals import (
    ApprovalModal,
    ConfirmCommand,
    DatabaseTierModal,
    DecisionModal,
    TextPrompt,
    TierView,
    TriggerView,
)
from tui.app.screens.comms import CommsScreen


class ChecklistScreen(CommsScreen):
    """The coordinator's screen with its step verbs; `IncidentScreen` binds the keys."""

    def _advance(self, done: Done) -> None:
        self.advance()

    def check_step(self, *, form: bool = False) -> None:
        """Check the highlighted step, first asking for whatever it still needs.

        `form` (from the palette): a plain step opens the check form, for a note or
        evidence, instead of being checked at once.
        """
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
            self.open_composer(step.template)
        elif step.kind == StepKind.DATABASE and self.state.tier_choice is None:
            self.open_tiers()
        elif status == StepStatus.BLOCKED:
            self.approve_highlighted()
        elif step.kind == StepKind.COMMAND and step.command:
            self.confirm_and_run(step_id)
        elif form:
            self.open_form(BY_NAME["check"], fixed={"step": step_id}, after=self._advance)
        elif step.kind == StepKind.VERIFICATION and step.probe:
            found = evidence_for(self.state, step)
            if found.holds is False:
                self._ask_override(step_id, found.detail)
            else:
                self.run_verb("check", {"step": step_id}, after=self._advance)
        else:
            self.run_verb("check", {"step": step_id}, after=self._advance)

    def _ask_override(self, step_id: str, detail: str) -> None:
        def override(reason: str | None) -> None:
            if reason:
                values: dict[str, object] = {"step": step_id, "override": reason}
                self.run_verb("check", values, after=self._advance)

        self.app.push_screen(
            TextPrompt("Evidence does not hold", f"{detail}. Reason to check it anyway?"),
            override,
        )

    # --- command steps ---------------------------------------------------------------

    def run_highlighted(self) -> None:
        """The `run` verb: the highlighted command step, once confirmed."""
        if self.selected_step is not None:
            self.confirm_and_run(self.selected_step)

    def confirm_and_run(self, step_id: str) -> None:
        try:
            command = steps.command_to_run(self.session, step_id)
        except CommandError as error:
            self.notify(str(error), title="Not run", severity="error")
            return

        def confirmed(run: bool | None) -> None:
            if run:
                self.run_command_step(step_id, command)

        self.app.push_screen(
            ConfirmCommand(self.state.steps[step_id].step.title, command), confirmed
        )

    @work(exclusive=True, group="command")
    async def run_command_step(self, step_id: str, command: str) -> None:
        """Run a confirmed command without freezing the screen; record its exit code."""
        self.notify(f"Running: {command}", timeout=3)
        process = await asyncio.create_subprocess_shell(
            command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
        )
        output, _ = await process.communicate()
        code = process.returncode if process.returncode is not None else -1

        def outcome(done: Done) -> None:
            if code == 0:
                self.advance()
                return
            self.notify(
                f"{done.said}\n{steps.output_tail(output)[-300:]}",
                title="Command failed",
                severity="error",
                timeout=15,
            )

        self.record(
            lambda: steps.record_command_result(
                self.session, self.actor, step_id, command=command, exit_code=code, output=output
            ),
            BY_NAME["run"],
            after=outcome,
            quiet=code != 0,
        )

    # --- approvals, the decision, the database -------------------------------------------

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

    def approve_highlighted(self) -> None:
        target = self._approval_target()
        if target is None:
            self.notify("Nothing to approve on this step.")
            return
        target_id, what, role = target

        def approve(result: tuple[str, str] | None) -> None:
            if result:
                by, reason = result
                self.run_verb("approve", {"target": target_id, "by": by, "reason": reason})

        default = self.state.roles.get(role, "")
        self.app.push_screen(ApprovalModal(what, role, approver=default), approve)

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

    def open_decision(self) -> None:
        """The phase 1 decision gate: triggers, then an explicit 'initiate rollback'."""

        def toggle(trigger_id: str) -> Sequence[TriggerView]:
            trigger = next(t for t in self.state.runbook.triggers if t.id == trigger_id)
            if trigger.kind == TriggerKind.MANUAL:
                mark = self.state.triggers.get(trigger_id)
                verdict = "cleared" if mark is not None and mark.met else "met"
                self.run_verb("trigger", {"trigger": trigger_id, "verdict": verdict}, quiet=True)
            return self._trigger_views()

        def decide(reason: str | None) -> None:
            if reason:
                self.record(
                    lambda: steps.decide(self.session, self.actor, reason=reason),
                    BY_NAME["decide"],
                    after=self._advance,
                )

        self.app.push_screen(
            DecisionModal(
                self._trigger_views(), toggle_manual=toggle, commander=self.state.commander
            ),
            decide,
        )

    def open_tiers(self) -> None:
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
        chosen = self.state.tier_choice.tier if self.state.tier_choice else None

        def choose(result: tuple[str, str] | None) -> None:
            if result:
                tier_id, reason = result
                self.run_verb("db-tier", {"tier": tier_id, "reason": reason})

        self.app.push_screen(DatabaseTierModal(views, chosen=chosen), choose)
