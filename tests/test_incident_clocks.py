"""The incident core's clocks without storage or terminal: phase windows, elapsed time,
and the stakeholder-update cadence (a missed update, recorded once)."""

from __future__ import annotations

from datetime import timedelta

from incident import commands
from incident.core.phase_clocks import (
    due_soon_margin,
    elapsed,
    format_offset,
    next_update_due,
)
from tests.conftest import T0
from tests.incident_start import start


def test_due_soon_margin_is_a_fifth_clamped():
    assert due_soon_margin(timedelta(minutes=5)) == timedelta(minutes=1)
    assert due_soon_margin(timedelta(minutes=10)) == timedelta(minutes=2)
    assert due_soon_margin(timedelta(minutes=60)) == timedelta(minutes=5)


def test_next_update_follows_cadence(small_runbook, clock):
    session = start(small_runbook, clock)
    assert next_update_due(session.state) == T0 + timedelta(minutes=5)
    clock.advance(180)
    session.run(lambda s: commands.send_communication(s, actor="a", clock=clock, text="update"))
    assert next_update_due(session.state) == T0 + timedelta(minutes=23)
    session.run(lambda s: commands.close(s, actor="a", clock=clock, force=True, reason="r"))
    assert next_update_due(session.state) is None


def test_elapsed_freezes_at_close(small_runbook, clock):
    session = start(small_runbook, clock)
    clock.advance(300)
    session.run(lambda s: commands.close(s, actor="a", clock=clock, force=True, reason="r"))
    clock.advance(3600)
    assert elapsed(session.state, clock.now()) == timedelta(minutes=5)


def test_offsets_format():
    assert format_offset(timedelta(seconds=65)) == "T+01:05"
    assert format_offset(timedelta(hours=1, seconds=5)) == "T+1:00:05"
    assert format_offset(timedelta(seconds=-30)) == "T-00:30"


def test_a_missed_stakeholder_update_is_recorded_once(small_runbook, clock):
    session = start(small_runbook, clock)
    assert (
        session.run_many(lambda s: commands.record_overdue_update(s, actor="a", clock=clock)) == []
    )
    clock.advance(5 * 60 + 1)
    recorded = session.run_many(lambda s: commands.record_overdue_update(s, actor="a", clock=clock))
    assert [e.payload["due_at"] for e in recorded] == ["2026-11-28T09:05:00.000Z"]
    assert recorded[0].payload["first"] is True
    again = session.run_many(lambda s: commands.record_overdue_update(s, actor="a", clock=clock))
    assert again == []
    assert session.state.overdue_updates == [T0 + timedelta(minutes=5)]
    session.run(lambda s: commands.send_communication(s, actor="a", clock=clock, text="update"))
    clock.advance(20 * 60 + 1)
    late = session.run_many(lambda s: commands.record_overdue_update(s, actor="a", clock=clock))
    assert late[0].payload["first"] is False and late[0].payload["cadence_min"] == 20


def test_a_missed_update_shows_in_the_report_and_the_timeline(small_runbook, clock):
    from incident.reports.report import markdown_report
    from incident.reports.timeline import markdown_timeline

    session = start(small_runbook, clock)
    clock.advance(5 * 60 + 1)
    session.run_many(lambda s: commands.record_overdue_update(s, actor="lastgood", clock=clock))
    events = session.log.events(session.state.id)
    line = "The first stakeholder update due at 09:05:00 UTC was not sent"
    assert line in markdown_report(session.state, events, clock.now())
    assert line in markdown_timeline(session.state, events, clock.now())


def test_the_update_says_the_rollback_is_being_decided_until_it_is(clock):
    """`rollback {status}`: the first update, due before anyone decided, told
    stakeholders "rollback in progress" (a fresh user's review)."""
    from incident.reports.message_context import message_context
    from tests.drill_walk import ACTOR, check, drill_session

    session = drill_session(clock)
    assert message_context(session.state, clock.now())["status"] == "being decided"
    session.run(
        lambda s: commands.approve(
            s, "decide-rollback", by=ACTOR, reason="errors", actor=ACTOR, clock=clock
        )
    )
    session.run_many(lambda s: [check("decide-rollback")(s, clock)])
    assert message_context(session.state, clock.now())["status"] == "in progress"
    session.run(lambda s: commands.close(s, actor=ACTOR, clock=clock, force=True, reason="over"))
    assert message_context(session.state, clock.now())["status"] == "resolved"
