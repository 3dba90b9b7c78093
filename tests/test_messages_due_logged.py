"""The communications log and the export's `communications` list each message the
runbook made due and what became of it (ux_review16 #5).

On the hand incident the `initiating` message ("Initiating rollback due to ...") was
declined after the decision: the log said "3 messages" and the export listed 3, the
decline only a Timeline line and a count under Responders. A message due and never
sent was in neither.
"""

from __future__ import annotations

import json
from datetime import timedelta

from incident import commands
from incident.app.lifecycle import declare
from incident.commands import Declaration
from incident.core.clock import ManualClock
from incident.reports.report import json_export, markdown_report
from tests.hand_record import hand_record
from tests.memory_log import MemoryLog
from tui.demo.scenarios import SCENARIO_T0, bundled_runbook

REASON = "announce already says rollback; avoid double ping"


def _log(report: str) -> list[str]:
    part = report.split("\n### Communications log\n", 1)[1].split("\n### ", 1)[0]
    return part.splitlines()


def test_a_declined_message_is_in_the_log_and_the_export():
    record = hand_record()
    report = markdown_report(record.state, record.events, record.now)
    log = _log(report)
    assert "Messages the runbook makes due once, as each came due: 3 of 4 sent, 1 not sent." in log
    assert (
        f"- `initiating` due T+17:16 · 09:17:16 UTC: not sent: declined by Dana Oncall at "
        f"T+17:19: {REASON}." in log
    )
    assert (
        "- `announce` due T+17:16 · 09:17:16 UTC: sent by Dana Oncall at T+17:17 (**1.**)." in log
    )
    exported = json.loads(json_export(record.state, record.events, record.now))
    messages = exported["communications"]
    assert [(m["status"], m["template"]) for m in messages] == [
        ("sent", "announce"),
        ("sent", "paging"),
        ("declined", "initiating"),
        ("sent", "resolved"),
    ]
    declined = messages[2]
    assert (declined["by"], declined["reason"], declined["text"]) == ("Dana Oncall", REASON, None)
    assert declined["due_at"] == "2026-11-28T09:17:16.000Z"
    assert messages[0]["due_at"] == "2026-11-28T09:17:00.000Z"  # the first update, 17s late


def test_a_message_due_and_never_sent_is_said_so():
    clock = ManualClock(SCENARIO_T0)
    details = Declaration(title="Checkout errors", severity="SEV2", commander="Ada")
    log = MemoryLog()
    session = declare(log, bundled_runbook(), details, actor="Ada", clock=clock)
    clock.advance(60)
    session.run(
        lambda s: commands.approve(
            s, "decide-rollback", by="Ada", reason="error rate", actor="Ada", clock=clock
        )
    )
    session.run(lambda s: commands.check_step(s, "decide-rollback", actor="Ada", clock=clock))
    clock.advance(600)
    session.run(lambda s: commands.close(s, actor="Ada", clock=clock, force=True, reason="drill"))
    state, events = session.state, log.events(session.state.id)
    now = clock.now() + timedelta(hours=1)
    log_lines = _log(markdown_report(state, events, now))
    assert "No messages were recorded." in log_lines
    assert (
        "- `initiating` due T+01:00 · 09:01:00 UTC: never sent, nor declined, by the close."
        in log_lines
    )
    exported = json.loads(json_export(state, events, now))["communications"]
    assert {(m["status"], m["template"], m["at"]) for m in exported} == {
        ("not_sent", "announce", None),
        ("not_sent", "paging", None),
        ("not_sent", "initiating", None),
        ("not_sent", "update", None),
    }
