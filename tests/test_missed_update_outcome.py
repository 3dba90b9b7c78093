"""A missed update's timeline line says what became of it (ux_review16 #6).

The hand incident's first update came due at T+17:00 and its miss was recorded at
T+17:01; the announcement answered it at T+17:17. The timeline said "The first
stakeholder update due at 09:17:00 UTC was not sent", while the communications log
said it was sent 17 s late.
"""

from __future__ import annotations

from datetime import timedelta

from incident import commands
from incident.app import messages
from incident.app.lifecycle import declare
from incident.commands import Declaration
from incident.core.clock import ManualClock
from incident.reports.record import ReportRecord
from incident.reports.report import markdown_report
from incident.reports.timeline import markdown_timeline
from incident.reports.timeline_json import timeline_data
from tests.hand_record import hand_record
from tests.memory_log import MemoryLog
from tui.demo.scenarios import SCENARIO_T0, bundled_runbook

MISSED = "The first stakeholder update due at 09:17:00 UTC was not sent"
SENT = f"{MISSED} by its due time; sent at T+17:17, 17s late"


def _texts(data: object) -> list[str]:
    assert isinstance(data, dict) and isinstance(data["phases"], list)
    return [
        str(item["text"])
        for phase in data["phases"]
        if isinstance(phase, dict) and isinstance(phase["items"], list)
        for item in phase["items"]
        if isinstance(item, dict) and item["type"] == "event"
    ]


def test_the_line_says_when_the_late_update_went():
    record = hand_record()
    report = markdown_report(record.state, record.events, record.now)
    timeline = markdown_timeline(record.state, record.events, record.now)
    for text in (report, timeline):
        [line] = [line for line in text.splitlines() if MISSED in line]
        assert line == f"- T+17:01 · 09:17:01 · monitor · {SENT}"
    data = timeline_data(
        ReportRecord.of(record.state, record.events), record.now, gap=timedelta(minutes=5)
    )
    assert SENT in _texts(data)


def _missed(decline: bool) -> list[str]:
    """Declared at T+0, the first update (due T+05:00) recorded missed at T+05:01, then
    declined at T+05:31 or left unsent; the timeline's lines about it at T+10:00."""
    clock = ManualClock(SCENARIO_T0)
    details = Declaration(title="Checkout errors", severity="SEV2", commander="Ada")
    log = MemoryLog()
    session = declare(log, bundled_runbook(), details, actor="Ada", clock=clock)
    clock.advance(5 * 60 + 1)
    session.run_many(lambda s: commands.record_overdue_update(s, actor="monitor", clock=clock))
    clock.advance(30)
    if decline:
        messages.decline(session, "Ada", "update", reason="nothing new to say")
    state, events = session.state, log.events(session.state.id)
    now = SCENARIO_T0 + timedelta(minutes=10)
    return [
        line for line in markdown_timeline(state, events, now).splitlines() if MISSED_AT in line
    ]


MISSED_AT = "- T+05:01 · 09:05:01 · monitor · The first stakeholder update due at 09:05:00 UTC"


def test_a_declined_update_says_so_and_one_never_sent_stays_not_sent():
    assert _missed(decline=True) == [
        f"{MISSED_AT} was not sent: declined by Ada at T+05:31: nothing new to say"
    ]
    assert _missed(decline=False) == [f"{MISSED_AT} was not sent"]
