"""The figures a post-mortem asks for, computed from the record.

Key moments (decision, application rolled back, service verified, close) and the
time to each, the time spent at each severity, and each phase against its target
window; the error rate while it was over its trigger's threshold is in
`incident.reports.metrics`. Pure functions of the state and the events, so the
report, the JSON export and the timeline agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from msgspec import Struct

from incident.core.attribution import approver
from incident.core.events import Event, Kind
from incident.core.gates import decision_gate
from incident.core.payloads import CommunicationSent, ProbeSamples, TriggerChanged
from incident.core.phase_clocks import (
    RESOLVED_TEMPLATE,
    PhaseClock,
    PhaseState,
    at_close,
    done_early,
    phase_clocks,
    t_plus,
)
from incident.core.state import IncidentState, StepRecord, tier_target
from incident.core.timefmt import exact_duration, printed_duration
from incident.core.verification import skipped_in_phase, verification, verification_records
from incident.reports.metrics import MetricFigures as MetricFigures  # its old home
from incident.reports.metrics import metric_figures as metric_figures
from incident.reports.noted_decision import noted_decision
from runbooks.model import StepKind


class Milestone(Struct, frozen=True):
    """A key moment of the incident, and the event that recorded it."""

    key: str
    """impact_start, declared, trigger_met, rollback_decision, app_rolled_back,
    service_verified, resolved or closed: stable names for JSON."""
    label: str
    at: datetime | None
    """None when it has not happened (or was not recorded)."""
    seq: int | None = None
    detail: str = ""


MILESTONE_KEYS = (
    "impact_start",
    "declared",
    "trigger_met",
    "rollback_decision",
    "app_rolled_back",
    "service_verified",
    "resolved",
    "closed",
)


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
    if said == "in progress":
        return f"rolling back {versions}: not done yet"
    if said == "skipped":
        return f"not rolled back: the rollback of {versions} was skipped"
    return f"not rolled back: the rollback of {versions} was not done before the close"


def _was(database: str) -> str:
    """`skipped` -> `was skipped`, `not done yet` -> `is not done yet`."""
    return f"is {database}" if database.startswith("not done yet") else f"was {database}"


def verification_steps(state: IncidentState) -> list[StepRecord]:
    return verification_records(state)


def milestones(state: IncidentState, events: Sequence[Event]) -> list[Milestone]:
    """The key moments in the order they happened: the recorded ones by time (then by
    their place in the record); one not recorded (`at` None) keeps its place in
    `MILESTONE_KEYS` order, where it was due. In that fixed order alone, a trigger met
    after the decision was listed above it, as if it had led to it."""
    declared_seq = events[0].seq if events else None
    decision = _decision(state, events)
    found = [
        Milestone("impact_start", "Impact start (T+0)", state.started_at),
        Milestone("declared", "Incident declared", state.declared_at, declared_seq),
        _trigger_met(state, decision),
        decision,
        _app_rolled_back(state),
        _verified(state),
        _resolved(state),
        Milestone(
            "closed", "Incident closed", state.closed_at, state.closed_seq, state.closed_by or ""
        ),
    ]
    happened = iter(
        sorted(
            (m for m in found if m.at is not None),
            key=lambda m: (m.at, -1 if m.seq is None else m.seq),
        )
    )
    return [m if m.at is None else next(happened) for m in found]


def _trigger_met(state: IncidentState, decision: Milestone) -> Milestone:
    """The first rollback trigger recorded as met: which, how, and what the order alone
    would hide: that it came after the decision, or was cleared again before the
    application was rolled back (one person marked it met, another cleared it)."""
    label = "Rollback trigger met"
    history = state.trigger_history
    first = next((i for i, (_, mark) in enumerate(history) if mark.met), None)
    if first is None:
        return Milestone("trigger_met", label, None)
    trigger, mark = history[first]
    detail = f"{trigger} ({mark.source})"
    if decision.at is not None and mark.at > decision.at:
        detail += f", after the decision at {t_plus(state, decision.at)}"
    cleared = next((m for t, m in history[first + 1 :] if t == trigger), None)
    rolled_back = _app_rolled_back(state).at
    if (
        cleared is not None
        and not cleared.met
        and (rolled_back is None or cleared.at < rolled_back)
    ):
        detail += f"; cleared by {cleared.by} at {t_plus(state, cleared.at)}"
    return Milestone("trigger_met", label, mark.at, mark.seq, detail)


def _decision(state: IncidentState, events: Sequence[Event]) -> Milestone:
    label = "Rollback decision"
    gate = decision_gate(state)
    if gate is None:
        noted = noted_decision(state, events)
        if noted is None:
            return Milestone(
                "rollback_decision", label, None, detail="no approval gate in the runbook"
            )
        return Milestone("rollback_decision", label, *noted)
    approval = state.approvals.get(gate.step.id)
    if approval is not None:
        return Milestone(
            "rollback_decision",
            label,
            approval.at,
            approval.seq,
            f"{gate.step.id} approved by {approver(approval)}",
        )
    if gate.done and gate.at is not None:
        return Milestone(
            "rollback_decision",
            label,
            gate.at,
            gate.seq,
            f"{gate.step.id} checked by {gate.by}",
        )
    return Milestone("rollback_decision", label, None, detail=f"{gate.step.id} not decided")


def _app_rolled_back(state: IncidentState) -> Milestone:
    label = "Application rolled back"
    record = app_rollback_step(state)
    if record is None:
        return Milestone("app_rolled_back", label, None, detail="no application rollback step")
    if record.done and record.at is not None:
        return Milestone(
            "app_rolled_back",
            label,
            record.at,
            record.seq,
            f"{record.step.id} checked by {record.by}",
        )
    status = "skipped" if record.skipped else "not done"
    return Milestone("app_rolled_back", label, None, detail=f"{record.step.id} {status}")


def _verified(state: IncidentState) -> Milestone:
    """The moment the last verification step was checked, once every one is: a skipped
    one verified nothing (`incident.core.verification`). It was the moment Check health
    was checked, with Confirm version and Smoke test skipped (ux_review7 F2)."""
    label = "Service verified"
    account = verification(state)
    if not account.records:
        return Milestone("service_verified", label, None, detail="no verification steps")
    last = account.last
    if last is None:
        why = account.unverified()
        if not any(r.done for r in account.records) and not account.open:
            why = f"all skipped: {', '.join(account.skipped)}"
        elif account.skipped:
            why = f"not verified: {why}"
        else:
            why = f"still open: {', '.join(account.open)}"
        return Milestone("service_verified", label, None, detail=why)
    return Milestone(
        "service_verified",
        label,
        last.at,
        last.seq,
        f"{last.step.id} checked by {last.by}",
    )


def _resolved(state: IncidentState) -> Milestone:
    """The one resolution time (`resolved_at`): the resolution message, else the close
    (whose own moment is the one starred then). The report starred the message as
    "Resolved" and the timeline did not: both star what this list holds."""
    label = "Resolved"
    message = next((m for m in state.communications if m.template == RESOLVED_TEMPLATE), None)
    if message is not None:
        detail = f"{RESOLVED_TEMPLATE} message sent by {message.by}"
        return Milestone("resolved", label, message.at, message.seq, detail)
    if state.closed_at is not None:
        return Milestone(
            "resolved",
            label,
            state.closed_at,
            detail="by the close: no resolution message was sent",
        )
    return Milestone("resolved", label, None, detail="no resolution message sent")


class SeverityPeriod(Struct, frozen=True):
    severity: str
    start: datetime
    end: datetime
    ongoing: bool
    """Still running at `end` (the report's moment), the incident being open."""

    @property
    def duration(self) -> timedelta:
        return max(self.end - self.start, timedelta(0))


def severity_periods(state: IncidentState, now: datetime) -> list[SeverityPeriod]:
    """Each stretch at one severity, from declaration to close (or `now`)."""
    end_of_all = state.closed_at or now
    history = state.severity_history
    periods = []
    for position, (start, severity) in enumerate(history):
        last = position == len(history) - 1
        end = end_of_all if last else history[position + 1][0]
        periods.append(SeverityPeriod(severity, start, end, last and not state.is_closed))
    return periods


def severity_totals(periods: Sequence[SeverityPeriod]) -> dict[str, timedelta]:
    """Total time at each severity, in order of first appearance."""
    totals: dict[str, timedelta] = {}
    for period in periods:
        totals[period.severity] = totals.get(period.severity, timedelta(0)) + period.duration
    return totals


class PhaseResult(Struct, frozen=True):
    """A phase as it ran, against its target window."""

    clock: PhaseClock
    on_time: bool | None
    """True finished by its window's end; False overdue; None not judged: not over
    yet, or skipped whole (being quick at skipping is not being on time)."""
    result: str


SKIPPED_RESULT = "skipped, no step checked"
"""A phase skipped whole, in the report's and the timeline's words."""


def skipped_steps(state: IncidentState, clock: PhaseClock) -> list[StepRecord]:
    """The steps of `clock`'s phase that were skipped, in runbook order (their reasons
    say why a phase skipped whole was)."""
    return [r for r in state.phase_steps(clock.phase.id) if r.skipped]


def _overdue(clock: PhaseClock, by: timedelta) -> str:
    """How late, from the due time as printed to the finish (or the report's moment)
    as printed: a finish at T+22:00 against a T+5 target is 17m00s late."""
    due = clock.due_at
    return exact_duration(by) if due is None else printed_duration(due, due + by)


def phase_results(state: IncidentState, now: datetime) -> list[PhaseResult]:
    results = []
    for clock in phase_clocks(state, now):
        if clock.state == PhaseState.SKIPPED:
            results.append(PhaseResult(clock, None, SKIPPED_RESULT))
        elif clock.state == PhaseState.DONE:
            # done, but a skipped verification step verified nothing (ux_review7 F2)
            skipped = skipped_in_phase(state, clock.phase.id)
            unverified = f"; not verified: {', '.join(skipped)} skipped" if skipped else ""
            if clock.overdue_by:  # "overdue" reads as still late: kept for an open phase
                late = f"done {_overdue(clock, clock.overdue_by)} late"
                results.append(PhaseResult(clock, False, late + unverified))
            else:
                results.append(PhaseResult(clock, True, "on time" + unverified))
        elif clock.state == PhaseState.OVERDUE and clock.overdue_by is not None:
            text = f"not finished, overdue by {_overdue(clock, clock.overdue_by)}"
            results.append(PhaseResult(clock, False, text))
        elif (came_to := at_close(state, clock)) is not None:
            results.append(PhaseResult(clock, None, f"{came_to} at close"))
        elif (early := done_early(clock)) is not None:  # upcoming, work done in it
            results.append(PhaseResult(clock, None, f"upcoming, {early}"))
        else:
            results.append(PhaseResult(clock, None, str(clock.state).replace("_", " ")))
    return results


_RECORDED_BY_ITSELF = frozenset(
    {
        Kind.PROBE_SAMPLES,
        Kind.UPDATE_OVERDUE,
        Kind.NOTIFICATION_QUEUED,
        Kind.NOTIFICATION_DELIVERED,
        Kind.NOTIFICATION_FAILED,
    }
)
"""Kinds lastgood records without a key: probe ticks, missed updates, deliveries."""


def by_people(event: Event) -> bool:
    """Whether a person recorded this: not a probe tick, a probe-decided trigger, a
    missed update, a delivery outcome or a message sent by itself."""
    if event.kind in _RECORDED_BY_ITSELF or isinstance(event.data, ProbeSamples):
        return False
    if isinstance(event.data, CommunicationSent) and event.data.auto:
        return False
    return not (isinstance(event.data, TriggerChanged) and event.data.source == "probe")


def authors(events: Sequence[Event]) -> list[str]:
    """Everyone who recorded something by hand, in order of first appearance."""
    names: list[str] = []
    for event in events:
        if by_people(event) and event.actor not in names:
            names.append(event.actor)
    return names


def sample_count(events: Sequence[Event]) -> tuple[int, int]:
    """(samples, polls): how many probe readings, in how many probe.samples events."""
    samples = polls = 0
    for event in events:
        if isinstance(event.data, ProbeSamples):
            polls += 1
            samples += len(event.data.samples)
    return samples, polls
