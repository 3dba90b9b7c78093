"""The handoff brief: the incident's state for a new incident commander, in 20 lines.

Someone taking over mid-rollback needs, in the order they act on it: where the
incident stands against its clock, what was decided and why, what waits on someone's
approval, what the rollback triggers say now, what stakeholders last heard and when
they must hear again, and who holds each role. Everything comes from the folded
record at `now`, so the brief is the same from every terminal and in replay.
"""

from __future__ import annotations

from datetime import datetime

from msgspec import Struct

from incident.comms.due import due_messages
from incident.comms.status_page import PageStanding, page_said_apart, page_standing, updates_page
from incident.core.attribution import command_since, handoff_line
from incident.core.events import JSONValue, format_timestamp
from incident.core.names import same_person
from incident.core.phase_clocks import (
    PhaseClock,
    PhaseState,
    current_phase,
    elapsed,
    format_countdown,
    format_duration,
    format_offset,
    next_in_phase,
    next_update_due,
    phase_clocks,
    t_plus,
    update_when,
)
from incident.core.records import Note, StepStatus
from incident.core.state import IncidentState, tier_target
from incident.core.text import clipped, clipped_at_words, visible
from incident.core.verification import verification
from incident.health.poll_mark import production_words
from incident.health.reading_line import reading_parts
from incident.health.stability import resolution_held
from incident.reports.postmortem import booking_reminder, utc_text
from incident.reports.trigger_view import trigger_data, trigger_parts

MAX_LINES = 20
"""The brief is read in one glance, on one screen of a 24-line terminal."""
LINE_WIDTH = 100
"""Longer lines are cut with an ellipsis: text people typed can be long."""
MAX_DECISIONS = 4
"""Decisions shown: approvals and the tier first, then the latest skips."""
MAX_PINNED = 2
"""Pinned notes shown, the newest: the commander's word that is no runbook gate ("VP
told by phone", "no customer comms until 03:30"); the rest are in the timeline."""
DECISION_ROOM = 3
"""Lines the decisions keep before pinned notes take any: a header and two."""


class Decision(Struct, frozen=True):
    """Something decided during the incident, who decided it, and why."""

    what: str
    by: str
    recorded_by: str
    why: str
    at: datetime


def decisions(state: IncidentState) -> list[Decision]:
    """Approvals, the database tier and the skips that stand, oldest first."""
    found: list[Decision] = []
    for approval in state.approvals.values():
        found.append(
            Decision(
                f"approved {approval.target}",
                approval.by,
                approval.recorded_by or approval.by,
                approval.reason,
                approval.at,
            )
        )
    if state.tier_choice is not None:
        choice = state.tier_choice
        found.append(
            Decision(f"database tier {choice.tier}", choice.by, choice.by, choice.reason, choice.at)
        )
    latest = {change.step: change for change in state.step_changes}
    for change in latest.values():  # a skip reopened since is no longer a decision
        if change.what == "skipped":
            found.append(
                Decision(f"skipped {change.step}", change.by, change.by, change.reason, change.at)
            )
    return sorted(found, key=lambda d: d.at)


def open_gates(state: IncidentState) -> list[tuple[str, str]]:
    """(what, whose approval it waits for) for each gate not yet approved."""
    gates: list[tuple[str, str]] = []
    for step_id, record in state.steps.items():
        step = record.step
        if step.approver and step_id not in state.approvals and not (record.done or record.skipped):
            gates.append((step_id, step.approver))
    choice = state.tier_choice
    tier = state.runbook.database_tier(choice.tier) if choice is not None else None
    if tier is not None and tier.approver and tier_target(tier.id) not in state.approvals:
        gates.append((tier_target(tier.id), tier.approver))
    return gates


def skipped_phases(state: IncidentState, now: datetime) -> list[PhaseClock]:
    """The phases skipped whole (every step skipped, none checked): a new commander
    must not take them for done (the Verification phase above all)."""
    return [c for c in phase_clocks(state, now) if c.state is PhaseState.SKIPPED]


def brief_data(state: IncidentState, now: datetime) -> dict[str, JSONValue]:
    """The brief as data (`brief --json`, tui/cli/schemas/brief.schema.json)."""
    clock = None if state.is_closed else current_phase(state, now)
    last = state.communications[-1] if state.communications else None
    due = next_update_due(state)
    reminder = booking_reminder(state, now)
    return {
        "id": state.id,
        "title": state.title,
        "severity": state.severity,
        "status": "closed" if state.is_closed else "open",
        "now": format_timestamp(now),
        "elapsed_s": round(elapsed(state, now).total_seconds(), 3),
        "phase": _phase_data(clock),
        "next_step": _next_step(state, clock, now),
        "skipped_phases": [c.phase.id for c in skipped_phases(state, now)],
        "verification": verification(state).to_json(),
        "decisions": [
            {
                "what": d.what,
                "by": d.by,
                "recorded_by": d.recorded_by,
                "why": d.why,
                "at": format_timestamp(d.at),
            }
            for d in decisions(state)
        ],
        "open_gates": [{"target": t, "approver": a} for t, a in open_gates(state)],
        "production": production_words(state, now),
        "triggers": trigger_data(state),
        "last_message": None
        if last is None
        else {
            "text": last.text,
            "template": last.template,
            "by": last.by,
            "at": format_timestamp(last.at),
        },
        "pinned_notes": [
            {"text": n.text, "by": n.by, "at": format_timestamp(n.at)} for n in pinned_notes(state)
        ],
        "next_update_due": format_timestamp(due) if due is not None else None,
        "messages_due": [m.template for m in due_messages(state, now)],
        "roles": {role: state.roles.get(role) or None for role in _roles(state)},
        "handoff": _handoff_data(state),
        "postmortem_reminder": reminder.text if reminder is not None else None,
        "status_page": page.to_json() if (page := brief_page(state)) is not None else None,
        "lines": list[JSONValue](brief_lines(state, now)),
    }


