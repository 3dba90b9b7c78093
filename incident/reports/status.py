"""The incident at a moment, as plain data (`status --json`) and as text.

The JSON shape is a public interface for scripts (and for replay's `--at --json`):
add to it, never rename.
"""

from __future__ import annotations

from datetime import datetime

from msgspec import Struct

from incident.comms.due import due_messages
from incident.comms.status_page import PageStanding, page_said_apart, page_standing, updates_page
from incident.core.events import JSONValue, format_timestamp
from incident.core.phase_clocks import (
    DUE_WORDS,
    PhaseClock,
    PhaseState,
    at_close,
    current_phase,
    done_early,
    elapsed,
    format_countdown,
    format_duration,
    format_offset,
    next_update_due,
    phase_clocks,
    resolved_at,
    t_plus,
    update_when,
)
from incident.core.state import IncidentState, StepStatus
from incident.core.text import visible
from incident.core.verification import skipped_in_phase, verification
from incident.health.poll_mark import Marker, poll_mark, poll_words, production_words
from incident.health.reading_line import reading_summary, readings_line
from incident.health.stability import NO_LONGER_HOLDS, contradicted_checks, lapse_said
from incident.reports.drill_faults import HIDDEN_TEXT, fault_shown, shown_fault
from incident.reports.pinned import pinned_data, pinned_said, pinned_shown
from incident.reports.postmortem import booking_reminder
from incident.reports.trigger_view import (
    rule_parts,
    trigger_data,
    trigger_parts,
)
from runbooks.model import StepKind
from runbooks.unenforced import guide_notes


def _ts(moment: datetime | None) -> str | None:
    return format_timestamp(moment) if moment is not None else None


def _seconds(clock: PhaseClock, attr: str) -> float | None:
    value = getattr(clock, attr)
    return round(value.total_seconds(), 3) if value is not None else None


def status_data(
    state: IncidentState,
    now: datetime,
    *,
    latest: IncidentState | None = None,
    marked: Marker | None = None,
) -> dict[str, JSONValue]:
    """The incident at `now`; `latest` is the incident as its record stands, when
    `state` is an earlier moment (replay): it decides whether a drill's fault shows;
    `marked` says who polls (`Marker`; `poll_mark` without it)."""
    clocks = phase_clocks(state, now)
    current = current_phase(state, now)
    phases: list[JSONValue] = []
    for clock in clocks:
        window = clock.phase.window
        phases.append(
            {
                "id": clock.phase.id,
                "title": clock.phase.title,
                "window_min": [window.start_min, window.end_min] if window else None,
                "state": str(clock.state),
                "at_close": str(closing) if (closing := at_close(state, clock)) else None,
                "opens_at": _ts(clock.opens_at),
                "due_at": _ts(clock.due_at),
                "started_at": _ts(clock.started_at),
                "finished_at": _ts(clock.finished_at),
                "remaining_s": _seconds(clock, "remaining"),
                "overdue_s": _seconds(clock, "overdue_by"),
            }
        )
    steps: list[JSONValue] = []
    for step_id, record in state.steps.items():
        approval = state.approvals.get(step_id)
        steps.append(
            {
                "id": step_id,
                "phase": record.step.phase_id,
                "title": record.step.title,
                "kind": str(record.step.kind),
                "required": record.step.required,
                "owner": record.step.owner,
                "state": str(state.status_of(step_id)),
                "requires_approval": record.step.requires_approval,
                "approver": record.step.approver,
                "template": record.step.template,
                "approved_by": approval.by if approval else None,
                "blocker": state.blocker(step_id) or None,
                "by": record.by,
                "at": _ts(record.at),
                "note": record.note or None,
                "reason": record.reason or None,
                "evidence": record.evidence or None,
            }
        )
    next_update = next_update_due(state)
    return {
        "id": state.id,
        "title": state.title,
        "severity": state.severity,
        "status": "closed" if state.is_closed else "open",
        "issue": state.issue,
        "runbook": state.runbook.id,
        "pattern": str(state.pattern) if state.pattern else None,
        "from_version": state.from_version or None,
        "last_good_version": state.last_good_version or None,
        "eta_min": state.eta_min,
        "channel": state.channel or None,
        "drill": shown_fault(state, latest=latest),
        "declared_at": _ts(state.declared_at),
        "started_at": _ts(state.started_at),
        "closed_at": _ts(state.closed_at),
        "as_of": _ts(now),
        "elapsed_s": round(elapsed(state, now).total_seconds(), 3),
        "elapsed": format_offset(elapsed(state, now)),
        "commander": state.commander,
        "roles": dict(state.roles),
        "current_phase": current.phase.id if current else None,
        "phases": phases,
        "steps": steps,
        "approvals": [
            {
                "target": a.target,
                "by": a.by,
                "reason": a.reason,
                "at": _ts(a.at),
                "role": a.role or None,
                "role_holder": a.role_holder or None,
                "by_role": a.by_role,
            }
            for a in state.approvals.values()
        ],
        "triggers": trigger_data(state),
        "verification": verification(state).to_json(),
        "not_restored": lapse_said(state),  # the text's `verification no longer holds: …`
        "database_tier": state.tier_choice.tier if state.tier_choice else None,
        "next_update_due": _ts(next_update),
        "communications": len(state.communications),
        "messages_due": [
            {
                "template": m.template,
                "moment": m.moment,
                "mode": str(m.rule.mode),
                "due_at": _ts(m.due_at),
            }
            for m in due_messages(state, now)
        ],
        "deliveries": _delivery_counts(state),
        "production": _production(state, now, marked or poll_mark),
        "readings": _readings(state, now),
        "notes": len(state.notes),
        "pinned_notes": pinned_data(state),
        "events": state.last_seq,
    }


