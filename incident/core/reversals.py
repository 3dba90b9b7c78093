"""A mark that reverses someone else's a moment after it: both stand, and it says so.

Two people on one incident can record opposite judgements a second apart: Bo marks
core-broken met on his screen while Cy clears it from the command line; Ada gives
ops to Bo while Cy gives it to Dee. Each write is valid on the state it was decided
on, so both are recorded, and neither person was told (ux_review6 finding 2). The
rule here is the one place that calls such a write a reversal: it undoes the last
mark of the same manual trigger, or the last holder of the same role, recorded by
someone else within `REVERSAL_WINDOW`. Where it is recorded (the command line's
line, the screen's toast), on the other screens, and in the report's
Inconsistencies, it is said in the words of `Reversal.said`.

The incident commander's role is left to the handoff, which says who took command
from whom in its own words.

A trigger marked met, then cleared by someone else after a rollback step was checked
between the two marks, is no reversal: the rollback worked, and the clear says so
(the README's order: met, roll back, cleared). It was listed under the report's
Inconsistencies as one person contradicting another (ux_review10 #3).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from msgspec import Struct

from incident.core.phase_clocks import t_plus
from incident.core.records import RoleChange, TriggerMark
from incident.core.state import IncidentState
from incident.core.timefmt import exact_duration
from incident.core.transitions import COMMANDER
from runbooks.model import StepKind

REVERSAL_WINDOW = timedelta(seconds=60)
"""How soon after someone else's mark an opposite one is a reversal, not a change of
mind the record shows plainly enough (a trigger cleared ten minutes after it was met)."""


class Reversal(Struct, frozen=True):
    """A write that undoes someone else's within `REVERSAL_WINDOW`."""

    subject: str
    """The trigger's id, or the role."""
    now: str
    """What the later write says: `cleared`, `met`, or the role's new holder."""
    by: str
    at: datetime
    before: str
    """What the earlier write said: `met`, `cleared`, or the role's holder it named."""
    before_by: str
    before_at: datetime
    role: bool = False
    """A role given away, else a trigger's mark reversed."""

    @property
    def since(self) -> timedelta:
        return self.at - self.before_at

    @property
    def said(self) -> str:
        """What the reversed write was, beside the one that reverses it: `marked met by
        Bo 1s ago`, `given to Bo by Ada 1s ago`."""
        ago = f"{exact_duration(self.since)} ago"
        if self.role:
            return f"given to {self.before} by {self.before_by} {ago}"
        return f"marked {self.before} by {self.before_by} {ago}"

    def in_report(self, state: IncidentState) -> str:
        """The report's Inconsistencies line, under the later write's time: both
        writes, who and when."""
        after = f"{exact_duration(self.since)} after"
        before_at = t_plus(state, self.before_at)
        if self.role:
            return (
                f"The role {self.subject} was given to {self.now} by {self.by}, {after} "
                f"{self.before_by} gave it to {self.before} (at {before_at}): both stand "
                "in the record."
            )
        return (
            f"Rollback trigger {self.subject} was marked {self.now} by {self.by}, {after} "
            f"{self.before_by} marked it {self.before} (at {before_at}): both stand in "
            "the record."
        )


def _verdict(mark: TriggerMark) -> str:
    return "met" if mark.met else "cleared"


def trigger_reversal(state: IncidentState, trigger: str, seq: int) -> Reversal | None:
    """The reversal the mark of `trigger` recorded by event `seq` is, if it is one."""
    marks = [m for t, m in state.trigger_history if t == trigger and m.source == "manual"]
    index = next((i for i, m in enumerate(marks) if m.seq == seq), None)
    if not index:  # not a manual mark, or the first
        return None
    before, mark = marks[index - 1], marks[index]
    if before.met == mark.met or before.by == mark.by or mark.at - before.at > REVERSAL_WINDOW:
        return None
    if not mark.met and rolled_back_between(state, before.at, mark.at):
        return None  # cleared once rolled back: the rollback working, not a reversal
    return Reversal(
        trigger, _verdict(mark), mark.by, mark.at, _verdict(before), before.by, before.at
    )


def rolled_back_between(state: IncidentState, start: datetime, end: datetime) -> bool:
    """Whether a rollback step (the deployment pattern's, the database's, or any of the
    rollback phase's: the runbook's second) stands checked after `start`, up to `end`.
    The state keeps each step's last check: one checked between, then reopened and
    checked again after `end`, is not seen here."""
    execute = state.runbook.phases[1].id if len(state.runbook.phases) > 1 else None
    rollback = {r.step.id for r in state.phase_steps(execute)} if execute else set()
    return any(
        record.done and record.at is not None and start < record.at <= end
        for record in state.steps.values()
        if record.step.patterns
        or record.step.kind == StepKind.DATABASE
        or record.step.id in rollback
    )


def role_reversal(state: IncidentState, change: RoleChange) -> Reversal | None:
    """The reversal giving a role away by `change` (one of `state.role_history`) is,
    if it is one."""
    if change.role == COMMANDER:
        return None
    same = [c for c in state.role_history if c.role == change.role]
    index = next((i for i, c in enumerate(same) if c is change), None)
    if not index:
        return None
    before = same[index - 1]
    if (
        before.person == change.person
        or before.by == change.by
        or change.at - before.at > REVERSAL_WINDOW
    ):
        return None
    return Reversal(
        change.role,
        change.person,
        change.by,
        change.at,
        before.person,
        before.by,
        before.at,
        role=True,
    )


def role_change_at(state: IncidentState, role: str, at: datetime) -> RoleChange | None:
    """The change of `role` recorded at `at` (an event's time), if any."""
    return next((c for c in reversed(state.role_history) if c.role == role and c.at == at), None)


def reversals(state: IncidentState) -> list[Reversal]:
    """Every reversal the record holds, of triggers and roles, in time order."""
    found = [
        r
        for trigger, mark in state.trigger_history
        if (r := trigger_reversal(state, trigger, mark.seq)) is not None
    ]
    found += [r for change in state.role_history if (r := role_reversal(state, change))]
    return sorted(found, key=lambda r: r.at)
