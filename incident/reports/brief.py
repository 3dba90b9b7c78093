"""The handoff brief: the incident's state for a new incident commander, in 20 lines.

Someone taking over mid-rollback needs, in the order they act on it: where the
incident stands against its clock, what was decided and why, what waits on someone's
approval, what the rollback triggers say now, what stakeholders last heard and when
they must hear again, and who holds each role. Everything comes from the folded
record at `now`, so the brief is the same from every terminal and in replay.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from incident.comms.due import due_messages
from incident.comms.status_page import PageStanding, page_said_apart, page_standing, updates_page
from incident.core.attribution import command_since, handoff_line
from incident.core.clipping import clipped, clipped_at_words
from incident.core.events import JSONValue, format_timestamp
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
from incident.core.records import StepStatus
from incident.core.state import IncidentState
from incident.core.text import visible
from incident.core.verification import verification
from incident.health.poll_mark import Marker, production_words
from incident.health.reading_line import reading_parts
from incident.health.stability import close_waits, lapse_said, resolution_held
from incident.reports.brief_decisions import (
    MAX_DECISIONS,
    decision_lines,
    decisions,
    open_gates,
)
from incident.reports.pinned import pinned_data, pinned_said, pinned_shown
from incident.reports.postmortem import booking_reminder, utc_text
from incident.reports.trigger_view import role_said, trigger_data, trigger_parts

MAX_LINES = 20
"""The brief is read in one glance, on one screen of a 24-line terminal."""
LINE_WIDTH = 100
"""Longer lines are cut with an ellipsis: text people typed can be long."""
DECISION_ROOM = 3
"""Lines the decisions keep before pinned notes take any: a header and two."""


def skipped_phases(state: IncidentState, now: datetime) -> list[PhaseClock]:
    """The phases skipped whole (every step skipped, none checked): a new commander
    must not take them for done (the Verification phase above all)."""
    return [c for c in phase_clocks(state, now) if c.state is PhaseState.SKIPPED]


def brief_data(
    state: IncidentState, now: datetime, marked: Marker | None = None
) -> dict[str, JSONValue]:
    """The brief as data (`brief --json`, tui/cli/schemas/brief.schema.json); `marked`
    says who polls (`Marker`; `poll_mark` without it)."""
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
        "not_restored": lapse_said(state),  # the text's `Verification no longer holds: …`
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
        "production": production_words(state, now, marked),
        "triggers": trigger_data(state),
        "last_message": None
        if last is None
        else {
            "text": last.text,
            "template": last.template,
            "by": last.by,
            "at": format_timestamp(last.at),
        },
        "pinned_notes": pinned_data(state),
        "next_update_due": format_timestamp(due) if due is not None else None,
        "messages_due": [m.template for m in due_messages(state, now)],
        "roles": {role: state.roles.get(role) or None for role in _roles(state)},
        "handoff": _handoff_data(state),
        "postmortem_reminder": reminder.text if reminder is not None else None,
        "status_page": page.to_json() if (page := brief_page(state)) is not None else None,
        "lines": list[JSONValue](brief_lines(state, now, marked)),
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


def brief_text(state: IncidentState, now: datetime, marked: Marker | None = None) -> str:
    return "\n".join(brief_lines(state, now, marked))


def brief_lines(state: IncidentState, now: datetime, marked: Marker | None = None) -> list[str]:
    """At most `MAX_LINES` lines, each at most `LINE_WIDTH` characters, controls shown:
    what a pipe gets (scripts read it), and what a terminal gets fitted to its width
    and rows (`incident.reports.brief_screen`).

    Decisions get what the other sections leave (at most `MAX_DECISIONS`); `marked`
    says who polls production (`Marker`).
    """
    lines = [line for part in brief_parts(state, now, marked) for line in part.piped]
    return [_clip(line) for line in lines[:MAX_LINES]]


class Part(NamedTuple):
    """A section of the brief: its lines as piped, and as a terminal may show them."""

    rank: int
    """How soon it gives way on a screen too small for the brief: `KEPT` never, the
    highest first (`brief_screen`)."""
    name: str
    """What it is, for the line that says what was left out."""
    piped: list[str]
    """Its lines as a pipe gets them: made for `LINE_WIDTH`, a list's rest indented
    under its label."""
    shown: list[list[str]]
    """Its forms for a terminal, fullest first, each a list of whole lines (each one
    wrapped there to the width); an empty last form: it may be left out."""
    top: bool = False
    """Shown first on a terminal: the phase and its time left, and who polls production."""


KEPT = 0
"""Never cut nor left out: where the incident stands, what to do next, what is due,
the triggers, skipped verification, open gates."""
TITLE = 1
"""Cut to a row at the last, never left out: the incident's id and title."""
POSTMORTEM = 2
READINGS = 3
LAST_MESSAGE = 4
DECISIONS = 5
PINNED = 6
COMMAND = 7
ROLES = 8
"""Who holds each role: the commander reading it knows."""
NO_GATES = 9
"""Gives way first: "Open gates: none" asks nothing of anyone."""


