"""Post-mortem work: RCA, action items, lessons and the 24-48 h meeting rule (its calendar
file: test_postmortem_ics.py)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from incident import commands
from incident.app.session import IncidentSession
from incident.commands import CommandError, Declaration
from incident.core.clock import ManualClock
from incident.core.state import fold as fold_events
from incident.reports.describe import describe
from incident.reports.postmortem import booking_reminder
from runbooks.model import Runbook
from tests.conftest import T0
from tests.memory_log import MemoryLog

CLOSE_AFTER = timedelta(minutes=30)
CLOSED_AT = T0 + CLOSE_AFTER


def open_incident(runbook: Runbook, clock: ManualClock, title: str = "Checkout errors"):
    details = Declaration(title=title, severity="SEV2", commander="Ada", issue="500s")
    event = commands.declare(runbook, details, actor="ada", clock=clock, incident_id="INC-PM-1")
    return IncidentSession.declare(MemoryLog(), event, clock)


def closed_an_hour_ago(runbook: Runbook, clock: ManualClock) -> IncidentSession:
    """An incident closed at CLOSED_AT, the clock an hour later."""
    session = open_incident(runbook, clock)
    clock.advance(CLOSE_AFTER.total_seconds())
    session.run(lambda s: commands.close(s, actor="ada", clock=clock, force=True, reason="test"))
    assert session.state.closed_at == CLOSED_AT
    clock.advance(3600)
    return session


@pytest.fixture
def closed_session(small_runbook, clock):
    return closed_an_hour_ago(small_runbook, clock)


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
