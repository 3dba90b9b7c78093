"""The report says what the record bears out, in the words the other faces use.

A fresh reader of a report (review 2, part 4) was misled where it said more than the
record held: probe triggers "not met" and "watched by probes" with no reading ever
recorded (`status` said "no data"); a "Verification evidence" table without the
smoke test and with the close-out steps in it; a "Resolved" star the timeline did not
have; an action item done at a time with no date or zone; a phase finished late read
as "overdue", as an open one does. The incident here is the README's walkthrough, as
that reader ran it: declared 12 minutes after the impact started, every step done by
hand (stakeholders told five minutes after the page, two minutes past phase 1's window,
which opens at the declaration), no probe ever polled, an action item done three days
later.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from functools import cache

from incident import commands
from incident.app.session import IncidentSession
from incident.commands import Declaration
from incident.core.clock import ManualClock
from incident.core.events import NewEvent
from incident.core.state import IncidentState
from incident.reports.brief import brief_text
from incident.reports.report import markdown_report
from incident.reports.status import status_text
from incident.reports.timeline import markdown_timeline
from tests.golden.incidents import PARIS, Record, closed_record
from tests.golden.markdown_checks import tables, tokens
from tests.memory_log import MemoryLog
from tui.demo.scenarios import SCENARIO_T0, bundled_runbook

DECLARED = SCENARIO_T0 + timedelta(minutes=12)


@cache
def walkthrough() -> Record:
    """The README's script, by hand and unpolled, then an action item done 3 days on."""
    clock = ManualClock(DECLARED)
    details = Declaration(
        title="Checkout errors after 2.4.1",
        severity="SEV2",
        commander="Ada",
        issue="checkout failing for 12% of requests",
        eta_min=30,
        pattern="blue-green",
        from_version="2.4.1",
        last_good_version="2.4.0",
        started_at=SCENARIO_T0,
    )
    declared = commands.declare(
        bundled_runbook(), details, actor="Ada", clock=clock, incident_id="INC-WALK"
    )
    log = MemoryLog()
    session = IncidentSession.declare(log, declared, clock)

    def run(command: Callable[[IncidentState], NewEvent], after_s: float = 10) -> None:
        clock.advance(after_s)
        session.run(command)

    def check(step: str, *, note: str = "", evidence: str = "") -> None:
        run(
            lambda s: commands.check_step(
                s, step, actor="Ada", clock=clock, note=note, evidence=evidence
            )
        )

    check("assess-severity", note="5xx at 12%, over the 5% trigger")
    check("create-channel", note="#inc-checkout")
    check("assign-commander")
    run(
        lambda s: commands.mark_trigger(
            s, "core-broken", True, actor="Ada", clock=clock, note="checkout fails for 1 in 8"
        )
    )
    run(
        lambda s: commands.approve(
            s,
            "decide-rollback",
            by="Ada",
            reason="core functionality broken",
            actor="Ada",
            clock=clock,
        )
    )
    check("decide-rollback", note="initiate rollback")
    for template, step, after_s in (
        ("announce", "announce-rollback", 10),
        ("paging", "assemble-team", 10),
        ("initiating", "notify-stakeholders", 310),  # told late: phase 1 over its window
    ):
        run(
            lambda s, t=template: commands.send_communication(
                s, actor="Ada", clock=clock, template=t
            ),
            after_s,
        )
        check(step, note="message sent")
    run(
        lambda s: commands.skip_step(
            s,
            "record-running-version",
            reason="2.4.1 is in the deploy log",
            actor="Ada",
            clock=clock,
        )
    )
    check("app-rollback-blue-green", note="load balancer back on blue (2.4.0)")
    run(
        lambda s: commands.choose_database_tier(
            s, "none", reason="expand-contract", actor="Ada", clock=clock
        )
    )
    check("database-rollback", note="tier none: nothing to revert")
    check("confirm-version", evidence="/version answers 2.4.0")
    run(
        lambda s: commands.mark_trigger(
            s, "core-broken", False, actor="Ada", clock=clock, note="checkout works again"
        )
    )
    check("check-health", evidence="5xx back to 0.2%, the baseline")
    check("smoke-test", evidence="logged in and checked out by hand")
    run(lambda s: commands.send_communication(s, actor="Ada", clock=clock, template="resolved"))
    check("communicate-resolution", note="message sent")
    run(
        lambda s: commands.note_rca(
            s, "2.4.1 retried payment-gateway 502s without backoff", actor="Ada", clock=clock
        )
    )
    check(
        "preliminary-rca",
        note="root cause recorded",
        evidence="2.4.1 retried payment-gateway 502s without backoff",
    )
    run(
        lambda s: commands.schedule_postmortem(
            s, DECLARED + timedelta(hours=26), attendees=["Ada", "Bo"], actor="Ada", clock=clock
        )
    )
    check("schedule-post-mortem", note="post-mortem booked", evidence="post-mortem booked")
    check("document-incident", note="report exported", evidence="report report-pre.md, head ab")
    run(lambda s: commands.close(s, actor="Ada", clock=clock))
    run(
        lambda s: commands.add_action_item(
            s,
            "Restore the canary stage",
            owner="Bo",
            due=date(2026, 12, 4),
            actor="Ada",
            clock=clock,
        )
    )
    run(
        lambda s: commands.mark_action_done(s, 1, note="canary back", actor="Bo", clock=clock),
        3 * 86400,
    )
    return Record(session.state, log.events("INC-WALK"), clock.now())


def report() -> str:
    record = walkthrough()
    return markdown_report(record.state, record.events, record.now, tz=PARIS)


def timeline() -> str:
    record = walkthrough()
    return markdown_timeline(record.state, record.events, record.now, tz=PARIS)