def brief_parts(state: IncidentState, now: datetime, marked: Marker | None = None) -> list[Part]:
    """The brief's sections in the order a pipe prints them (`Part`); `marked` says
    who polls production (`Marker`)."""
    at = format_offset(elapsed(state, now))
    if state.started_at < state.declared_at:  # T+0 back-dated to the impact's start
        at += f" (declared {t_plus(state, state.declared_at)})"
    clock = None if state.is_closed else current_phase(state, now)
    skipped = skipped_phases(state, now)
    head = [_one(TITLE, "title", f"{state.id}  {state.severity}  {state.title}", drop=False)]
    if state.is_closed and state.closed_at is not None:
        closed = f"CLOSED at {_offset(state, state.closed_at)} ({utc_text(state.closed_at)})"
        head.append(_one(KEPT, "phase", closed, top=True))
    elif clock is None:
        over = "done or skipped" if skipped else "done"
        waits = close_waits(state, now)  # `close`'s own rule, as `list` reads it
        ready = (
            "ready to close"
            if waits.ready
            else "the close waits: not stable"
            if waits.held is not None
            else "the close waits: required steps open"
        )
        head.append(_one(KEPT, "phase", f"OPEN {at}: every phase is {over}; {ready}", top=True))
    else:
        phase = f"OPEN {at}  {clock.phase.title}: {_time_left(clock)}"
        head.append(_one(KEPT, "phase", phase, top=True))
    step = _next_step(state, clock, now)
    under_step: list[str] = []
    if step is not None:
        under_step = _page_line(state, clock)
        head.append(_one(KEPT, "next step", f"Next step: {step}", *under_step))
    if skipped:
        titles = ", ".join(c.phase.title for c in skipped)
        head.append(_one(KEPT, "skipped", f"Skipped whole, no step checked: {titles}"))
    account = verification(state)
    if account.skipped:  # a skipped verification step verified nothing (ux_review7 F2)
        head.append(_one(KEPT, "not verified", f"Not verified: {account.unverified()}"))
    if (lapse := lapse_said(state)) is not None:  # ux_review15 #2
        head.append(_one(KEPT, "not restored", lapse[0].upper() + lapse[1:]))
    gates = [f"{t} (needs {a})" for t, a in open_gates(state)]
    tail = [
        _listed(KEPT if gates else NO_GATES, "open gates", "Open gates: ", gates or ["none"], "; ")
    ]
    if (production := production_words(state, now, marked)) is not None:
        tail.append(_one(KEPT, "production", f"Production: {production}", top=True))
    tail.append(_listed(KEPT, "triggers", "Triggers now: ", trigger_parts(state), "; "))
    if readings := reading_parts(state, now):
        tail.append(_listed(READINGS, "readings", "Readings now: ", readings, " · "))
    tail += _message_parts(state, now)
    if not under_step and (page := brief_page(state)) is not None and page_said_apart(state, page):
        tail.append(_one(LAST_MESSAGE, "status page", f"Status page: {page.said}"))
    if (command := _command_part(state)) is not None:
        tail.append(command)
    roles = [role_said(state, r) for r in _roles(state)]
    tail.append(_listed(ROLES, "roles", "Roles: ", roles, " · "))
    reminder = booking_reminder(state, now)
    if reminder is not None:
        tail.append(_one(POSTMORTEM, "post-mortem", reminder.text))
    elif (meeting := state.postmortem) is not None:
        booked = f"Post-mortem booked for {utc_text(meeting.starts_at)}, {meeting.duration_min} min"
        tail.append(_one(POSTMORTEM, "post-mortem", booked))
    room = MAX_LINES - sum(len(part.piped) for part in [*head, *tail])
    return [*head, *_decided_parts(state, room), *tail]