def _handoff_data(state: IncidentState) -> JSONValue:
    """The last hand-off of command, and since when the outgoing commander had held it."""
    if not state.handoffs:
        return None
    last = state.handoffs[-1]
    since = command_since(state, last.from_, last.at) if last.from_ else None
    return {
        "from": last.from_ or None,
        "from_since": format_timestamp(since) if since is not None else None,
        "to": last.to,
        "by": last.by,
        "at": format_timestamp(last.at),
        "reason": last.reason,
    }


def brief_text(state: IncidentState, now: datetime) -> str:
    return "\n".join(brief_lines(state, now))


def brief_lines(state: IncidentState, now: datetime) -> list[str]:
    """At most `MAX_LINES` lines, each at most `LINE_WIDTH` characters, controls shown.

    Decisions get what the other sections leave (at most `MAX_DECISIONS`).
    """
    at = format_offset(elapsed(state, now))
    head = [f"{state.id}  {state.severity}  {state.title}"]
    clock = None if state.is_closed else current_phase(state, now)
    skipped = skipped_phases(state, now)
    if state.is_closed and state.closed_at is not None:
        head.append(f"CLOSED at {_offset(state, state.closed_at)} ({utc_text(state.closed_at)})")
    elif clock is None:
        over = "done or skipped" if skipped else "done"
        head.append(f"OPEN {at}: every phase is {over}; ready to close")
    else:
        head.append(f"OPEN {at}  {clock.phase.title}: {_time_left(clock)}")
    step = _next_step(state, clock, now)
    under_step: list[str] = []
    if step is not None:
        head.append(f"Next step: {step}")
        head += (under_step := _page_line(state, clock))
    if skipped:
        titles = ", ".join(c.phase.title for c in skipped)
        head.append(f"Skipped whole, no step checked: {titles}")
    account = verification(state)
    if account.skipped:  # a skipped verification step verified nothing (ux_review7 F2)
        head.append(f"Not verified: {account.unverified()}")
    gates = [f"{t} (needs {a})" for t, a in open_gates(state)]
    tail = _wrapped("Open gates: ", gates or ["none"], "; ")
    if (production := production_words(state, now)) is not None:
        tail.append(f"Production: {production}")
    tail += _wrapped("Triggers now: ", trigger_parts(state), "; ")
    if readings := reading_parts(state, now):
        tail += _wrapped("Readings now: ", readings, " · ")
    tail += _message_lines(state, now)
    if not under_step and (page := brief_page(state)) is not None and page_said_apart(state, page):
        tail.append(f"Status page: {page.said}")
    tail += _command_lines(state)
    roles = [f"{r} {state.roles.get(r) or '(vacant)'}" for r in _roles(state)]
    tail += _wrapped("Roles: ", roles, " · ")
    reminder = booking_reminder(state, now)
    if reminder is not None:
        tail.append(reminder.text)
    elif (meeting := state.postmortem) is not None:
        tail.append(
            f"Post-mortem booked for {utc_text(meeting.starts_at)}, {meeting.duration_min} min"
        )
    room = MAX_LINES - len(head) - len(tail)
    pinned = pinned_notes(state)[: max(0, min(MAX_PINNED, room - DECISION_ROOM))]
    decided = _decision_lines(state, room - len(pinned))
    lines = [*head, *decided, *[_pinned_line(state, note) for note in pinned], *tail]
    return [_clip(line) for line in lines[:MAX_LINES]]


def _decision_lines(state: IncidentState, room: int) -> list[str]:
    found = decisions(state)
    if not found or room < 2:
        return ["Decided: nothing yet"] if not found and room >= 1 else []
    # Approvals and the tier before skips, the latest first; then shown in order.
    ranked = sorted(found, key=lambda d: (d.what.startswith("skipped"), -d.at.timestamp()))
    shown = sorted(ranked[: min(MAX_DECISIONS, room - 1)], key=lambda d: d.at)
    more = f" ({len(shown)} of {len(found)}, the rest in the timeline)"
    lines = ["Decided:" + (more if len(shown) < len(found) else "")]
    for d in shown:
        who = d.by if same_person(d.recorded_by, d.by) else f"{d.by}, recorded by {d.recorded_by}"
        lines.append(f"  {_offset(state, d.at)} {d.what} ({who}): {d.why}")
    return lines


