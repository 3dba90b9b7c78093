"""The step that reverts the application, and what became of it, as the record bears
it out: read by the reports (`incident.reports.rollback_state`) and by the messages
(`{status}`, `{rollback_sentence}`), which may not import the reports.
"""

from __future__ import annotations

from incident.core.state import CommandRun, IncidentState, StepRecord
from runbooks.model import StepKind


def app_rollback_step(state: IncidentState) -> StepRecord | None:
    """The step that reverts the application for this deployment pattern.

    The runbook's pattern-specific step (switch the load balancer, re-deploy); for a
    runbook without one, the first required action of the second phase.
    """
    for record in state.steps.values():
        if record.step.patterns:
            return record
    if len(state.runbook.phases) < 2:
        return None
    execute = state.runbook.phases[1].id
    for record in state.phase_steps(execute):
        if record.step.required and record.step.kind in (StepKind.CHECK, StepKind.COMMAND):
            return record
    return None


def app_rollback_state(state: IncidentState) -> str:
    """What the record bears out of the application rollback: "done", "in progress",
    "skipped" or "not done" (closed without it). A report said "rolled back 3.0 to
    2.9" of an incident whose rollback step was skipped, or never started."""
    record = app_rollback_step(state)
    if record is None or record.done:  # no such step: the runbook's own account
        return "done"
    if record.skipped:
        return "skipped"
    return "not done" if state.is_closed else "in progress"


def app_rollback_ran(state: IncidentState) -> CommandRun | None:
    """The last run of the application rollback step's command that exited 0, while
    the step is neither checked nor skipped: a rollback carried out that no one has
    confirmed. The resolution said "No rollback was performed." of such an incident,
    and the report "not rolled back"; None when there is none, or the step is settled."""
    record = app_rollback_step(state)
    if record is None or record.done or record.skipped:
        return None
    ran = [run for run in state.commands_run if run.step == record.step.id and run.exit_code == 0]
    return ran[-1] if ran else None