def _one(rank: int, name: str, *lines: str, drop: bool = True, top: bool = False) -> Part:
    """A section of whole lines, each cut at a word to `LINE_WIDTH` on a terminal."""
    shown = [clipped_at_words(_shown(line), LINE_WIDTH) for line in lines]
    return Part(rank, name, list(lines), [shown, []] if drop and rank else [shown], top)


def _listed(rank: int, name: str, label: str, parts: list[str], joiner: str) -> Part:
    """`label` then the parts: over at most three lines piped (`_wrapped`), one whole
    line on a terminal, cut at a word where the piped lines stop."""
    whole = clipped_at_words(_shown(label + joiner.join(parts)), 3 * LINE_WIDTH)
    return Part(rank, name, _wrapped(label, parts, joiner), [[whole], []] if rank else [[whole]])


def _decided_parts(state: IncidentState, room: int) -> list[Part]:
    """The decisions and the newest pinned notes, in the `room` the others leave piped;
    on a terminal, the decisions down to the latest one, the notes to the newest."""
    pinned = pinned_shown(state)
    piped = pinned[: max(0, room - DECISION_ROOM)]
    most = 1 + min(MAX_DECISIONS, len(decisions(state)))
    forms = [decision_lines(state, lines) for lines in range(most, 1, -1)] or [
        decision_lines(state, 1)
    ]
    decided = Part(
        DECISIONS,
        "decisions",
        decision_lines(state, room - len(piped)),
        [[clipped_at_words(_shown(line), LINE_WIDTH) for line in form] for form in forms] + [[]],
    )
    notes = [clipped_at_words(pinned_said(state, note), LINE_WIDTH) for note in pinned]
    shown = [notes[:count] for count in range(len(notes), -1, -1)]
    return [decided, Part(PINNED, "pinned notes", notes[: len(piped)], shown)]


def _command_part(state: IncidentState) -> Part | None:
    """Who had command before, since when and why, if it changed hands: piped, the
    reason on a line of its own if both do not fit on one."""
    if not state.handoffs:
        return None
    last = state.handoffs[-1]
    label = "Command: "
    said = label + handoff_line(state, last, since=True, why=False)
    reason = last.reason.strip()
    whole = f"{said}: {reason}" if reason else said
    if not reason or len(visible(whole)) <= LINE_WIDTH:
        piped = [whole]
    else:
        piped = [f"{said}:", " " * len(label) + reason]
    return Part(COMMAND, "command", piped, [[clipped_at_words(_shown(whole), 2 * LINE_WIDTH)], []])


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


def _message_parts(state: IncidentState, now: datetime) -> list[Part]:
    """The last message sent, when the next update is due, and the messages due now."""
    if state.communications:
        last = state.communications[-1]
        name = f" [{last.template}]" if last.template else ""
        said = f"Last message {_offset(state, last.at)}{name} by {last.by}: {last.text}"
    else:
        said = "Last message: none sent yet"
    parts = [_one(LAST_MESSAGE, "last message", said)]
    due = next_update_due(state)
    if due is not None:
        when = f"Next update due {update_when(due, now)} ({_offset(state, due)})"
        parts.append(_one(KEPT, "next update", when))
    waiting = sorted({m.template for m in due_messages(state, now)})
    if waiting:
        parts.append(_one(KEPT, "messages due", "Messages due now: " + ", ".join(waiting)))
    return parts


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
