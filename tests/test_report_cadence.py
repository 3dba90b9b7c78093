"""The report says how the stakeholder messages kept the runbook's update cadence.

An incident on the bundled runbook (first update within 5 minutes of the
declaration, then every 20 after the last message), recorded in a real SQLite file
on a manual clock, read back with a CommonMark parser. The drill's score card
replays the same cadence (`updates_due`) and must count the same. The last test
reads the key moment those checks make, on the same kind of record.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from incident import commands
from incident.app.session import IncidentSession
from incident.commands import Declaration
from incident.core.clock import ManualClock
from incident.reports.drill_score import cadence_tally
from incident.reports.milestones import milestones
from incident.reports.report import markdown_report
from store.sqlite_log import SqliteEventLog
from tests.conftest import T0
from tests.golden.markdown_checks import inline_text, tokens
from tui.demo.scenarios import bundled_runbook


def _incident(db: Path) -> tuple[IncidentSession, ManualClock, SqliteEventLog]:
    clock = ManualClock(T0)
    details = Declaration(title="Checkout errors", severity="SEV2", commander="Ada")
    event = commands.declare(bundled_runbook(), details, actor="ada", clock=clock)
    log = SqliteEventLog.open(db)
    return IncidentSession.declare(log, event, clock), clock, log


def _send(session: IncidentSession, clock: ManualClock, at_min: float, template: str) -> None:
    clock.set(T0 + timedelta(minutes=at_min))
    session.run(
        lambda s: commands.send_communication(s, actor="ada", clock=clock, template=template)
    )


def _cadence_paragraphs(report: str) -> list[str]:
    found = tokens(report)
    texts = [inline_text(t) for t in found if t.type == "inline"]
    start = texts.index("Communications log")
    return [t for t in texts[start:] if "cadence" in t or t.startswith("Due T+")]


def test_an_update_sent_late_is_said_late_with_its_due_time(tmp_path):
    session, clock, log = _incident(tmp_path / "incidents.db")
    with log:
        _send(session, clock, 3, "announce")  # on time: the first was due at T+5
        _send(session, clock, 26.5, "update")  # due at T+23 (3 + 20): 3m30s late
        _send(session, clock, 40, "resolved")  # due at T+46.5: on time
        clock.advance(60)
        session.run(
            lambda s: commands.close(s, actor="ada", clock=clock, force=True, reason="test")
        )
        state, events = session.state, log.events(session.state.id)
    report = markdown_report(state, events, clock.now())
    assert _cadence_paragraphs(report) == [
        "Against the runbook's update cadence (the first within 5 minutes of the "
        "declaration, then every 20 minutes after the last message, until resolved): "
        "3 messages up to the resolution, 2 on time, 1 late.",
        "Due T+23:00 · 09:23:00 UTC; sent at T+26:30, 3m30s late.",
    ]
    tally = cadence_tally(state, clock.now())
    assert (tally.sent, tally.late, tally.worst) == (3, 1, timedelta(minutes=3, seconds=30))


def test_an_update_never_sent_is_said_missing_while_the_incident_is_open(tmp_path):
    session, clock, log = _incident(tmp_path / "incidents.db")
    with log:
        _send(session, clock, 2, "announce")
        clock.set(T0 + timedelta(minutes=30))  # the next was due at T+22
        state, events = session.state, log.events(session.state.id)
    report = markdown_report(state, events, clock.now())
    assert _cadence_paragraphs(report) == [
        "Against the runbook's update cadence (the first within 5 minutes of the "
        "declaration, then every 20 minutes after the last message, until resolved): "
        "1 message so far, all on time; 1 update not sent.",
        "Due T+22:00 · 09:22:00 UTC; no message by the time of this report.",
    ]
    assert cadence_tally(state, clock.now()).overdue_now == timedelta(minutes=8)


def test_the_page_to_the_responders_is_no_update_and_the_report_says_so(tmp_path):
    """Review 3, finding 3: only the team paged at T+01:22, the first stakeholder
    message at T+05:08. The report counted the page as the first update, on time."""
    session, clock, log = _incident(tmp_path / "incidents.db")
    with log:
        _send(session, clock, 1 + 22 / 60, "paging")
        _send(session, clock, 5 + 8 / 60, "initiating")
        clock.set(T0 + timedelta(minutes=10))
        state, events = session.state, log.events(session.state.id)
    report = markdown_report(state, events, clock.now())
    assert _cadence_paragraphs(report) == [
        "Against the runbook's update cadence (the first within 5 minutes of the "
        "declaration, then every 20 minutes after the last message, until resolved): "
        "1 message so far, 0 on time, 1 late. Not counted: 1 message to the responders "
        "(paging), which is not a stakeholder update.",
        "Due T+05:00 · 09:05:00 UTC; sent at T+05:08, 8s late.",
    ]


def test_service_verified_is_the_last_verification_recorded_when_two_share_a_moment(tmp_path):
    """The headless demo checks its verification steps within one millisecond: the
    first was taken for the last, and the timeline starred it "Service verified"
    above the check that came after it."""
    session, clock, log = _incident(tmp_path / "incidents.db")
    with log:
        clock.advance(600)
        for step in ("confirm-version", "check-health", "smoke-test"):
            session.run(
                lambda s, step=step: commands.check_step(
                    s, step, actor="ada", clock=clock, evidence="seen", override="test"
                )
            )
        state, events = session.state, log.events(session.state.id)
    verified = next(m for m in milestones(state, events) if m.key == "service_verified")
    assert verified.detail == "smoke-test checked by ada"
    assert verified.seq == events[-1].seq


def test_a_declined_update_is_listed_with_who_and_why_and_the_resolution_is_not_it(tmp_path):
    """ux_review10 #6: Bo declined the update due at T+23 ("service restored"), then
    sent the resolution at T+23:34. The log counted the resolution as that update,
    "34s late", left the decline out, and the Timeline said the update was not sent
    and that it was "due at update-due"."""
    session, clock, log = _incident(tmp_path / "incidents.db")
    with log:
        _send(session, clock, 3, "announce")  # the next update due at T+23
        clock.set(T0 + timedelta(minutes=22, seconds=30))  # offered a minute early
        session.run(
            lambda s: commands.decline(
                s, "update", "service restored; **resolution** next", actor="bo", clock=clock
            )
        )
        clock.set(T0 + timedelta(minutes=23, seconds=5))
        session.run_many(lambda s: commands.record_overdue_update(s, actor="lastgood", clock=clock))
        _send(session, clock, 23 + 34 / 60, "resolved")
        state, events = session.state, log.events(session.state.id)
    report = markdown_report(state, events, clock.now())
    assert _cadence_paragraphs(report) == [
        "Against the runbook's update cadence (the first within 5 minutes of the "
        "declaration, then every 20 minutes after the last message, until resolved): "
        "2 messages up to the resolution, all on time; 1 update not sent (1 declined).",
        "Due T+23:00 · 09:23:00 UTC; not sent: declined by bo at T+22:30: service "
        "restored; **resolution** next (the next 20 minutes after it).",
    ]
    assert "34s late" not in report
    # the Timeline: the due time as T+ and clock time, and the same verdict: not sent
    assert (
        "· bo · Chose not to send the update message due at T+23:00 · 09:23:00 UTC: "
        "service restored; \\*\\*resolution\\*\\* next"
    ) in report
    assert "due at update-due" not in report
    assert "The stakeholder update due at 09:23:00 UTC was not sent" in report
    tally = cadence_tally(state, clock.now())
    assert (tally.sent, tally.late, tally.overdue_now) == (2, 0, timedelta(0))
