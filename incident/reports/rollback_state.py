"""What became of the rollback, as the record bears it out: the application's
rollback step (done, in progress, skipped or not done) and the database step's.

A report said "rolled back 3.0 to 2.9" of an incident whose rollback step was
skipped, or never started: the report's Rollback row, its summary's sentence and the
key moment "Application rolled back" all read the step from here.
"""

from __future__ import annotations

from incident.core.rollback_step import app_rollback_ran, app_rollback_state
from incident.core.state import IncidentState, tier_target
from runbooks.model import StepKind


def database_step_state(state: IncidentState) -> str:
    """What became of the database step when it is not done, "" when it is (or the
    runbook has none): "skipped", "not done yet" or "not done before the close", with
    what held it: no tier chosen, or a tier its approver never approved (the
    Inconsistencies' "closed with required steps open" is this step among them)."""
    record = next((r for r in state.steps.values() if r.step.kind == StepKind.DATABASE), None)
    if record is None or record.done:
        return ""
    if record.skipped:
        return "skipped"
    said = "not done before the close" if state.is_closed else "not done yet"
    choice = state.tier_choice
    tier = state.runbook.database_tier(choice.tier) if choice is not None else None
    if choice is None:
        said += " (no tier chosen)"
    elif tier is not None and tier.approver and tier_target(tier.id) not in state.approvals:
        said += f" (tier '{choice.tier}' not approved by {tier.approver})"
    return said


def rollback_state(state: IncidentState) -> str:
    """The report's "Rollback" row: the application rollback's state, "done" when it
    and the database step are done; else each part's: `application done, database step
    not done before the close (tier 'restore-backup' not approved by leadership)`."""
    app = app_rollback_state(state)
    database = database_step_state(state)
    if app != "done" or not database:
        return app
    return f"application done, database step {database}"


def rollback_sentence(state: IncidentState, pattern: str = "") -> str:
    """The rollback in words, lower case: `rolled back 3.0 to 2.9 (rolling)`, or what
    became of it; the application's alone when the database step is not done."""
    versions = (
        f"{state.from_version or 'the new release'} to "
        f"{state.last_good_version or 'the last good version'}{pattern}"
    )
    said = app_rollback_state(state)
    if said == "done" and (database := database_step_state(state)):
        return (
            f"the application was rolled back from {versions}; the database step {_was(database)}"
        )
    if said == "done":
        return f"rolled back {versions}"
    if app_rollback_ran(state) is not None:  # carried out, never confirmed
        when = "yet" if said == "in progress" else "before the close"
        return f"the rollback command of {versions} ran (exit 0); its step was not checked {when}"
    if said == "in progress":
        return f"rolling back {versions}: not done yet"
    if said == "skipped":
        return f"not rolled back: the rollback of {versions} was skipped"
    return f"not rolled back: the rollback of {versions} was not done before the close"


def _was(database: str) -> str:
    """`skipped` -> `was skipped`, `not done yet` -> `is not done yet`."""
    return f"is {database}" if database.startswith("not done yet") else f"was {database}"