def _production(state: IncidentState, now: datetime, marked: Marker) -> JSONValue:
    """Who polls production at `now` (`marked`), as `status` says it: `polling` is
    never, elsewhere or lapsed (this process polls nothing), `poller` the last tick's
    as it names itself (None: unnamed, or no tick), and `said` the text's words. None
    when there is nothing to poll: no probes, or the incident is closed."""
    mark = marked(state, now)
    if mark is None:
        return None
    return {
        "polling": str(mark.polling),
        "poller": mark.poller,
        "last_tick_at": _ts(mark.at),
        "said": poll_words(mark, state),
    }


def _readings(state: IncidentState, now: datetime) -> JSONValue:
    """Each probe's latest reading (`readings_line` says them in a line): when, whether
    it is a reading or a failed poll (`ok`), and the words; [] before any."""
    found: list[JSONValue] = []
    for probe in state.runbook.probes:
        if samples := state.samples.get(probe.name):
            latest = samples[-1]
            said = reading_summary(state, latest)
            found.append({"probe": probe.name, "at": _ts(latest.at), "ok": latest.ok, "said": said})
    return found


def _delivery_counts(state: IncidentState) -> dict[str, JSONValue]:
    statuses = [d.status for d in state.deliveries.values()]
    return {name: statuses.count(name) for name in ("pending", "delivered", "failed")}


def _message_lines(state: IncidentState, now: datetime) -> list[str]:
    lines = [
        f"message due: {m.template} ({m.moment}, {m.rule.mode})" for m in due_messages(state, now)
    ]
    reminder = booking_reminder(state, now)
    if reminder is not None:
        lines.append(f"reminder: {reminder.text}")
    counts = _delivery_counts(state)
    if any(counts.values()):
        resend = f"; re-send them: lastgood deliver {state.id} --resend-failed"
        lines.append(
            "webhooks: "
            + ", ".join(f"{n} {name}" for name, n in counts.items())
            + (resend if counts["failed"] else "")
        )
    return lines


def _page(state: IncidentState) -> PageStanding | None:
    """The status page's standing, its moments on the T+ clock (`page_standing`)."""
    return page_standing(state, lambda moment: t_plus(state, moment))


_MARKS = {
    StepStatus.DONE: "[x]",
    StepStatus.SKIPPED: "[-]",
    StepStatus.BLOCKED: "[!]",
    StepStatus.OPEN: "[ ]",
}


class PhaseBlock(Struct, frozen=True):
    """One phase as `status` prints it: its heading line and its steps' lines."""

    clock: PhaseClock
    heading: str
    steps: list[tuple[StepStatus, list[str]]]
    """Each step's status, and its lines: the step's own, then any said under it."""


class StatusParts(Struct, frozen=True):
    """`status_text`'s lines in their parts, for a face that places them
    (`incident.reports.status_screen`); none made `visible` yet."""

    head: list[str]
    """The id and title, open or closed at T+, the drill, the versions."""
    summary: list[str]
    """Production, readings, triggers, the next update, messages, the status page."""
    pinned: list[str]
    """The newest pinned notes, as `brief` shows them (`incident.reports.pinned`), whole."""
    phases: list[PhaseBlock]


def status_text(state: IncidentState, now: datetime, marked: Marker | None = None) -> str:
    """A plain-text view for a terminal or a chat paste; marks, not colours; `marked`
    says who polls (`Marker`)."""
    parts = status_parts(state, now, marked)
    lines = [*parts.head, *parts.summary, *parts.pinned]
    for block in parts.phases:
        lines += ["", block.heading, *(line for _, said in block.steps for line in said)]
    return "\n".join(visible(line) for line in lines)