def pinned_notes(state: IncidentState) -> list[Note]:
    """The pinned notes, the newest first (`note ID --pin`)."""
    return sorted((note for note in state.notes if note.pinned), key=lambda n: n.at, reverse=True)


def _pinned_line(state: IncidentState, note: Note) -> str:
    """`Pinned T+06:24 by Cy: Decision: no DB rollback; VP told`, cut at a word."""
    said = f"Pinned {_offset(state, note.at)} by {note.by}: {note.text}"
    return clipped_at_words(_shown(said), LINE_WIDTH)


def _command_lines(state: IncidentState) -> list[str]:
    """Who had command before, since when and why, if it changed hands: the reason on
    a line of its own if both do not fit on one."""
    if not state.handoffs:
        return []
    last = state.handoffs[-1]
    label = "Command: "
    said = label + handoff_line(state, last, since=True, why=False)
    reason = last.reason.strip()
    if not reason:
        return [said]
    if len(visible(f"{said}: {reason}")) <= LINE_WIDTH:
        return [f"{said}: {reason}"]
    return [f"{said}:", " " * len(label) + reason]


def _wrapped(label: str, parts: list[str], joiner: str) -> list[str]:
    """`label` then the parts, over as many lines as `LINE_WIDTH` needs (at most 3)."""
    lines = [label]
    for part in parts:
        if lines[-1] not in (label, " " * len(label)):
            if len(visible(lines[-1] + joiner + part)) > LINE_WIDTH:
                lines.append(" " * len(label))
            else:
                lines[-1] += joiner
        lines[-1] += part
    return lines[:3]


def _message_lines(state: IncidentState, now: datetime) -> list[str]:
    lines: list[str] = []
    if state.communications:
        last = state.communications[-1]
        name = f" [{last.template}]" if last.template else ""
        lines.append(f"Last message {_offset(state, last.at)}{name} by {last.by}: {last.text}")
    else:
        lines.append("Last message: none sent yet")
    due = next_update_due(state)
    if due is not None:
        lines.append(f"Next update due {update_when(due, now)} ({_offset(state, due)})")
    waiting = sorted({m.template for m in due_messages(state, now)})
    if waiting:
        lines.append("Messages due now: " + ", ".join(waiting))
    return lines


def _phase_data(clock: PhaseClock | None) -> JSONValue:
    if clock is None:
        return None
    return {
        "id": clock.phase.id,
        "title": clock.phase.title,
        "state": str(clock.state),
        "due_at": format_timestamp(clock.due_at) if clock.due_at else None,
        "remaining_s": round(clock.remaining.total_seconds(), 3) if clock.remaining else None,
        "overdue_s": round(clock.overdue_by.total_seconds(), 3) if clock.overdue_by else None,
    }


def _time_left(clock: PhaseClock) -> str:
    if clock.overdue_by is not None:
        return f"OVERDUE by {format_duration(clock.overdue_by)}"
    if clock.remaining is not None:
        return f"{format_countdown(clock.remaining)} left"
    return "no deadline"


def _next_step(state: IncidentState, clock: PhaseClock | None, now: datetime) -> str | None:
    """The current phase's next step (`next_in_phase`): the step the TUI highlights;
    the trigger holding it back, when it is the resolution's (`resolution_held`)."""
    record = next_in_phase(state, clock.phase.id) if clock is not None else None
    if record is None:
        return None
    if (held := resolution_held(state, record.step, now)) is not None:
        return f"re-assess: {', '.join(held.met)} (the resolution waits)"
    blocked = state.status_of(record.step.id) is StepStatus.BLOCKED
    note = f" ({state.blocker(record.step.id)})" if blocked else ""
    return f"{record.step.id}: {record.step.title}{note}"


def brief_page(state: IncidentState) -> PageStanding | None:
    """The status page as the brief says it, in text and as data (`page_standing`)."""
    return page_standing(state, lambda moment: _offset(state, moment))


def _page_line(state: IncidentState, clock: PhaseClock | None) -> list[str]:
    """What the brief says of the status page under the next step, when it is the step
    that would update one: none configured, by hand at its URL, posted to it, or, once
    it was, updated (`page_standing`)."""
    record = next_in_phase(state, clock.phase.id) if clock is not None else None
    if record is None or not updates_page(state.runbook, record.step):
        return []
    page = brief_page(state)
    return [] if page is None else [f"  status page: {page.said}"]


def _roles(state: IncidentState) -> list[str]:
    return list(dict.fromkeys([*state.runbook.roles, *state.roles]))


def _offset(state: IncidentState, moment: datetime | None) -> str:
    return t_plus(state, moment) if moment is not None else "?"


def _shown(line: str) -> str:
    """`line` on one line (a line break read as a space), every control shown."""
    return visible(line.replace("\r\n", " ").replace("\n", " ").replace("\r", " "))


def _clip(line: str) -> str:
    return clipped(_shown(line), LINE_WIDTH)
