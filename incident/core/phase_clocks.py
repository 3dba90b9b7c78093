"""The clocks a coordinator watches: T+, each phase's window, the next update.

T+ counts from T+0 (the impact start, or the declaration); the phase windows from the
declaration, placed on the same T+ clock (`incident.core.phase_windows`).

Everything here is a pure function of an `IncidentState` and a moment, so the TUI,
`status`, the report and replay all read the same numbers.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from msgspec import Struct
from msgspec.structs import replace

from incident.core.phase_windows import PlacedWindow, placed_window
from incident.core.records import StepRecord
from incident.core.state import IncidentState
from incident.core.timefmt import exact_duration, printed_span
from incident.core.update_cadence import PAGING_TEMPLATE as PAGING_TEMPLATE
from incident.core.update_cadence import RESOLVED_TEMPLATE as RESOLVED_TEMPLATE
from incident.core.update_cadence import cadence_messages as cadence_messages
from incident.core.update_cadence import next_update_due as next_update_due
from incident.core.update_cadence import repeats as repeats
from incident.core.update_cadence import resolved_at as resolved_at
from incident.core.update_cadence import to_stakeholders as to_stakeholders
from runbooks.model import Phase


class PhaseState(StrEnum):
    UPCOMING = "upcoming"
    DUE = "due"
    """Its window open, nothing of it started, an earlier phase still worked (`DUE_WORDS`):
    "Execute Rollback ▶ ACTIVE 24m42s left" read as the rollback under way while `brief`
    named phase 1 and nothing of it had started (ux_review13 #6)."""
    ACTIVE = "active"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    DONE = "done"
    SKIPPED = "skipped"
    """Over, but none of its work done: every step that decides its end was skipped
    and none checked. A Verification phase skipped whole is not "done, on time": the
    guide says the service MUST be verified, and no face may say it was."""

    @property
    def finished(self) -> bool:
        """Nothing left to do in it: done, or skipped whole. The coordinator moves on."""
        return self in (PhaseState.DONE, PhaseState.SKIPPED)


DUE_WORDS = "window open, not started"
"""What `PhaseState.DUE` means, where there is room to say it (`status`, the report)."""

DUE_SOON_MIN = timedelta(minutes=1)
DUE_SOON_MAX = timedelta(minutes=5)


def due_soon_margin(window_length: timedelta) -> timedelta:
    """How early "due soon" starts: a fifth of the window, between 1 and 5 minutes."""
    return min(max(window_length / 5, DUE_SOON_MIN), DUE_SOON_MAX)


class PhaseClock(Struct, frozen=True):
    """One phase's window against the clock."""

    phase: Phase
    state: PhaseState
    opens_at: datetime | None
    due_at: datetime | None
    """The window's end; None for an open-ended phase or one without a window."""
    started_at: datetime | None
    """When work on it was first recorded."""
    finished_at: datetime | None
    remaining: timedelta | None
    """Time left before `due_at`, while it is in the future."""
    overdue_by: timedelta | None
    """How late it is (or finished) past `due_at`."""
    checked: int = 0
    """How many of its steps are done (checked)."""
    steps: int = 0
    """How many steps it has."""
    window: PlacedWindow | None = None
    """Its window placed from the declaration (`placed_window`), which `opens_at` and
    `due_at` are; None for a phase without one."""


def elapsed(state: IncidentState, now: datetime) -> timedelta:
    """T+: time since T+0 (the impact start, or the declaration), frozen at close."""
    end = state.closed_at or now
    return max(end - state.t0, timedelta(0))


def t_plus(state: IncidentState, moment: datetime) -> str:
    """`moment` as T+ (`T+04:16`): every face names a recorded moment this way, so one
    event reads the same T+ in the checklist, the brief, the timeline and the report."""
    return format_offset(moment - state.t0)


def format_offset(delta: timedelta) -> str:
    """`T+MM:SS`, or `T+H:MM:SS` past an hour; negative offsets as `T-`. Whole seconds
    rounded down, before T+0 as after it: half a second before reads `T-00:01`, the
    printed second before T+0's."""
    seconds = delta // timedelta(seconds=1)
    sign = "+" if seconds >= 0 else "-"
    seconds = abs(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"T{sign}{hours}:{minutes:02d}:{secs:02d}"
    return f"T{sign}{minutes:02d}:{secs:02d}"


def format_duration(delta: timedelta) -> str:
    """`4m05s`, `1h02m`, `12s`: short enough for a clock panel."""
    seconds = int(abs(delta.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m"
    if minutes:
        return f"{minutes}m{secs:02d}s"
    return f"{secs}s"


def format_countdown(delta: timedelta) -> str:
    """`format_duration` of the time left until a moment, in whole seconds rounded up:
    beside T+ (elapsed, rounded down) the two add up to the moment. At T+00:00.4 a
    window closing at T+5 has 4m59.6s left, which read `4m59s left` beside `T+00:00`."""
    return format_duration(timedelta(seconds=_seconds_up(delta)))


def format_late(delta: timedelta) -> str:
    """How late something was, to the second as the other faces print it (`status`, the
    phase strip, the report): the rest of a second dropped, so `done at T+05:08` of a
    window ending at T+5 reads `8s over` beside it, not `9s`; from an hour on with its
    seconds (`1h25m36s`), as the report says it. Under a second the exact figure
    (`0.4s`), which the printed times cannot tell: late all the same, and `0s over`
    would read as on time. `delta` is a span between printed moments (T+ marks, or
    `printed_span`)."""
    if delta <= timedelta(0):
        return "0s"
    return exact_duration(max(delta, timedelta(milliseconds=1)))


def countdown_to(moment: datetime, now: datetime) -> str:
    """`4m51s`: the time left until `moment`, between the seconds each is printed at.
    Beside T+ the two add up to `moment`'s T+ even when `moment` has a fraction of a
    second, as an update due 5 minutes after a message at 09:07:03.4 has."""
    return format_countdown(printed_span(now, moment))


def late_by(moment: datetime, now: datetime) -> str:
    """`1m02s`: how long ago `moment` passed, between the seconds each is printed at."""
    return format_duration(printed_span(moment, now))


def update_when(due: datetime, now: datetime) -> str:
    """`in 4m51s` or `OVERDUE by 1m02s`: the next stakeholder update against `now`."""
    return f"in {countdown_to(due, now)}" if due >= now else f"OVERDUE by {late_by(due, now)}"


def _seconds_up(delta: timedelta) -> int:
    """`delta` in whole seconds, rounded up."""
    return -(-delta // timedelta(seconds=1))


def deciding_steps(state: IncidentState, phase_id: str) -> list[StepRecord]:
    """The steps whose end is the phase's end: its required ones, all of them when none
    is required. The phase clock and a `phase:` message moment read the same ones."""
    records = state.phase_steps(phase_id)
    return [r for r in records if r.step.required] or records


def phase_clock(state: IncidentState, phase: Phase, now: datetime) -> PhaseClock:
    """`phase` against the clock. Its steps decide its end: the required ones (all of
    them when none is required). Each done or skipped, it is over: DONE when at least
    one of them was checked, SKIPPED when every one was skipped. Read alone: beside
    the other phases (`phase_clocks`) one worked in early may read upcoming."""
    records = state.phase_steps(phase.id)
    resolved = [r for r in records if r.done or r.skipped]
    deciding = deciding_steps(state, phase.id)
    is_done = all(r.done or r.skipped for r in deciding)
    skipped_whole = bool(deciding) and not any(r.done for r in deciding)
    touched = [r.first_touched_at for r in records if r.first_touched_at is not None]
    started_at = min(touched) if touched else None
    finished_at = None
    if is_done:
        times = [r.at for r in resolved if r.at is not None]
        finished_at = max(times) if times else None

    placed = placed_window(state, phase)  # from the declaration, not a back-dated T+0
    opens_at = placed.opens_at if placed is not None else None
    due_at = placed.due_at if placed is not None else None

    moment = state.closed_at or now
    remaining = overdue_by = None
    if is_done:
        phase_state = PhaseState.SKIPPED if skipped_whole else PhaseState.DONE
        if due_at is not None and finished_at is not None and finished_at > due_at:
            overdue_by = finished_at - due_at
    elif opens_at is not None and moment < opens_at and started_at is None:
        phase_state = PhaseState.UPCOMING
        remaining = due_at - moment if due_at is not None else None
    elif due_at is None and started_at is None:
        # No deadline, nothing recorded in it: its turn starts it, not the clock
        # (`phase_clocks` makes the phase worked in active). The guide's Phase 4 has
        # no window: "Once the service is stable, close out the incident."
        phase_state = PhaseState.UPCOMING
    elif due_at is None:
        phase_state = PhaseState.ACTIVE
    elif moment > due_at:
        phase_state = PhaseState.OVERDUE
        overdue_by = moment - due_at
    else:
        remaining = due_at - moment
        window_length = due_at - opens_at if opens_at is not None else timedelta(0)
        soon = remaining <= due_soon_margin(window_length)
        phase_state = PhaseState.DUE_SOON if soon else PhaseState.ACTIVE
    checked = sum(r.done for r in records)
    return PhaseClock(
        phase,
        phase_state,
        opens_at,
        due_at,
        started_at,
        finished_at,
        remaining,
        overdue_by,
        checked,
        len(records),
        window=placed,
    )


def done_early(clock: PhaseClock) -> str | None:
    """`1 of 4 done early`: the work recorded in a phase whose turn has not come (its
    window not open, another phase being worked), which reads upcoming all the same;
    None for any other phase."""
    if clock.state is not PhaseState.UPCOMING or clock.started_at is None:
        return None
    return early_work(clock)


def early_work(clock: PhaseClock) -> str:
    """`1 of 4 done early`, or `begun early` when none of its steps is checked yet (a
    gate approved, a step skipped): a phase worked in before its window opened."""
    if not clock.checked:
        return "begun early"
    return f"{clock.checked} of {clock.steps} done early"


def phase_clocks(state: IncidentState, now: datetime) -> list[PhaseClock]:
    """Every phase's clock. The phase being worked in (the first not finished) is
    active even before its window opens: the coordinator is in it, and "upcoming"
    there would tell them they are early for work they are doing. A later phase whose
    window has not opened stays upcoming, work done in it early or not (`done_early`
    says what): one phase reads as the one being worked. Once its window opens it runs
    on its clock, beside an earlier phase not finished: the guide's windows overlap.
    Nothing of it started, it is due, not active (its time left counted): active is the
    phase worked, the one `brief` names; once work is recorded in it both are active.
    Due soon and overdue warn of its window closing, started or not."""
    clocks = [phase_clock(state, phase, now) for phase in state.runbook.phases]
    worked = next((i for i, clock in enumerate(clocks) if not clock.state.finished), None)
    if worked is None:
        return clocks
    if clocks[worked].state is PhaseState.UPCOMING and not state.is_closed:
        clocks[worked] = replace(clocks[worked], state=PhaseState.ACTIVE)
    moment = state.closed_at or now
    for index, clock in enumerate(clocks[worked + 1 :], start=worked + 1):
        early = clock.opens_at is None or moment < clock.opens_at  # no window: its turn
        if early and clock.state in (PhaseState.ACTIVE, PhaseState.DUE_SOON):
            clocks[index] = replace(clock, state=PhaseState.UPCOMING)
        elif clock.state is PhaseState.ACTIVE and clock.started_at is None:
            clocks[index] = replace(clock, state=PhaseState.DUE)
    return clocks


class AtClose(StrEnum):
    """What a phase not done had come to when its incident closed."""

    NOT_STARTED = "not started"
    NOT_FINISHED = "not finished"


def at_close(state: IncidentState, clock: PhaseClock) -> AtClose | None:
    """What `clock`'s phase came to at the close; None while the incident is open, or
    for a phase finished (done or skipped). Closing stops the clocks: a phase not
    finished is neither active nor counting down any more, nor upcoming. The report,
    `status` and the phase strip say it in these words."""
    if not state.is_closed or clock.state.finished:
        return None
    return AtClose.NOT_FINISHED if clock.started_at is not None else AtClose.NOT_STARTED


def current_phase(state: IncidentState, now: datetime) -> PhaseClock | None:
    """The first phase not yet finished: where the coordinator's attention belongs."""
    for clock in phase_clocks(state, now):
        if not clock.state.finished:
            return clock
    return None


def entered_at(state: IncidentState, clocks: list[PhaseClock], index: int) -> datetime | None:
    """When phase `clocks[index]` became the one worked in: the first at the declaration,
    else when the one before finished or at its first action, the earlier; None if neither."""
    if index == 0:
        return state.declared_at
    moments = [clocks[index - 1].finished_at, clocks[index].started_at]
    return min((moment for moment in moments if moment is not None), default=None)


def followed_phase(state: IncidentState, now: datetime) -> PhaseClock | None:
    """The phase a screen that follows progress shows: the first not finished
    (`current_phase`); once every one is, the one finished last, where the coordinator
    was when the work ran out (the step that finished it left the screen there). A
    replay brought to the end of a closed incident in one move showed phase 1, where
    it had started, while the live screen had stayed on close-out. None: no phases."""
    clocks = phase_clocks(state, now)
    for clock in clocks:
        if not clock.state.finished:
            return clock
    if not clocks:
        return None
    # The later of two finished at once: the last phase when no step has a time.
    return max(reversed(clocks), key=lambda clock: clock.finished_at or state.t0)


def next_in_phase(state: IncidentState, phase_id: str) -> StepRecord | None:
    """The phase's first step still to do among those that decide its end: its required
    ones (every step where none is required). None once the phase is over: an optional
    step beside required ones ("record the version, then move on") is never the next
    thing to do, though it stays in the checklist, a key away."""
    for record in deciding_steps(state, phase_id):
        if not (record.done or record.skipped):
            return record
    return None
