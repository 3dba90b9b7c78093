"""A resolution message sent with a verification step skipped is an inconsistency in
every document, by the rule `send` warned by (ux_review16 #1).

`send --template resolved` with the smoke test skipped printed `warning: sent while the
service is not verified (smoke-test skipped)` once, on the engineer's terminal; the
report's Inconsistencies said "None found", the export's `inconsistencies` was empty
and the timeline's line had no mark.
"""

from __future__ import annotations

import json
from datetime import timedelta

from incident.reports.record import ReportRecord
from incident.reports.report import json_export, markdown_report
from incident.reports.timeline import markdown_timeline
from incident.reports.timeline_json import timeline_data
from tests.golden.incidents import closed_record
from tests.hand_record import hand_record

SAID = (
    "The resolution message told stakeholders the service is restored; it was sent while "
    "the service is not verified (smoke-test skipped): smoke-test skipped at T+17:42 and "
    "never checked."
)
WARNED = "the service is not verified (smoke-test skipped)"


def _section(text: str, heading: str) -> list[str]:
    return text.split(f"\n{heading}\n", 1)[1].split("\n## ", 1)[0].strip().splitlines()


def test_the_documents_list_what_send_warned_of():
    record = hand_record()
    assert (
        f"warning: sent while {WARNED}: it tells stakeholders it is restored"
        in (record.told["resolved"])
    )
    report = markdown_report(record.state, record.events, record.now)
    assert _section(report, "## Inconsistencies")[-1] == f"- ⚠ T+18:03 · 09:18:03 UTC: {SAID}"
    exported = json.loads(json_export(record.state, record.events, record.now))
    assert [i["text"] for i in exported["inconsistencies"]] == [SAID]


def test_the_resolution_line_carries_the_mark_in_both_timelines():
    record = hand_record()
    report = markdown_report(record.state, record.events, record.now)
    timeline = markdown_timeline(record.state, record.events, record.now)
    for text in (report, timeline):
        [line] = [line for line in text.splitlines() if "★ **Resolved**" in line]
        assert line.endswith(f"A blameless post-mortem will follow. ⚠ {SAID}")
        assert "⚠ where the record contradicts itself" in text or (
            "or where the record contradicts itself." in text
        )
    data = timeline_data(
        ReportRecord.of(record.state, record.events), record.now, gap=timedelta(minutes=5)
    )
    assert isinstance(data, dict) and isinstance(data["phases"], list)
    marked = [
        (item["text"], item["inconsistencies"])
        for phase in data["phases"]
        if isinstance(phase, dict) and isinstance(phase["items"], list)
        for item in phase["items"]
        if isinstance(item, dict) and item.get("inconsistencies")
    ]
    assert len(marked) == 1 and marked[0][1] == [SAID]
    assert str(marked[0][0]).startswith("Message sent: Resolved:")


def test_a_verified_service_told_restored_is_no_inconsistency():
    record = closed_record()
    report = markdown_report(record.state, record.events, record.now)
    assert _section(report, "## Inconsistencies") == [
        "None found: the record bears out what it says."
    ]
    assert "⚠ where the record contradicts itself" not in report
