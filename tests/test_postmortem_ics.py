"""The post-mortem's calendar file (RFC 5545 and 5546), from a booked meeting."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import unquote

import icalendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from incident import commands
from incident.commands import CommandError
from incident.reports.ics import MAX_OCTETS, NotScheduled, escape_text, fold, postmortem_ics
from incident.reports.postmortem import mailto_uri
from tests.test_postmortem import CLOSE_AFTER, CLOSED_AT, book, closed_an_hour_ago, open_incident


@pytest.fixture
def closed_session(small_runbook, clock):
    return closed_an_hour_ago(small_runbook, clock)


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


def refolded(text: str, old: str, new: str) -> str:
    """`text` with `old` replaced by `new` in its unfolded lines, folded again."""
    return "".join(fold(line.replace(old, new)) + "\r\n" for line in unfold(text))


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
    assert str(organizer) == "mailto:ada@example.com"
    attendees = event["ATTENDEE"]
    assert [str(a) for a in attendees] == ["mailto:bo@example.com", "mailto:cy@example.org"]
    assert {a.params["RSVP"] for a in attendees} == {"TRUE"}
    assert {a.params["PARTSTAT"] for a in attendees} == {"NEEDS-ACTION"}


def test_the_organizer_is_not_named_after_who_booked_and_the_description_says_how_to_get_the_report(
    closed_session, clock
):
    """Booked by `ada` for mia@example.com: the file named Ada as the organizer of
    Mia's address, gave its key moments as T+ alone, sent invitees to a database they
    do not have, and counted the record's events without the head that makes it a
    kept head (ux_review16 #10)."""
    booking = book(
        closed_session,
        clock,
        CLOSED_AT + timedelta(hours=20),
        attendees=["Chidi Okafor", "mia@example.com"],
        organizer="mia@example.com",
    )
    events = closed_session.log.events("INC-PM-1")
    _, event = parsed(postmortem_ics(closed_session.state, events))
    organizer = event["ORGANIZER"]
    assert str(organizer) == "mailto:mia@example.com" and "CN" not in organizer.params
    description = str(event["DESCRIPTION"]).split("\n")
    assert "Incident closed: T+30:00 (09:30:00 UTC)" in description
    assert booking.hash == events[-1].hash and len(booking.hash) == 64
    record = next(line for line in description if line.startswith("Record when booked:"))
    assert f"head {booking.hash}" in record
    assert f"lastgood verify INC-PM-1 --expect-head {booking.hash}" in record
    report = next(line for line in description if line.startswith("Report and timeline:"))
    assert report.startswith("Report and timeline: ask mia@example.com for them")
    assert "lastgood export INC-PM-1 -o report.md" in report


def test_a_key_moment_on_another_day_carries_its_date(small_runbook, clock):
    session = open_incident(small_runbook, clock)
    clock.advance(15 * 3600)  # closed after midnight UTC
    session.run(lambda s: commands.close(s, actor="ada", clock=clock, force=True, reason="t"))
    clock.advance(600)
    book(session, clock, clock.now() + timedelta(hours=20))
    _, event = parsed(postmortem_ics(session.state, session.log.events("INC-PM-1")))
    description = str(event["DESCRIPTION"]).split("\n")
    closed = next(line for line in description if line.startswith("Incident closed:"))
    assert closed.endswith("(2026-11-29 00:00:00 UTC)"), closed
    who = next(line for line in description if line.startswith("Report and timeline:"))
    assert who.startswith("Report and timeline: ask ada for them")  # no organizer: the booker


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
    assert escape_text("a,b;c\\d\ne\r\nf\x00g\rh") == "a\\,b\\;c\\\\d\\ne\\nf␀g␍h"
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
    booking = next(e for e in reversed(record.events) if e.kind == "postmortem.scheduled")
    # the head depends on where the runbook file lives: the same length, so it folds alike
    check_golden("closed-postmortem.ics", refolded(text, booking.hash, "0" * len(booking.hash)))
    assert properties(text)["DTSTART"] == "20261129T110000Z"
