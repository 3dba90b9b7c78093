"""The post-mortem meeting as an RFC 5545 calendar file (`.ics`).

Two shapes, as RFC 5546 allows and calendar clients expect: an invitation
(METHOD:REQUEST, with the ORGANIZER who books it and an ATTENDEE line for each
attendee with an email address) when the booking names an organizer's email and
someone to invite; otherwise an event to add to a calendar (METHOD:PUBLISH, no
attendees: they are listed in the description).

One VEVENT per incident: its UID is stable, so booking the meeting again and
re-importing the file moves the same event. The file is a function of the record
as it stood at the latest booking: SEQUENCE counts the bookings before it, DTSTAMP
is when it was recorded, and the description is written from the events up to it,
so what a client sees changes only with a new booking, and then SEQUENCE and
DTSTAMP go up with it. Text values are escaped (backslash, semicolon, comma,
newline) and every content line is folded at 75 octets with CRLF line breaks.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from incident.core.events import Event, Kind
from incident.core.phase_clocks import t_plus
from incident.core.records import PostmortemMeeting
from incident.core.state import IncidentState
from incident.core.state import fold as fold_events
from incident.core.text import counted, visible, visible_block
from incident.core.timefmt import utc_time
from incident.core.verification import verification
from incident.reports.milestones import milestones
from incident.reports.postmortem import mailto_uri, meeting_window, summary_line, utc_text

PRODID = "-//lastgood//post-mortem invitation//EN"
MAX_OCTETS = 75


class NotScheduled(LookupError):
    """The incident has no post-mortem booked, so there is nothing to export."""


def escape_text(value: str) -> str:
    """An RFC 5545 TEXT value: `\\`, `;`, `,` and newlines escaped, controls shown.

    Only a newline (or CRLF) is a line break; a lone CR is shown as `␍`, as every other
    output shows it: written as `\\n`, it put a title on two lines in a calendar. The
    fields a person typed go in as one line each (`visible`), so a newline in one cannot
    forge a line of the description either."""
    out = []
    for char in visible_block(value):
        if char == "\\":
            out.append("\\\\")
        elif char in ";,":
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        else:
            out.append(char)
    return "".join(out)


def _param(value: str) -> str:
    """A quoted parameter value: no DQUOTE, and control characters shown."""
    cleaned = visible(value).replace('"', "")
    return f'"{cleaned}"'


def fold(line: str) -> str:
    """Fold one content line: at most 75 octets per physical line, never inside a
    UTF-8 character; continuation lines start with a space."""
    pieces: list[bytes] = []
    current = b""
    limit = MAX_OCTETS
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > limit:
            pieces.append(current)
            current = encoded
            limit = MAX_OCTETS - 1
        else:
            current += encoded
    pieces.append(current)
    return "\r\n ".join(piece.decode("utf-8") for piece in pieces)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _when(state: IncidentState, at: datetime) -> str:
    """`T+01:50 (09:01:50 UTC)`: the offset the documents use and the clock time an
    invitee remembers; the date too on another day than the impact start's."""
    same_day = at.astimezone(UTC).date() == state.started_at.astimezone(UTC).date()
    clock = f"{utc_time(at)} UTC" if same_day else utc_text(at)
    return f"{t_plus(state, at)} ({clock})"


def report_contact(meeting: PostmortemMeeting) -> str:
    """Whom an invitee without the record asks for the report: the organizer's address,
    else who booked the meeting."""
    return meeting.organizer or meeting.by


def uninvited(meeting: PostmortemMeeting) -> str | None:
    """One line naming the attendees the calendar file does not invite, said when the
    meeting is booked (they were named in the description only, and nothing said so);
    None when it invites everyone named, or names no one."""
    if meeting.organizer:
        missing = [name for name in meeting.attendees if mailto_uri(name) is None]
        if not missing:
            return None
        return (
            f"not invited, no email address: {visible(', '.join(missing))}"
            " (the invitation names them in its description only)"
        )
    addressed = [name for name in meeting.attendees if mailto_uri(name) is not None]
    if not addressed:
        return None
    return (
        f"not invited: {visible(', '.join(addressed))}: with no organizer's email the"
        " calendar file is an event to add to a calendar, not an invitation"
    )


