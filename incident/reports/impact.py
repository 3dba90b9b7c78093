"""The figures a post-mortem asks for of the incident's course, computed from the record.

The time spent at each severity, and each phase against its target window. The key
moments and the time to each are `incident.reports.milestones`; what became of the
rollback, `incident.reports.rollback_state`; who recorded what, by hand or by itself,
`incident.reports.authorship`; the error rate while it was over its trigger's
threshold, `incident.reports.metrics`. Pure functions of the state and the events, so
the report, the JSON export and the timeline agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from msgspec import Struct
from msgspec.structs import replace

from incident.core.phase_clocks import (
    DUE_WORDS,
    PhaseClock,
    PhaseState,
    at_close,
    done_early,
    entered_at,
    phase_clocks,
)
from incident.core.state import IncidentState, StepRecord
from incident.core.timefmt import exact_duration, printed_duration
from incident.core.verification import skipped_in_phase, verification_records


def verification_steps(state: IncidentState) -> list[StepRecord]:
    return verification_records(state)


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
    """A phase as it ran, against its target window.

    It has two starts, and every document names both as such (ux_review16 #2: the
    report started a phase at its first action and the timeline when the one before
    finished, each as "started" or "ran", 7 minutes apart): `entered`, when it became
    the phase to work in, and `first_action`, when work in it was first recorded. The
    guide's phases overlap (Verification's window opens at T+15, mid-rollback), so
    neither is the other: the time between them is the phase waiting for someone."""

    clock: PhaseClock
    on_time: bool | None
    """True finished by its window's end; False overdue; None not judged: not over
    yet, skipped whole (being quick at skipping is not being on time), or done with no
    window to finish by (the close-out phase: "done", never "on time")."""
    result: str
    entered: datetime | None = None
    """When it became the phase to work in: the first at the declaration, each other
    when the phase before it finished or at its first action, the earlier
    (`entered_at`); None while neither has happened."""

    @property
    def first_action(self) -> datetime | None:
        """When work on it was first recorded: its first step checked, skipped or begun."""
        return self.clock.started_at


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
    """Each phase's result, with when it was entered: what every document reads."""
    clocks = phase_clocks(state, now)
    results = [
        replace(result, entered=entered_at(state, clocks, index))
        for index, result in enumerate(_results(state, clocks))
    ]
    return results


def _results(state: IncidentState, clocks: list[PhaseClock]) -> list[PhaseResult]:
    results = []
    for clock in clocks:
        if clock.state == PhaseState.SKIPPED:
            results.append(PhaseResult(clock, None, SKIPPED_RESULT))
        elif clock.state == PhaseState.DONE:
            # done, but a skipped verification step verified nothing (ux_review7 F2)
            skipped = skipped_in_phase(state, clock.phase.id)
            unverified = f"; not verified: {', '.join(skipped)} skipped" if skipped else ""
            if clock.overdue_by:  # "overdue" reads as still late: kept for an open phase
                late = f"done {_overdue(clock, clock.overdue_by)} late"
                results.append(PhaseResult(clock, False, late + unverified))
            elif clock.due_at is None:  # no window to be on time for (ux_review10 #4)
                results.append(PhaseResult(clock, None, "done" + unverified))
            else:
                results.append(PhaseResult(clock, True, "on time" + unverified))
        elif clock.state == PhaseState.OVERDUE and clock.overdue_by is not None:
            text = f"not finished, overdue by {_overdue(clock, clock.overdue_by)}"
            results.append(PhaseResult(clock, False, text))
        elif (came_to := at_close(state, clock)) is not None:
            results.append(PhaseResult(clock, None, f"{came_to} at close"))
        elif (early := done_early(clock)) is not None:  # upcoming, work done in it
            results.append(PhaseResult(clock, None, f"upcoming, {early}"))
        elif clock.state is PhaseState.DUE:  # its window open, an earlier phase worked
            results.append(PhaseResult(clock, None, DUE_WORDS))
        else:
            results.append(PhaseResult(clock, None, str(clock.state).replace("_", " ")))
    return results
