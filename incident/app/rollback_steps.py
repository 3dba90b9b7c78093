"""The application rollback ticked by hand: what was done is its evidence (ux_review15 #6).

Guide, Phase 2: "Execute Application Rollback: Revert the application code", and the
principle "Follow the Plan: Execute the pre-planned rollback procedure". A `command`
step (`init`'s rollback command) checked without its command run, or the bundled
runbook's `check` step for the pattern ("Switch the load balancer back"), was ticked
bare and became the report's "★ Application rolled back", while a bare Smoke test is
refused. Now a command step whose command has not run (exit 0, in the record) needs
what was run elsewhere (`--evidence`, "pipeline #4411") or a reason to check it
anyway (`--override`), and an application rollback `check` step asks what was done.
A run of its command checks the step with the run as its evidence, as before.
"""

from __future__ import annotations

from incident.core.errors import CommandError
from incident.core.rollback_step import app_rollback_step
from incident.core.state import IncidentState
from runbooks.model import Step, StepKind


def is_app_rollback(state: IncidentState, step: Step) -> bool:
    """Whether `step` is the guide's Execute Application Rollback: a step for a
    deployment pattern ("Switch the load balancer back"), or the one the report reads
    as the application rolled back (`app_rollback_step`)."""
    if step.patterns:
        return True
    found = app_rollback_step(state)
    return found is not None and found.step.id == step.id


def ran_ok(state: IncidentState, step_id: str) -> bool:
    """Whether the record holds a run of the step's command that exited 0."""
    return any(run.step == step_id and run.exit_code == 0 for run in state.commands_run)


def needs_what_was_done(state: IncidentState, step_id: str) -> str | None:
    """Why a bare tick of `step_id` is refused, or None when a tick will do (any
    step but these; a command step whose command ran)."""
    record = state.steps.get(step_id)
    if record is None:
        return None
    step = record.step
    if step.kind is StepKind.COMMAND and step.command and not ran_ok(state, step_id):
        return (
            f"a tick is not evidence: the command of '{step_id}' has not run "
            f"(lastgood run runs it); checking it needs what was run elsewhere "
            "(e.g. pipeline #4411) or a reason to check it anyway"
        )
    if step.kind is StepKind.CHECK and is_app_rollback(state, step):
        return (
            f"a tick is not evidence: checking '{step_id}' needs what was done to roll "
            "the application back (e.g. load balancer switched to blue at 09:14) or a "
            "reason to check it anyway"
        )
    return None


def hand_check_evidence(state: IncidentState, step_id: str, evidence: str, override: str) -> str:
    """`evidence`, once a check by hand of an application rollback (or any command
    step whose command has not run) has it or an override reason; else refused."""
    if evidence.strip() or override.strip():
        return evidence
    why = needs_what_was_done(state, step_id)
    if why is not None:
        raise CommandError(why, needs_one_of=("evidence", "override"))
    return evidence