def description(state: IncidentState, event_count: int, head_hash: str) -> str:
    """The invitation's text: what happened, the key moments, where the record is, and
    how an invitee who has no copy of the record gets the report."""
    meeting = state.postmortem
    lines = [f"Blameless post-mortem for incident {state.id}.", visible(summary_line(state))]
    if state.issue:
        lines.append(f"Issue: {visible(state.issue)}")
    lines.append(f"Impact start (T+0): {utc_text(state.started_at)}")
    for moment in milestones(state, ()):  # the declaration's seq, the one it reads, not shown
        if moment.key in ("impact_start", "declared"):
            continue
        if moment.at is not None:
            lines.append(f"{moment.label}: {_when(state, moment.at)}")
        elif moment.key == "service_verified" and (skipped := verification(state).skipped):
            # not left out: a skipped step verified nothing (ux_review7 F2)
            lines.append(f"{moment.label}: no, {visible(', '.join(skipped))} skipped")
    if meeting is not None and meeting.attendees:
        lines.append(f"Attendees: {visible(', '.join(meeting.attendees))}")
    if meeting is not None and meeting.forced:
        window = meeting_window(state)
        where = f" ({utc_text(window[0])} to {utc_text(window[1])})" if window else ""
        lines.append(f"Booked outside the 48 h after resolution{where}: {visible(meeting.reason)}")
    contact = visible(report_contact(meeting)) if meeting is not None else "the incident team"
    lines += [
        f"Report and timeline: ask {contact} for them; whoever holds the record writes them"
        f" with lastgood export {state.id} -o report.md and lastgood timeline {state.id}"
        " -o timeline.md",
        f"Record when booked: {counted(event_count, 'event')}, head {head_hash}"
        f" (lastgood verify {state.id} --expect-head {head_hash} checks that the record"
        " still holds them)",
    ]
    return "\n".join(lines)


def as_booked(events: Sequence[Event]) -> list[Event]:
    """The record up to and including the latest booking: what the file is written from."""
    last = max((n for n, e in enumerate(events) if e.kind == Kind.POSTMORTEM_SCHEDULED), default=-1)
    return list(events[: last + 1])


def require_booking(state: IncidentState) -> None:
    """`NotScheduled` when no post-mortem is booked: asked before the record is read."""
    if state.postmortem is None:
        raise NotScheduled(
            f"no post-mortem booked for {state.id} "
            f"(lastgood schedule-postmortem {state.id} --at ISO8601)"
        )


def postmortem_ics(state: IncidentState, events: Sequence[Event]) -> str:
    """The calendar file for the booked post-mortem, from the record held in memory;
    `NotScheduled` when there is none."""
    require_booking(state)
    booked = as_booked(events)
    return booked_ics(fold_events(booked), len(booked), booked[-1].hash)


def booked_ics(state: IncidentState, event_count: int, head_hash: str) -> str:
    """The calendar file from the state the latest booking left, `event_count` events
    into the record whose head is then `head_hash` (the booking's own hash;
    `incident.app.invitation` streams a long record to them)."""
    meeting = state.postmortem
    assert meeting is not None  # the state at a booking: its callers asked first
    invited = [(a, uri) for a in meeting.attendees if (uri := mailto_uri(a)) is not None]
    request = bool(meeting.organizer and invited)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"METHOD:{'REQUEST' if request else 'PUBLISH'}",
        "BEGIN:VEVENT",
        f"UID:{escape_text(f'postmortem-{state.id}@lastgood')}",
        f"DTSTAMP:{_stamp(meeting.at)}",
        f"DTSTART:{_stamp(meeting.starts_at)}",
        f"DTEND:{_stamp(meeting.ends_at)}",
        f"SEQUENCE:{len(state.postmortem_history) - 1}",
        f"SUMMARY:{escape_text(f'Post-mortem: {visible(state.title)} ({state.id})')}",
        f"DESCRIPTION:{escape_text(description(state, event_count, head_hash))}",
    ]
    if state.channel:
        lines.append(f"LOCATION:{escape_text(visible(state.channel))}")
    if meeting.organizer:
        # No CN: the organizer is given as an address alone, and the name of who booked
        # it (`by`) put someone else's name on that address (ux_review16 #10).
        organizer = mailto_uri(meeting.organizer) or f"mailto:{meeting.organizer}"  # older checks
        lines.append(f"ORGANIZER:{organizer}")
    if request:
        lines += [
            f"ATTENDEE;CN={_param(address)};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;"
            f"RSVP=TRUE:{uri}"
            for address, uri in invited
        ]
    lines += [
        "STATUS:CONFIRMED",
        "TRANSP:OPAQUE",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + "\r\n" for line in lines)