def status_parts(state: IncidentState, now: datetime, marked: Marker | None = None) -> StatusParts:
    """What `status_text` says, in its parts."""
    lines = [
        f"{state.id}  {state.severity}  {state.title}",
        f"{'CLOSED' if state.is_closed else 'OPEN'}  {format_offset(elapsed(state, now))}"
        f"  commander: {state.commander or 'unassigned'}"
        + (f"  pattern: {state.pattern}" if state.pattern else ""),
    ]
    if state.drill and fault_shown(state):
        lines.append(f"drill: a rehearsal; its score card: lastgood score {state.id}")
    elif state.drill:
        lines.append(f"{HIDDEN_TEXT}: a rehearsal; its score card shows once it is closed")
    if state.from_version or state.last_good_version:
        lines.append(
            f"rolling back {state.from_version or '?'} -> {state.last_good_version or '?'}"
        )
    head, lines = lines, []
    if (production := production_words(state, now, marked)) is not None:
        lines.append(f"production: {production}")
    if (read := readings_line(state, now)) is not None:
        lines.append(f"readings: {visible(read)}")
    lines.append("triggers: " + "; ".join(trigger_parts(state)))
    if rules := rule_parts(state.runbook):  # how each fires, before it does
        lines.append("trigger rules: " + " · ".join(rules))
    # Where the runbook leaves the guide, in `validate`'s and `declare`'s words: one
    # verdict (it said `runbook's own` of roles and rules `validate` found ok: ux_review17 #12)
    lines += [visible(f"note: {note}") for note in guide_notes(state.runbook)]
    if (lapse := lapse_said(state)) is not None:
        lines.append(lapse)  # the service verified went back (ux_review15 #2)
    contradicted = {} if state.is_closed else dict(contradicted_checks(state))
    next_update = next_update_due(state)
    if next_update is not None:
        lines.append(f"next stakeholder update {update_when(next_update, now)}")
    elif not state.is_closed and (resolved := resolved_at(state)) is not None:
        lines.append(f"resolved at {resolved:%H:%M:%S} UTC: no more stakeholder updates due")
    lines += _message_lines(state, now)
    page = _page(state)
    apart = page is not None and page_said_apart(state, page)
    if page is not None and apart:  # else under the step that would update it
        lines.append(f"status page: {page.said}")
    blocks: list[PhaseBlock] = []
    for clock in phase_clocks(state, now):
        window = clock.window  # placed from the declaration, on the T+ clock
        span = ""
        if window is not None:
            span = window.span("-", unit=False) + ("+" if window.end is None else "")
        timing = ""
        label = str(clock.state).upper().replace("_", " ")
        if (came_to := at_close(state, clock)) is not None:  # the clocks stopped
            label, timing = "CLOSED", f"{came_to} at close"
        elif clock.state is PhaseState.SKIPPED:  # over, but none of it was done
            timing = "no step checked"
        elif (early := done_early(clock)) is not None:  # its turn not come: not active
            timing = early
        elif clock.remaining is not None and clock.state is PhaseState.DUE:
            timing = f"{DUE_WORDS}; {format_countdown(clock.remaining)} left"
        elif clock.remaining is not None and clock.state is not PhaseState.UPCOMING:
            timing = f"{format_countdown(clock.remaining)} left"
        elif clock.overdue_by is not None and clock.state is PhaseState.DONE:
            timing = f"{format_duration(clock.overdue_by)} late"  # finished: not "overdue"
        elif clock.overdue_by is not None:
            timing = f"overdue by {format_duration(clock.overdue_by)}"
        if clock.state is PhaseState.DONE and (skipped := skipped_in_phase(state, clock.phase.id)):
            # DONE, but a skipped verification step verified nothing (ux_review7 F2)
            timing = f"{timing}  " if timing else ""
            timing += f"not verified: {', '.join(skipped)} skipped"
        if clock.state is PhaseState.DONE and any(
            state.steps[step_id].step.phase_id == clock.phase.id for step_id in contradicted
        ):
            timing = f"{timing}  " if timing else ""
            timing += NO_LONGER_HOLDS
        title = f"{clock.phase.title}  ({span})" if span else clock.phase.title  # no window
        steps: list[tuple[StepStatus, list[str]]] = []
        for record in state.phase_steps(clock.phase.id):
            step_state = state.status_of(record.step.id)
            extra = ""
            if step_state == StepStatus.BLOCKED:
                extra = f"  ({state.blocker(record.step.id)})"
            elif step_state == StepStatus.SKIPPED:
                extra = f"  (skipped: {record.reason})"
            elif record.step.id in contradicted:  # checked, and the readings now say not
                extra = f"  (contradicted now: {contradicted[record.step.id]})"
            optional = "" if record.step.required else " (optional)"
            said = [
                f"  {_MARKS[step_state]} {record.step.id}: {record.step.title}{optional}{extra}"
            ]
            if (
                step_state == StepStatus.OPEN
                and page is not None
                and not apart
                and updates_page(state.runbook, record.step)
            ):
                said.append(f"      status page: {page.said}")
            if record.step.kind == StepKind.DATABASE and state.changes is not None:
                said.append(f"      what the rollback undoes: {state.changes.summary}")
                said += [f"        {migration}" for migration in state.changes.migrations]
            steps.append((step_state, said))
        blocks.append(PhaseBlock(clock, f"{title}  {label}  {timing}".rstrip(), steps))
    pinned = [pinned_said(state, note) for note in pinned_shown(state)]
    return StatusParts(head, lines, pinned, blocks)
