"""The report of a reviewed post-mortem, read back with a CommonMark+GFM parser.

`reviewed_record()` has something for every part of the report's shape: the impact
start given as the release time, a paging message delivered after retries, a
command step's `curl` run, an approval that claims a trigger none was met, a forced
close, contributing factors, action items with priority, type, ticket and done, and
the report marked reviewed.
"""

from __future__ import annotations

import json

import pytest

from incident.core.events import Kind
from incident.core.payloads import Closed
from incident.reports.report import REPORT_SECTIONS, json_export, markdown_report
from incident.reports.timeline import markdown_timeline
from tests.golden.incidents import PARIS, normalise
from tests.golden.markdown_checks import (
    check_golden,
    code_spans,
    headings,
    html_tokens,
    inline_text,
    links,
    section_items,
    tables,
    tokens,
)
from tests.golden.reviewed import reviewed_record
from tests.test_json_schemas import assert_valid

CURL = "curl -fsS http://127.0.0.1:8080/version"


@pytest.fixture(scope="module")
def report() -> str:
    record = reviewed_record()
    return markdown_report(record.state, record.events, record.now, tz=PARIS)


@pytest.fixture(scope="module")
def by_header(report) -> dict[tuple[str, ...], list[list[str]]]:
    return {tuple(t[0]): t[1:] for t in tables(tokens(report))}


def test_reviewed_report_matches_golden_file(report):
    check_golden("reviewed-report.md", normalise(report, reviewed_record().events))


def test_every_section_is_there_and_nothing_is_html(report):
    found = tokens(report)
    assert [title for level, title in headings(found) if level == 2] == list(REPORT_SECTIONS)
    assert html_tokens(found) == []


def test_the_head_says_status_owner_reviewers_and_one_resolution_time(report, by_header):
    metadata = dict(by_header[("", "")])
    assert metadata["Report status"] == "Reviewed"
    assert (metadata["Report owner"], metadata["Reviewers"]) == ("Ada Lovelace", "Bo, Di")
    assert metadata["Impact start (T+0)"] == "2026-11-28 08:40:00 UTC (09:40:00 CET)"
    resolved = "2026-11-28 09:15:20 UTC"  # the resolution message, not the close
    assert metadata["Resolved"] == f"{resolved} (10:15:20 CET)"
    assert metadata["Incident status"].startswith(f"Resolved at {resolved}, closed at ")
    assert metadata["Duration"] == "35m20s (impact start to resolution)"  # from the release
    assert "the incident was resolved at T+35:20." in report  # the summary
    assert (
        "The incident lasted 35m20s, from the impact start (T+0) to the resolution (T+35:20):"
        in report
    )  # user impact
    assert "resolved 2026-11-28 09:25:20" not in report.lower()  # the close is not a resolution


def test_detection_is_measured_from_the_release(report):
    detection = [inline_text(t) for t in section_items(tokens(report), "Detection")]
    assert detection[:3] == [
        "How: incident declared.",
        "When: T+20:00 · 09:00:00 UTC (10:00:00 CET); 20m00s after the impact started.",
        "By: ada.",
    ]


def test_pages_include_the_paging_message(by_header):
    pages = by_header[("T+", "UTC", "Paged", "How", "By", "Note")]
    # The channel it names is no one paged: no target delivered it (ux_review15 #3).
    assert [row[2:6] for row in pages] == [
        [
            "no one named (not delivered)",
            "paging message",
            "ada",
            "recorded for #inc-checkout; record who was paged with page WHO",
        ]
    ]


def test_responders_have_their_roles(by_header):
    """Each responder's parts in words: the roles held with their spans, then what the
    record credits them with, counted by kind (review10 #9: the column named only some
    kinds of part, not the steps checked, the messages sent or the notes)."""
    headers = ("Responder", "Roles and parts", "Actions recorded", "First", "Last")
    responders = {row[0]: row[1:3] for row in by_header[headers]}
    assert responders == {
        "ada": [
            "declared the incident; deployment-coordinator from T+20:00 to the close; "
            "checked 3 steps, sent 2 messages, ran 1 command, 4 post-mortem entries",
            "16",
        ],
        "bo": ["2 decisions, 1 post-mortem entry", "4"],
        "Ada Lovelace": ["incident-commander from T+20:00 to the close", "0"],
        "Cy": ["comms-lead from T+20:30 to the close", "0"],
        "Bo": ["1 approval", "0"],
    }
    assert "Di" not in responders  # a reviewer of the report, not a responder


def test_the_approval_that_claims_a_trigger_is_flagged(report):
    found = tokens(report)
    flagged = [inline_text(t) for t in section_items(found, "Inconsistencies")]
    assert flagged[0].endswith(
        'decide-rollback was approved by Bo as "error-rate trigger met", '
        "but no rollback trigger was met then."
    )
    assert flagged[1].endswith(  # an older release took Bo's name for the commander's word
        "decide-rollback was approved by Bo, recorded by ada, who did not hold the "
        "incident-commander role (Ada Lovelace held it then)."
    )
    assert any("closed with required steps open" in line for line in flagged)
    decision = next(
        inline_text(t)
        for t in found
        if t.type == "inline" and t.content.startswith("**Rollback decision** at")
    )
    assert "approved by Bo, recorded by ada: error-rate trigger met" in decision
    assert "Rollback triggers met then: none. ⚠ Its reason says a trigger was met" in decision


