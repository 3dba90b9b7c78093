"""Post-mortem work: RCA, action items, lessons, the 24-48 h meeting rule and its .ics."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from urllib.parse import unquote

import icalendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from incident import commands
from incident.app.session import IncidentSession
from incident.commands import CommandError, Declaration
from incident.core.clock import ManualClock
from incident.core.state import fold as fold_events
from incident.reports.describe import describe
from incident.reports.ics import MAX_OCTETS, NotScheduled, escape_text, fold, postmortem_ics
from incident.reports.postmortem import booking_reminder, mailto_uri
from runbooks.model import Runbook
from tests.conftest import T0
from tests.memory_log import MemoryLog

CLOSE_AFTER = timedelta(minutes=30)
CLOSED_AT = T0 + CLOSE_AFTER


def open_incident(runbook: Runbook, clock: ManualClock, title: str = "Checkout errors"):
    details = Declaration(title=title, severity="SEV2", commander="Ada", issue="500s")
    event = commands.declare(runbook, details, actor="ada", clock=clock, incident_id="INC-PM-1")
    return IncidentSession.declare(MemoryLog(), event, clock)


@pytest.fixture
def closed_session(small_runbook, clock):
    session = open_incident(small_runbook, clock)
    clock.advance(CLOSE_AFTER.total_seconds())
    session.run(lambda s: commands.close(s, actor="ada", clock=clock, force=True, reason="test"))
    assert session.state.closed_at == CLOSED_AT
    clock.advance(3600)
    return session


def book(session, clock, starts_at: datetime, **options):
    return session.run(
        lambda s: commands.schedule_postmortem(s, starts_at, actor="ada", clock=clock, **options)
    )


def test_meeting_more_than_48_hours_after_resolution_needs_a_reason(closed_session, clock):
    with pytest.raises(CommandError) as refused:
        book(closed_session, clock, CLOSED_AT + timedelta(hours=48, minutes=1))
    message = str(refused.value)
    assert "within 48 h of resolution (2026-11-28 09:30:00 UTC)" in message
    assert "by 2026-11-30 09:30:00 UTC, not 2026-11-30 09:31:00 UTC" in message
    assert "needs a reason" in message and "--" not in message  # domain words
    assert refused.value.needs == ("reason",)  # each face phrases the remedy
    assert closed_session.state.postmortem is None


def test_meeting_before_the_resolution_is_refused_even_with_a_reason(closed_session, clock):
    with pytest.raises(CommandError, match="cannot start before the resolution"):
        book(closed_session, clock, CLOSED_AT - timedelta(minutes=1), reason="x", force=True)
    assert closed_session.state.postmortem is None


@pytest.mark.parametrize(
    "after",
    [timedelta(hours=1), timedelta(hours=14), timedelta(hours=24), timedelta(hours=48)],
    ids=["now", "next-morning-14h", "24h", "48h"],
)
def test_meeting_from_resolution_to_48_hours_is_booked(closed_session, clock, after):
    event = book(closed_session, clock, CLOSED_AT + after, attendees=["Ada", " Bo ", "", "Ada"])
    meeting = closed_session.state.postmortem
    assert meeting is not None
    assert meeting.starts_at == CLOSED_AT + after
    assert meeting.ends_at == CLOSED_AT + after + timedelta(minutes=60)
    assert meeting.attendees == ("Ada", "Bo")
    assert not meeting.forced
    assert event.payload["window"] == ["2026-11-28T09:30:00.000Z", "2026-11-30T09:30:00.000Z"]


def test_a_meeting_may_start_at_the_resolution_when_booked_then(small_runbook, clock):
    session = open_incident(small_runbook, clock)
    clock.advance(CLOSE_AFTER.total_seconds())
    session.run(lambda s: commands.close(s, actor="ada", clock=clock, force=True, reason="test"))
    book(session, clock, CLOSED_AT)
    assert session.state.postmortem is not None
    assert session.state.postmortem.starts_at == CLOSED_AT


@pytest.mark.parametrize("options", [{}, {"force": True, "reason": "we met already"}])
def test_a_meeting_in_the_past_is_refused_against_the_clock_when_recorded(
    closed_session, clock, options
):
    """An hour after the close, a start half an hour after it is inside the 48 h window
    but already past: the booking would be an invitation to a meeting that cannot be
    held. A reason changes nothing (it excuses a late start, not a past one)."""
    now = clock.now()
    with pytest.raises(CommandError) as refused:
        book(closed_session, clock, now - timedelta(minutes=30), **options)
    assert str(refused.value) == (
        "the post-mortem cannot start in the past: 2026-11-28 10:00:00 UTC was given, "
        "and it is now 2026-11-28 10:30:00 UTC"
    )
    assert refused.value.needs == ("at",)
    assert closed_session.state.postmortem is None
    book(closed_session, clock, now)  # from now on is fine
    assert closed_session.state.postmortem is not None


def test_forced_booking_outside_the_window_records_its_reason(closed_session, clock):
    event = book(
        closed_session,
        clock,
        CLOSED_AT + timedelta(hours=72),
        force=True,
        reason="half the team is at a conference",
        duration_min=90,
    )
    meeting = closed_session.state.postmortem
    assert meeting is not None and meeting.forced
    assert meeting.reason == "half the team is at a conference"
    assert meeting.duration_min == 90
    assert event.payload["forced"] is True
    assert "outside its window: half the team" in describe(event)


def test_a_reason_alone_books_a_late_meeting(closed_session, clock):
    book(closed_session, clock, CLOSED_AT + timedelta(hours=60), reason="Bo is away")
    meeting = closed_session.state.postmortem
    assert meeting is not None and meeting.forced and meeting.reason == "Bo is away"


# --- the +24 h reminder (clock injected) -------------------------------------------


def test_reminder_comes_24_hours_after_resolution_while_nothing_is_booked(closed_session, clock):
    state = closed_session.state
    assert booking_reminder(state, CLOSED_AT + timedelta(hours=23, minutes=59)) is None
    due = booking_reminder(state, CLOSED_AT + timedelta(hours=24))
    assert due is not None and not due.late
    assert due.due_at == CLOSED_AT + timedelta(hours=24)
    assert due.text == "Post-mortem not booked yet: book it to start by 2026-11-30 09:30:00 UTC"
    late = booking_reminder(state, CLOSED_AT + timedelta(hours=48, seconds=1))
    assert late is not None and late.late and "now needs a reason" in late.text


def test_no_reminder_before_resolution_or_once_booked(small_runbook, clock, closed_session):
    still_open = open_incident(small_runbook, clock).state
    assert booking_reminder(still_open, T0 + timedelta(days=3)) is None
    book(closed_session, clock, CLOSED_AT + timedelta(hours=30))
    assert booking_reminder(closed_session.state, CLOSED_AT + timedelta(hours=40)) is None


@pytest.mark.parametrize("reason", ["", "   "])
def test_forced_booking_without_a_reason_is_refused(closed_session, clock, reason):
    with pytest.raises(CommandError, match="needs a reason"):
        book(closed_session, clock, CLOSED_AT + timedelta(hours=72), force=True, reason=reason)


def test_booking_before_close_is_refused(small_runbook, clock):
    session = open_incident(small_runbook, clock)
    with pytest.raises(CommandError, match=r"still open.*send the resolution message or close"):
        book(session, clock, T0 + timedelta(hours=30))


@pytest.mark.parametrize(
    ("starts_at", "options", "message"),
    [
        (datetime(2026, 11, 29, 12, 0), {}, "needs a timezone"),
        (CLOSED_AT + timedelta(hours=30), {"duration_min": 0}, "1 to 480 minutes"),
        (CLOSED_AT + timedelta(hours=30), {"duration_min": 481}, "1 to 480 minutes"),
    ],
)
def test_bad_meetings_are_refused(closed_session, clock, starts_at, options, message):
    with pytest.raises(CommandError, match=message):
        book(closed_session, clock, starts_at, **options)


def test_rebooking_moves_the_same_meeting(closed_session, clock):
    book(closed_session, clock, CLOSED_AT + timedelta(hours=25))
    first = postmortem_ics(closed_session.state, closed_session.log.events("INC-PM-1"))
    clock.advance(60)
    event = book(closed_session, clock, CLOSED_AT + timedelta(hours=30))
    assert event.payload["previous_starts_at"] == "2026-11-29T10:30:00.000Z"
    state = closed_session.state
    assert len(state.postmortem_history) == 2
    assert state.postmortem is not None
    assert state.postmortem.starts_at == CLOSED_AT + timedelta(hours=30)
    second = postmortem_ics(state, closed_session.log.events("INC-PM-1"))
    assert properties(first)["UID"] == properties(second)["UID"]
    assert (properties(first)["SEQUENCE"], properties(second)["SEQUENCE"]) == ("0", "1")
    assert properties(second)["DTSTART"] == "20261129T153000Z"


def test_a_move_keeps_its_organizer_and_attendees_so_the_invitation_moves(closed_session, clock):
    """Booked again without --organizer and --attendees, the invitation became a plain
    published event (METHOD:PUBLISH, no ATTENDEE): the invitees never saw the move (a
    hostile review). What is not given stays; what is given replaces it."""
    invited = {"organizer": "ada@example.com", "attendees": ("bo@example.com", "Cy")}
    book(closed_session, clock, CLOSED_AT + timedelta(hours=25), **invited)
    clock.advance(60)
    book(closed_session, clock, CLOSED_AT + timedelta(hours=30))
    moved = closed_session.state.postmortem
    assert moved is not None
    assert (moved.organizer, moved.attendees) == ("ada@example.com", ("bo@example.com", "Cy"))
    ics = postmortem_ics(closed_session.state, closed_session.log.events("INC-PM-1"))
    assert properties(ics)["METHOD"] == "REQUEST" and "ATTENDEE" in ics
    clock.advance(60)
    book(closed_session, clock, CLOSED_AT + timedelta(hours=31), attendees=("Di",))
    assert closed_session.state.postmortem is not None
    assert closed_session.state.postmortem.attendees == ("Di",)


def test_rca_action_items_and_lessons_are_recorded_after_close(closed_session, clock):
    run = closed_session.run
    run(
        lambda s: commands.note_rca(s, "retry storm\nagainst the gateway", actor="ada", clock=clock)
    )
    run(
        lambda s: commands.add_action_item(
            s, "Add a canary", owner=" Bo ", due=date(2026, 12, 4), actor="ada", clock=clock
        )
    )
    run(lambda s: commands.add_action_item(s, "Alert on retries", actor="cy", clock=clock))
    run(
        lambda s: commands.note_lesson(
            s, "fast trigger", category="went-well", actor="ada", clock=clock
        )
    )
    run(lambda s: commands.note_lesson(s, "no canary", actor="ada", clock=clock))
    state = fold_events(closed_session.log.events("INC-PM-1"))
    assert [(r.text, r.by) for r in state.rca] == [("retry storm\nagainst the gateway", "ada")]
    assert [(a.number, a.text, a.owner, a.due, a.by) for a in state.action_items] == [
        (1, "Add a canary", "Bo", date(2026, 12, 4), "ada"),
        (2, "Alert on retries", "", None, "cy"),
    ]
    assert [(x.text, x.category) for x in state.lessons] == [
        ("fast trigger", "went-well"),
        ("no canary", ""),
    ]


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (lambda s, c: commands.note_rca(s, "  ", actor="a", clock=c), "cannot be empty"),
        (lambda s, c: commands.add_action_item(s, "", actor="a", clock=c), "cannot be empty"),
        (
            lambda s, c: commands.add_action_item(
                s, "x", due=date(2026, 11, 1), actor="a", clock=c
            ),
            "before the incident",
        ),
        (lambda s, c: commands.note_lesson(s, "\n", actor="a", clock=c), "cannot be empty"),
        (
            lambda s, c: commands.note_lesson(s, "x", category="meh", actor="a", clock=c),
            "unknown lesson kind 'meh'",
        ),
    ],
)
def test_empty_or_bad_followups_are_refused(closed_session, clock, command, message):
    with pytest.raises(CommandError, match=message):
        command(closed_session.state, clock)


# --- the calendar file ------------------------------------------------------------


def unfold(text: str) -> list[str]:
    assert text.endswith("\r\n")
    return text.replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")[:-1]


def unescape(value: str) -> str:
    out, chars = [], iter(value)
    for char in chars:
        if char == "\\":
            following = next(chars)
            out.append("\n" if following in "nN" else following)
        else:
            out.append(char)
    return "".join(out)


def properties(text: str) -> dict[str, str]:
    found = {}
    for line in unfold(text):
        name, _, value = line.partition(":")
        found.setdefault(name.split(";")[0], value)
    return found


TRICKY_TITLE = "Checkout, payments; refunds \\ all down — 決済エラー 🔥 " + "long " * 11 + "end"


@pytest.fixture
def ics_text(small_runbook, clock):
    session = open_incident(small_runbook, clock, title=TRICKY_TITLE)
    clock.advance(CLOSE_AFTER.total_seconds())
    session.run(lambda s: commands.close(s, actor="ada", clock=clock, force=True, reason="t"))
    clock.advance(600)
    book(
        session,
        clock,
        CLOSED_AT + timedelta(hours=26),
        duration_min=45,
        attendees=["Ada, the IC", "bo@example.com"],
    )
    return postmortem_ics(session.state, session.log.events("INC-PM-1"))


def test_ics_is_crlf_and_folded_at_75_octets(ics_text):
    assert "\n" not in ics_text.replace("\r\n", "")
    physical = ics_text.split("\r\n")[:-1]
    assert max(len(line.encode("utf-8")) for line in physical) <= MAX_OCTETS
    assert any(line.startswith(" ") for line in physical), "long lines are folded"
    assert physical[0] == "BEGIN:VCALENDAR" and physical[-1] == "END:VCALENDAR"


def test_ics_unfolds_to_the_meeting(ics_text):
    lines = unfold(ics_text)
    assert lines[:2] == ["BEGIN:VCALENDAR", "VERSION:2.0"]
    assert lines.count("BEGIN:VEVENT") == 1 and lines.count("END:VEVENT") == 1
    props = properties(ics_text)
    assert props["UID"] == "postmortem-INC-PM-1@lastgood"
    assert props["DTSTART"] == "20261129T113000Z"
    assert props["DTEND"] == "20261129T121500Z"
    assert props["DTSTAMP"] == "20261128T094000Z"
    assert unescape(props["SUMMARY"]) == f"Post-mortem: {TRICKY_TITLE} (INC-PM-1)"
    description = unescape(props["DESCRIPTION"]).split("\n")
    assert description[0] == "Blameless post-mortem for incident INC-PM-1."
    assert "Attendees: Ada, the IC, bo@example.com" in description
    assert props["METHOD"] == "PUBLISH"  # no organizer: an event to add, not an invitation
    assert not [line for line in lines if line.startswith(("ATTENDEE", "ORGANIZER"))]


def parsed(text: str) -> tuple[icalendar.Calendar, icalendar.Event]:
    """The file as a calendar client reads it (the icalendar library)."""
    calendar = icalendar.Calendar.from_ical(text)
    events = [c for c in calendar.walk() if c.name == "VEVENT"]
    assert len(events) == 1
    return calendar, events[0]


def test_ics_without_organizer_parses_as_a_published_event(ics_text):
    calendar, event = parsed(ics_text)
    assert calendar["METHOD"] == "PUBLISH" and calendar["VERSION"] == "2.0"
    assert "ATTENDEE" not in event and "ORGANIZER" not in event
    assert event.decoded("DTSTART") == CLOSED_AT + timedelta(hours=26)
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=45)
    assert str(event["SUMMARY"]) == f"Post-mortem: {TRICKY_TITLE} (INC-PM-1)"
    assert "Attendees: Ada, the IC, bo@example.com" in str(event["DESCRIPTION"])
    assert str(event["UID"]) == "postmortem-INC-PM-1@lastgood"


def test_ics_with_an_organizer_is_an_invitation_clients_can_answer(closed_session, clock):
    book(
        closed_session,
        clock,
        CLOSED_AT + timedelta(hours=20),
        attendees=["Ada", "bo@example.com", "cy@example.org"],
        organizer="ada@example.com",
    )
    calendar, event = parsed(
        postmortem_ics(closed_session.state, closed_session.log.events("INC-PM-1"))
    )
    assert calendar["METHOD"] == "REQUEST"
    organizer = event["ORGANIZER"]
    assert str(organizer) == "mailto:ada@example.com" and organizer.params["CN"] == "ada"
    attendees = event["ATTENDEE"]
    assert [str(a) for a in attendees] == ["mailto:bo@example.com", "mailto:cy@example.org"]
    assert {a.params["RSVP"] for a in attendees} == {"TRUE"}
    assert {a.params["PARTSTAT"] for a in attendees} == {"NEEDS-ACTION"}


def test_internationalised_addresses_are_invited_in_the_ascii_a_calendar_holds(
    closed_session, clock
):
    """RFC 6531 addresses: the local part percent-encoded (RFC 6068), the domain in IDNA."""
    book(
        closed_session,
        clock,
        CLOSED_AT + timedelta(hours=20),
        attendees=["josé@münchen.de", "用户@例子.广告", "Bo", "ada at example.com"],
        organizer="zoë@exämple.org",
    )
    text = postmortem_ics(closed_session.state, closed_session.log.events("INC-PM-1"))
    unfolded = text.replace("\r\n ", "").splitlines()
    addresses = [line.rpartition(":mailto:")[2] for line in unfolded if ":mailto:" in line]
    assert len(addresses) == 3 and all(address.isascii() for address in addresses)
    calendar, event = parsed(text)
    assert calendar["METHOD"] == "REQUEST"
    assert str(event["ORGANIZER"]) == "mailto:zo%C3%AB@xn--exmple-cua.org"
    assert [str(a) for a in event["ATTENDEE"]] == [
        "mailto:jos%C3%A9@xn--mnchen-3ya.de",
        "mailto:%E7%94%A8%E6%88%B7@xn--fsqu00a.xn--4rr70v",
    ]
    assert [a.params["CN"] for a in event["ATTENDEE"]] == ["josé@münchen.de", "用户@例子.广告"]


@given(st.text(min_size=1, max_size=40))
def test_an_address_is_invited_only_as_a_uri_without_spaces_or_controls(address):
    uri = mailto_uri(address)
    if uri is not None:
        assert uri.isascii() and uri.isprintable() and " " not in uri
        assert uri.startswith("mailto:") and uri.count("@") == 1
        local = address.rpartition("@")[0]
        assert unquote(uri.removeprefix("mailto:").rpartition("@")[0]) == local


def test_an_organizer_without_email_attendees_publishes(closed_session, clock):
    book(closed_session, clock, CLOSED_AT + timedelta(hours=20), organizer="ada@example.com")
    calendar, event = parsed(
        postmortem_ics(closed_session.state, closed_session.log.events("INC-PM-1"))
    )
    assert calendar["METHOD"] == "PUBLISH" and "ATTENDEE" not in event
    assert str(event["ORGANIZER"]) == "mailto:ada@example.com"


def test_an_organizer_must_be_an_email_address(closed_session, clock):
    with pytest.raises(CommandError, match="organizer is an email address, not 'Ada'"):
        book(closed_session, clock, CLOSED_AT + timedelta(hours=20), organizer="Ada")


def test_ics_changes_only_with_a_booking_and_then_sequence_and_dtstamp_go_up(closed_session, clock):
    book(closed_session, clock, CLOSED_AT + timedelta(hours=20), attendees=["Ada"])
    first = postmortem_ics(closed_session.state, closed_session.log.events("INC-PM-1"))
    clock.advance(120)
    closed_session.run(lambda s: commands.note_rca(s, "retry storm", actor="ada", clock=clock))
    later = postmortem_ics(closed_session.state, closed_session.log.events("INC-PM-1"))
    assert later == first  # the record grew, the booking did not: the same file
    clock.advance(60)
    book(closed_session, clock, CLOSED_AT + timedelta(hours=20), attendees=["Ada", "Bo"])
    moved = postmortem_ics(closed_session.state, closed_session.log.events("INC-PM-1"))
    (_, before), (_, after) = parsed(first), parsed(moved)
    assert (before["SEQUENCE"], after["SEQUENCE"]) == (0, 1)
    assert after.decoded("DTSTAMP") - before.decoded("DTSTAMP") == timedelta(seconds=180)
    assert "Attendees: Ada, Bo" in str(after["DESCRIPTION"])


def test_ics_needs_a_booked_meeting(closed_session):
    with pytest.raises(NotScheduled, match="schedule-postmortem INC-PM-1"):
        postmortem_ics(closed_session.state, closed_session.log.events("INC-PM-1"))


def test_text_escaping_and_folding_rules():
    assert escape_text("a,b;c\\d\ne\r\nf\x00g") == "a\\,b\\;c\\\\d\\ne\\nf␀g"
    line = "DESCRIPTION:" + "é" * 100
    folded = fold(line).split("\r\n")
    assert all(len(part.encode("utf-8")) <= MAX_OCTETS for part in folded)
    assert "".join(part[1:] if n else part for n, part in enumerate(folded)) == line
    assert fold("SHORT:x") == "SHORT:x"


def test_closed_scenario_invitation_matches_golden_file():
    from tests.golden.incidents import closed_record
    from tests.golden.markdown_checks import check_golden

    record = closed_record()
    text = postmortem_ics(record.state, record.events)
    check_golden("closed-postmortem.ics", text)
    assert properties(text)["DTSTART"] == "20261129T110000Z"
