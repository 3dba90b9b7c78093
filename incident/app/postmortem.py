"""Post-mortem use cases, open also after close: root cause, action items, lessons, meeting."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from incident import commands
from incident.app import closeout
from incident.app.outcome import Done
from incident.app.session import Session
from incident.core.timefmt import ReadTime
from incident.reports.ics import uninvited
from incident.reports.postmortem import (
    DEFAULT_DURATION_MIN,
    meeting_window,
    sooner_than_advised,
    utc_text,
)


def rca(session: Session, actor: str, text: str) -> Done:
    clock = session.clock
    events = session.run_many(
        lambda s: [
            commands.note_rca(s, text, actor=actor, clock=clock),
            *closeout.artefact_checks(
                s, closeout.Artefact.RCA, closeout.one_line(text), actor=actor, clock=clock
            ),
        ]
    )
    return closeout.checked_notes(Done(events, "root cause recorded"))


def action_item(
    session: Session,
    actor: str,
    text: str,
    *,
    owner: str = "",
    due: date | None = None,
    priority: str = "",
    type: str = "",
    ticket: str = "",
) -> Done:
    clock = session.clock
    events = session.run_many(
        lambda s: [
            commands.add_action_item(
                s,
                text,
                actor=actor,
                clock=clock,
                owner=owner,
                due=due,
                priority=priority,
                type=type,
                ticket=ticket,
            )
        ]
    )
    return Done(events, f"action item {len(session.state.action_items)} recorded")


def lesson(session: Session, actor: str, text: str, *, kind: str = "") -> Done:
    clock = session.clock
    events = session.run_many(
        lambda s: [commands.note_lesson(s, text, actor=actor, clock=clock, category=kind)]
    )
    return Done(events, "lesson recorded")


def schedule(
    session: Session,
    actor: str,
    at: datetime | ReadTime,
    *,
    duration: int = DEFAULT_DURATION_MIN,
    attendees: Sequence[str] = (),
    force: bool = False,
    reason: str = "",
    organizer: str = "",
) -> Done:
    """Book the blameless post-mortem: from resolution to +48 h, later with a reason,
    never in the past (the CLI's `schedule-postmortem` and the TUI's booking alike).
    A time typed without a zone (`ReadTime`) is confirmed with the zone it was read in."""
    read = at if isinstance(at, ReadTime) else ReadTime(at)
    at = read.at
    clock = session.clock
    events = session.run_many(
        lambda s: [
            commands.schedule_postmortem(
                s,
                at,
                actor=actor,
                clock=clock,
                duration_min=duration,
                attendees=attendees,
                force=force,
                reason=reason,
                organizer=organizer,
            ),
            *closeout.artefact_checks(  # the booking checks its close-out step
                s,
                closeout.Artefact.BOOKING,
                closeout.booking_text(at, duration),
                actor=actor,
                clock=clock,
            ),
        ]
    )
    booked = session.state.postmortem
    window = meeting_window(session.state)
    sooner = (
        sooner_than_advised(window, booked.starts_at)
        if booked is not None and window is not None and not booked.forced
        else None
    )
    said = f"post-mortem booked for {utc_text(at)} ({duration} min)"
    if read.zone:
        said += f": {read.said()}"
    missing = uninvited(booked) if booked is not None else None
    return closeout.checked_notes(
        Done(events, said, [sooner] if sooner else [], [f"warning: {missing}"] if missing else [])
    )