def test_the_forced_close_names_the_required_steps_it_left_open(report):
    """It said "closed with required steps open" and named none of them (a review)."""
    record = reviewed_record()
    (closed,) = [e for e in record.events if e.kind == Kind.CLOSED]
    assert isinstance(closed.data, Closed) and closed.data.forced
    still_open = ", ".join(closed.data.open_required_steps)
    assert still_open.startswith("assess-severity, create-channel, ")
    expected = (
        f"The incident was closed with required steps open: {still_open} "
        "(forced: the rest was done by hand)."
    )
    flagged = [inline_text(t) for t in section_items(tokens(report), "Inconsistencies")]
    assert flagged[-1].endswith(f"): {expected}")
    exported = json.loads(json_export(record.state, record.events, record.now))
    assert exported["inconsistencies"][-1]["text"] == expected


def test_contributing_factors_and_action_items(report, by_header):
    assert "- T+1:45:50 · 10:25:50 UTC (11:25:50 CET) · ada: The canary stage" in report
    items = by_header[("#", "Action item", "Type", "Priority", "Owner", "Due", "Ticket", "Status")]
    assert [row[2:] for row in items] == [
        [
            "prevent",
            "P1",
            "Bo",
            "2026-12-04",
            "https://tracker.example/CHK-12",
            "done 10:27:50 UTC (11:27:50 CET) by bo: canary back",
        ],
        ["detect", "P2", "Cy", "—", "none", "open"],
    ]


def test_the_timeline_is_compact_and_its_command_is_code(report):
    found = tokens(report)
    lines = [inline_text(t) for t in section_items(found, "Timeline")]
    ran = [line for line in lines if CURL in line]
    assert len(ran) == 1 and ran[0].endswith(
        f"Ran {CURL} for record-running-version: exit 0; step checked"
    )
    assert not any("Queued" in line or "Delivered" in line for line in lines)
    (paging,) = [line for line in lines if "Paging the deployment team" in line]
    assert paging.endswith("(delivered to team-webhook after 3 tries)")
    assert "Webhook deliveries: 1 to 1 target: 1 delivered (1 after retries)." in report
    starred = [line.split(" · ")[3].split(":")[0] for line in lines if "★" in line]
    assert starred == [
        "★ Rollback decision",
        "★ Rollback trigger met",
        "★ Application rolled back",
        "★ Resolved",
        "★ Incident closed",
    ]
    # GFM links only the ticket (in its table and its timeline line); the command's URL
    # stays inside its code spans, in the timeline and the commands table
    assert set(links(found)) == {"https://tracker.example/CHK-12"}
    assert code_spans(found).count(CURL) == 2


def test_the_parser_sees_the_broken_autolink_the_old_timeline_made():
    """The check above can fail: escaped backticks leave the URL in text, and GFM links it
    with the backslash and backtick inside."""
    old = f"| T+01 | Ran \\`{CURL}\\` for record-running-version: exit 0 |"
    found = tokens(f"| T+ | What |\n|---|---|\n{old}\n")
    assert links(found) == ["http://127.0.0.1:8080/version%5C%60"]


def test_the_json_export_says_what_the_report_says():
    record = reviewed_record()
    exported = json.loads(json_export(record.state, record.events, record.now))
    assert_valid("export", exported)
    assert exported["document"] == {
        "status": "reviewed",
        "owner": "Ada Lovelace",
        "reviewers": ["Bo", "Di"],
        "set_by": "ada",
        "set_at": exported["document"]["set_at"],
    }
    assert exported["resolution"] == {
        "resolved_at": "2026-11-28T09:15:20.000Z",
        "impact_start_given": True,
        "from_impact_start_s": 2120.0,
    }
    assert exported["detection"]["from_impact_start_s"] == 1200.0
    assert [p["how"] for p in exported["paged"]] == ["paging message"]
    assert [i["status"] for i in exported["action_items"]] == ["done", "open"]
    assert exported["action_items"][0]["ticket"] == "https://tracker.example/CHK-12"
    assert len(exported["inconsistencies"]) == 4
    assert [f["by"] for f in exported["contributing_factors"]] == ["ada", "bo"]
    # The Responders table's counts, by kind, and the roles' spans (review10 #9)
    parts = {r["name"]: r["parts"] for r in exported["responders"]}
    assert parts == {
        "ada": {"checked": 3, "messages": 2, "commands": 1, "postmortem": 4},
        "bo": {"decisions": 2, "postmortem": 1},
        "Ada Lovelace": {},
        "Cy": {},
        "Bo": {"approvals": 1},
    }
    spans = {r["name"]: r["role_spans"] for r in exported["responders"]}
    assert spans["Cy"] == [
        {"role": "comms-lead", "from": "2026-11-28T09:00:30.000Z", "until": None}
    ]


def test_the_phase_timeline_is_compact_too():
    record = reviewed_record()
    timeline = markdown_timeline(record.state, record.events, record.now, tz=PARIS)
    found = tokens(timeline)
    lines = [
        inline_text(t) for t in found if t.type == "inline" and inline_text(t).startswith("T+")
    ]
    (ran,) = [line for line in lines if CURL in line]
    assert ran.endswith(f"Ran {CURL} for record-running-version: exit 0; step checked")
    assert code_spans(found).count(CURL) == 1 and links(found) == [
        "https://tracker.example/CHK-12"  # the action item's ticket, in its line
    ]
    assert not any("Queued" in line or "Delivered to" in line for line in lines)
    assert any(line.endswith("(delivered to team-webhook after 3 tries)") for line in lines)
    assert timeline.endswith("Webhook deliveries: 1 to 1 target: 1 delivered (1 after retries).\n")
