"""The score card of a drill: the rehearsal measured against the runbook's own numbers.

Every figure comes from the folded state and the runbook the incident carries:
the phases' windows, the decision step and its phase's window, the cadence of
stakeholder updates, the database tiers and the verification steps. Nothing here
holds a target of its own, so a team that changes its runbook is scored by it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from msgspec import Struct

from incident.core.events import JSONValue
from incident.core.phase_clocks import (
    PhaseState,
    early_work,
    format_duration,
    format_late,
    phase_clock,
    resolved_at,
    t_plus,
)
from incident.core.phase_windows import placed_window, windows_zero
from incident.core.records import StepRecord, TriggerMark
from incident.core.state import IncidentState
from incident.core.text import counted, visible
from incident.core.timefmt import printed_span
from incident.reports.cadence import updates_due
from incident.reports.drill_faults import Fault, fault_named
from runbooks.model import Phase, ProbeKind, StepKind


class Verdict(StrEnum):
    MET = "met"
    MISSED = "missed"
    OPEN = "open"
    """Not done yet, with its window still open when the drill was scored: not late."""


class ScoreLine(Struct, frozen=True):
    """One thing measured, against what, and whether it was met."""

    name: str
    measured: str
    """What was measured against what, e.g. "done at T+04:10 of its T+0-5m window"."""
    verdict: Verdict
    timed: bool = False
    """A time against a window: said "within" or "late" rather than "met" or "missed"."""
    unopened: bool = False
    """Open (`Verdict.OPEN`) as its window had not even opened: said so, not "still open"."""
    no_window: bool = False
    """A phase without a window (the guide's close-out): open while not finished, as
    nothing makes it late; its turn not come while a phase before it is unfinished."""

    def text(self) -> str:
        return f"{self.name}: {self.measured} - {self.word}"

    @property
    def word(self) -> str:
        if self.verdict is Verdict.OPEN and self.no_window:
            return "not its turn yet" if self.unopened else "no deadline"
        if self.verdict is Verdict.OPEN:
            return "window not open yet" if self.unopened else "window still open"
        met = self.verdict is Verdict.MET
        return ("within" if met else "late") if self.timed else ("met" if met else "missed")


class ScoreCard(Struct, frozen=True):
    incident_id: str
    fault: Fault
    closed: bool
    lines: tuple[ScoreLine, ...]
    forced: str = ""
    """What a forced close left undone, and why it was forced ("" unless forced): the
    card said nothing of it, and a lead reading it would not learn that stakeholders
    were never told the service was restored (a fresh user's review). Said beside the
    lines, not scored: the lines already judge each phase."""

    @property
    def met(self) -> int:
        return sum(line.verdict is Verdict.MET for line in self.lines)


def score_card(state: IncidentState, now: datetime) -> ScoreCard:
    """The drill's score at `now` (frozen at the close); ValueError if it is no drill."""
    if not state.drill:
        raise ValueError(f"{state.id} is not a drill")
    fault = fault_named(state.drill)
    end = state.closed_at or now
    lines = [
        *(phase_line(state, phase, end) for phase in state.runbook.phases),
        decision_line(state, end),
        tier_line(state, fault, end),
        cadence_line(state, end),
        evidence_line(state, fault, end),
    ]
    return ScoreCard(state.id, fault, state.is_closed, tuple(lines), forced_note(state))


def forced_note(state: IncidentState) -> str:
    """`closed by force at T+05:37 (drill over, out of time); 4 required steps left
    open: a, b, c, d` (the first five named, then how many more); "" unless the
    incident was closed by force."""
    if not state.forced_close or state.closed_at is None:
        return ""
    left = state.open_required_steps()
    named = ", ".join(left[:FORCED_NAMED]) + (
        f" and {len(left) - FORCED_NAMED} more" if len(left) > FORCED_NAMED else ""
    )
    undone = f"; {counted(len(left), 'required step')} left open: {named}" if left else ""
    return f"closed by force at {t_plus(state, state.closed_at)} ({state.close_reason}){undone}"


FORCED_NAMED = 5
"""The open required steps a forced close's note names; the rest it counts."""


def _still_open(state: IncidentState, phase: Phase | None, end: datetime) -> bool:
    """Whether `phase`'s window (placed from the declaration) had not closed by `end`
    (the close, for a drill closed early): what is not done then is not late."""
    window = placed_window(state, phase) if phase is not None else None
    if window is None or window.due_at is None:
        return True
    return end < window.due_at


def _unopened(state: IncidentState, phase: Phase | None, end: datetime) -> bool:
    """Whether `phase`'s window had not even opened by `end`: what is not done then is
    awaited, and its window is not "still open". A phase without a window opens with
    its turn: once every phase before it is finished."""
    if phase is None:
        return False
    window = placed_window(state, phase)
    if window is not None:
        return end < window.opens_at
    before = state.runbook.phases[: state.runbook.phases.index(phase)]
    return not all(phase_clock(state, earlier, end).state.finished for earlier in before)


def _window(state: IncidentState, phase: Phase) -> str:
    window = placed_window(state, phase)
    if window is None:
        return "no window"
    if window.end is None:
        return f"window from {window.opens}"
    return f"{window.span('-')} window"


def phase_line(state: IncidentState, phase: Phase, end: datetime) -> ScoreLine:
    """When the phase's steps were all done, against the end of its window; a phase
    skipped whole is missed, however early the skips came."""
    clock = phase_clock(state, phase, end)
    number = state.runbook.phases.index(phase) + 1
    name = f"Phase {number} {phase.title}"
    window = _window(state, phase)
    windowless = phase.window is None  # the guide's close-out: no clock makes it late
    if clock.finished_at is None and _unopened(state, phase, end):
        # Its window not open yet: not "still open", and what is done is done early
        # (the phase strip's and `status`'s `1 of 4 done early`).
        work = "not started" if clock.started_at is None else early_work(clock)
        measured = f"{work} by {t_plus(state, end)} ({window})"
        return ScoreLine(
            name, measured, Verdict.OPEN, timed=True, unopened=True, no_window=windowless
        )
    if clock.finished_at is None:
        unfinished = f"not finished by {t_plus(state, end)} ({window})"
        verdict = Verdict.OPEN if _still_open(state, phase, end) else Verdict.MISSED
        return ScoreLine(name, unfinished, verdict, timed=True, no_window=windowless)
    if clock.state is PhaseState.SKIPPED:  # not rehearsed: every step of it skipped
        skipped = f"skipped at {t_plus(state, clock.finished_at)}, no step checked"
        return ScoreLine(name, f"{skipped} ({window})", Verdict.MISSED)
    done = f"done at {t_plus(state, clock.finished_at)}"
    if clock.due_at is None:  # no end to be within: done is met
        return ScoreLine(name, f"{done} ({window})", Verdict.MET, timed=not windowless)
    if clock.finished_at > clock.due_at:
        late = format_late(clock.finished_at - clock.due_at)
        return ScoreLine(name, f"{done} of its {window} ({late} over)", Verdict.MISSED, timed=True)
    if clock.opens_at is not None and clock.finished_at < clock.opens_at:
        early = format_duration(clock.opens_at - clock.finished_at)
        done = f"{done}, {early} before its {window} opened"
        return ScoreLine(name, done, Verdict.MET, timed=True)
    return ScoreLine(name, f"{done} of its {window}", Verdict.MET, timed=True)


def decision_line(state: IncidentState, end: datetime) -> ScoreLine:
    """Time from the declaration (where the phase windows start: `windows_zero`) to the
    approved decision step, against its phase's window (still open if the step is not
    checked and the window had not closed by `end`)."""
    name = "Time to decision"
    decisions = [r for r in state.steps.values() if r.step.kind is StepKind.APPROVAL]
    if not decisions:
        return ScoreLine(name, "the runbook has no decision step", Verdict.MISSED)
    record = decisions[0]
    phase = state.runbook.phase(record.step.phase_id)
    limit = phase.window.end_min if phase is not None and phase.window is not None else None
    target = f"the {limit}m {phase.title} window" if phase and limit is not None else "no window"
    fired = [mark for _, mark in state.trigger_history if mark.met]
    trigger = ""
    if fired:
        trigger = f"; first trigger met at {t_plus(state, min(m.at for m in fired))}"
    if not record.done or record.at is None:
        unchecked = f"{record.step.id} not checked ({target}){trigger}"
        verdict = Verdict.OPEN if _still_open(state, phase, end) else Verdict.MISSED
        return ScoreLine(name, unchecked, verdict, timed=True)
    taken = record.at - windows_zero(state)
    within = limit is not None and taken <= timedelta(minutes=limit)
    over = ""
    if limit is not None and not within:  # `5m00s` of a 5m window reads on time alone
        over = f" ({format_late(taken - timedelta(minutes=limit))} over)"
    measured = f"{format_duration(taken)} of {target}{over}{trigger}"
    return ScoreLine(name, measured, Verdict.MET if within else Verdict.MISSED, timed=True)


def tier_line(state: IncidentState, fault: Fault, end: datetime) -> ScoreLine:
    """The database tier chosen, against the tiers that fit the fault (still open while
    none is chosen and the database step's phase window is)."""
    name = "Database tier"
    fits = ", ".join(fault.fitting_tiers)
    choice = state.tier_choice
    if choice is None:
        steps = [r for r in state.steps.values() if r.step.kind is StepKind.DATABASE]
        phase = state.runbook.phase(steps[0].step.phase_id) if steps else None
        verdict = Verdict.OPEN if steps and _still_open(state, phase, end) else Verdict.MISSED
        unopened = verdict is Verdict.OPEN and _unopened(state, phase, end)
        measured = f"none chosen; {fits} fits: {fault.tier_reason}"
        return ScoreLine(name, measured, verdict, unopened=unopened)
    # What the tier dialog showed as evidence, that the tier is judged by as well.
    shown = f"; the tier dialog showed: {visible(state.changes.summary)}" if state.changes else ""
    if choice.tier in fault.fitting_tiers:
        measured = f"{choice.tier} fits the fault: {fault.tier_reason}{shown}"
        return ScoreLine(name, measured, Verdict.MET)
    measured = f"{choice.tier} does not fit; {fits} does: {fault.tier_reason}{shown}"
    return ScoreLine(name, measured, Verdict.MISSED)


class CadenceTally(Struct, frozen=True):
    """Messages sent before the resolution, each against the update it was due by."""

    sent: int
    late: int
    worst: timedelta
    """The latest a message came past its due time (0 when none was late)."""
    overdue_now: timedelta
    """How far past due the next update is at the end, while unresolved."""


def cadence_tally(state: IncidentState, end: datetime) -> CadenceTally:
    """The runbook's cadence replayed over the messages (`updates_due`)."""
    updates = updates_due(state, end)
    answered = [u for u in updates if u.sent is not None]
    # Between the times as printed, as the report's communications log says them.
    late = [printed_span(u.due, u.sent) for u in answered if u.sent and u.late_by]
    unanswered = updates[-1] if updates and updates[-1].sent is None else None
    overdue_now = timedelta(0)
    if unanswered is not None and resolved_at(state) is None:
        overdue_now = printed_span(unanswered.due, end)
    return CadenceTally(len(answered), len(late), max(late, default=timedelta(0)), overdue_now)


def cadence_line(state: IncidentState, end: datetime) -> ScoreLine:
    cadence = state.runbook.cadence
    name = "Messages on cadence"
    target = f"first within {cadence.first_update_min}m, then every {cadence.every_min}m"
    tally = cadence_tally(state, end)
    if tally.sent == 0:
        first_due = state.declared_at + timedelta(minutes=cadence.first_update_min)
        if end <= first_due:
            return ScoreLine(name, f"none sent yet ({target})", Verdict.OPEN)
        return ScoreLine(name, f"none sent ({target})", Verdict.MISSED)
    parts = [f"{tally.sent - tally.late} of {tally.sent} on time ({target})"]
    if tally.late:
        parts.append(f"latest {format_late(tally.worst)} past due")
    if tally.overdue_now:
        parts.append(f"an update {format_late(tally.overdue_now)} overdue, never resolved")
    met = tally.late == 0 and not tally.overdue_now
    return ScoreLine(name, "; ".join(parts), Verdict.MET if met else Verdict.MISSED)


class Figure(Struct, frozen=True):
    """What a verification step's evidence says of the figure the fault moves."""

    speaks: bool
    said: str
    """What the card adds to the step's evidence ("" when nothing)."""


def fault_figure(state: IncidentState, fault: Fault, record: StepRecord) -> Figure:
    """Whether the evidence of verification step `record` speaks to the figure the fault
    moves (`Fault.shows_on`).

    A step judged on the version, or on the probe the fault moves, does. One judged on
    another probe (Check health on the error rate, in a drill of a release only latency
    shows) does once a rollback trigger reading the fault's probe, met before the check,
    had cleared by it: the record's trigger changes say so, where the samples of that
    moment are long gone from the state."""
    probe = state.runbook.probe(record.step.probe or "")
    if probe is None or probe.kind is ProbeKind.VERSION or probe.name == fault.shows_on:
        return Figure(True, "")
    figure = fault.shows_on
    watching = [t.id for t in state.runbook.triggers if t.probe == figure]
    unspoken = f"not the figure the fault moves, {figure}"
    if not watching:
        return Figure(False, f"{unspoken}, which no rollback trigger reads")
    last: dict[str, TriggerMark] = {}
    for trigger_id, mark in state.trigger_history:
        if trigger_id in watching and (record.at is None or mark.at <= record.at):
            last[trigger_id] = mark
    if still := [t for t, mark in last.items() if mark.met]:
        return Figure(False, f"{unspoken}: {', '.join(still)} still met at the check")
    if not last:
        never = " or ".join(watching)
        return Figure(False, f"{unspoken}: {never} never met before the check")
    trigger_id, mark = max(last.items(), key=lambda item: item[1].at)
    detail = f" ({visible(mark.detail)})" if mark.detail else ""
    cleared = f"{trigger_id} on {figure}, the figure the fault moves, cleared at"
    return Figure(True, f"{cleared} {t_plus(state, mark.at)}{detail}")


def evidence_line(state: IncidentState, fault: Fault, end: datetime) -> ScoreLine:
    """The verification steps checked on detected evidence, not ticked over it, and on
    evidence that speaks to the figure the fault moves (`fault_figure`); still open
    while those not checked yet are in a phase whose window is."""
    name = "Evidence on verification steps"
    records = [r for r in state.steps.values() if r.step.kind is StepKind.VERIFICATION]
    if not records:
        return ScoreLine(name, "the runbook has no verification step", Verdict.MET)
    shown = []
    backed = 0
    for record in records:
        if record.done and record.evidence:
            figure = fault_figure(state, fault, record)
            said = f"; {figure.said}" if figure.said else ""
            shown.append(f"{record.step.id}: {visible(record.evidence)}{said}")
            backed += figure.speaks
        elif record.done and record.override:
            shown.append(f"{record.step.id}: checked on an override ({visible(record.override)})")
        elif record.done:
            shown.append(f"{record.step.id}: ticked without evidence")
        else:
            shown.append(f"{record.step.id}: {'skipped' if record.skipped else 'not checked'}")
    measured = f"{backed} of {len(records)} on evidence ({'; '.join(shown)})"
    if backed == len(records):
        return ScoreLine(name, measured, Verdict.MET)
    waiting = [r for r in records if not (r.done or r.skipped)]
    awaited = len(waiting) == len(records) - backed and all(
        _still_open(state, state.runbook.phase(r.step.phase_id), end) for r in waiting
    )
    if not awaited:
        return ScoreLine(name, measured, Verdict.MISSED)
    phases = [state.runbook.phase(r.step.phase_id) for r in waiting]
    unopened = all(_unopened(state, phase, end) for phase in phases)
    return ScoreLine(name, measured, Verdict.OPEN, unopened=unopened)


def score_text(card: ScoreCard) -> str:
    """The card as plain text, every line safe for a terminal."""
    status = "closed" if card.closed else "still open"
    head = [
        f"Drill {card.incident_id} ({status}): {card.fault.title} [{card.fault.name}]",
        f"Score: {card.met} of {len(card.lines)} met",
    ]
    forced = [f"Forced close: {card.forced}"] if card.forced else []
    lines = [*head, *(line.text() for line in card.lines), *forced]
    return "\n".join(visible(line) for line in lines)


def score_data(card: ScoreCard) -> dict[str, JSONValue]:
    """The card for `--json`: add to it, never rename."""
    return {
        "id": card.incident_id,
        "fault": str(card.fault.name),
        "fault_title": card.fault.title,
        "closed": card.closed,
        "met": card.met,
        "of": len(card.lines),
        "lines": [
            {"name": line.name, "measured": line.measured, "verdict": str(line.verdict)}
            for line in card.lines
        ],
        "forced_close": card.forced or None,
    }