def table_after(text: str, heading: str) -> list[list[str]]:
    """The first table after `heading` (a `### ` line), as rows of cells."""
    part = text.split(f"\n{heading}\n", 1)[1]
    return tables(tokens(part))[0]


def test_probe_triggers_never_polled_say_so_as_status_does():
    """Finding 22: the criteria said "not met" where `status` said "no data"."""
    record = walkthrough()
    assert not record.state.samples  # nothing was ever polled
    criteria = {row[0]: row[2] for row in table_after(report(), "### Rollback criteria")[1:]}
    assert criteria == {
        "Error rate > 5%": "no data (never polled)",
        "Health checks failing (3 in a row)": "no data (never polled)",
        "Core functionality broken": "T+12:40",
    }
    said = next(
        line
        for line in status_text(record.state, record.now).splitlines()
        if line.startswith("triggers: ")
    )
    assert said == (
        "triggers: error-rate no data (never polled); health-failing no data (never polled); "
        "core-broken not met (met once by Ada at T+12:40, cleared by Ada at T+20:00)"
    )
    assert "error-rate no data (never polled)" in " ".join(
        brief_text(record.state, record.now).split()
    )


def test_detection_says_no_probe_watched_when_none_produced_a_reading():
    """Finding 22: "Watched by probes" of probes never polled."""
    detection = report().split("\n## Detection\n", 1)[1].split("\n### ", 1)[0]
    assert "Watched by probes" not in detection
    assert (
        "- Not watched: no probe reading was recorded (never polled), so these triggers were "
        "never judged: error-rate \\> 0.05 for 3 samples, 3 consecutive failed checks of "
        "health." in detection.splitlines()
    )


def test_polled_probes_are_watched_and_their_triggers_not_met():
    """With readings, a trigger never met is "not met", and its probe watched."""
    record = closed_record()
    text = markdown_report(record.state, record.events, record.now, tz=PARIS)
    assert (
        "- Watched by probes: error-rate \\> 0.05 for 3 samples, 3 consecutive failed checks "
        "of health." in text.splitlines()
    )
    criteria = {row[0]: row[2] for row in table_after(text, "### Rollback criteria")[1:]}
    assert criteria["Health checks failing (3 in a row)"] == "not met"


def test_verification_evidence_lists_the_verification_phase_steps_only():
    """Finding 4: the smoke test was missing and the close-out steps listed."""
    rows = table_after(report(), "### Verification evidence")
    assert [(row[0], row[1], row[4]) for row in rows[1:]] == [
        ("confirm-version", "done", "/version answers 2.4.0"),
        ("check-health", "done", "5xx back to 0.2%, the baseline"),
        ("smoke-test", "done", "logged in and checked out by hand"),
    ]


def starred(text: str) -> list[str]:
    return re.findall(r"★ \*\*([^*]+)\*\*", text)


def test_report_and_timeline_star_the_same_key_moments():
    """Finding 7: the report starred Resolved; the timeline neither starred nor listed it."""
    in_report = starred(report().split("\n## Timeline\n", 1)[1])
    walked = timeline()
    in_timeline = starred(walked)
    listed = [
        line.removeprefix("- ★ ").split(":", 1)[0]
        for line in walked.split("\n## Key moments\n", 1)[1].split("\n## ", 1)[0].splitlines()
        if line.startswith("- ★ ")
    ]
    assert in_report == in_timeline
    assert "Resolved" in in_report
    assert [m for m in listed if m != "Incident declared"] == in_report


def test_an_action_item_done_days_later_has_its_date_and_zone():
    """Finding 6: `done 23:40:43 by Ada`, with no date and no zone."""
    rows = table_after(report(), "## Action Items")
    done_at = walkthrough().state.action_items[0].done_at
    assert done_at is not None and done_at.date() != SCENARIO_T0.date()
    local = done_at.astimezone(PARIS)
    assert rows[1][-1] == (
        f"done {done_at:%Y-%m-%d %H:%M:%S} UTC ({local:%Y-%m-%d %H:%M:%S} CET) by Bo: canary back"
    )


def test_a_phase_finished_late_reads_done_late_not_overdue():
    """Finding 8: `DONE  overdue by 7m05s` read as still late."""
    record = walkthrough()
    results = {row[0]: row[-1] for row in table_after(report(), "### Phases against targets")[1:]}
    late = results["Decision and Communication"]
    assert late == "done 2m00s late"  # finished at T+19:00; its window, T+12-17
    status = status_text(record.state, record.now)
    assert "Decision and Communication  (T+12-17)  DONE  2m00s late" in status
    assert "overdue" not in status
    said = f"entered T+12:00, first action T+12:10, finished T+19:00; {late}."
    assert said in timeline()  # entered at the declaration


def test_an_open_phase_past_its_window_is_still_overdue():
    """An open phase past its window is still "overdue": it is still late."""
    clock = ManualClock(SCENARIO_T0)
    details = Declaration(title="Checkout errors", severity="SEV2", commander="Ada")
    declared = commands.declare(bundled_runbook(), details, actor="Ada", clock=clock)
    session = IncidentSession.declare(MemoryLog(), declared, clock)
    clock.advance(7 * 60)
    said = status_text(session.state, clock.now()).splitlines()
    assert "Decision and Communication  (T+0-5)  OVERDUE  overdue by 2m00s" in said


def test_the_summary_gives_the_decision_and_the_root_cause():
    """Review 2, finding 23: the Summary said when, not why."""
    summary = report().split("\n## Summary\n", 1)[1].split("\n## ", 1)[0]
    lines = summary.splitlines()
    assert (
        "Decided on: core functionality broken (approved by Ada; rollback triggers met "
        "then: core-broken)." in lines
    )
    assert "Root cause (preliminary): 2.4.1 retried payment-gateway 502s without backoff" in lines
