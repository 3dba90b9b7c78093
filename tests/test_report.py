"""The Markdown incident report: golden file, structure as a CommonMark parser sees it,
and user text that tries everything to break the document.
"""

from __future__ import annotations

import json
import re

import pytest

from incident.core.events import Kind
from incident.reports.report import REPORT_SECTIONS, json_export, markdown_report
from incident.reports.timeline import markdown_timeline
from tests.golden.incidents import (
    NASTY,
    NASTY_LINES_SHOWN,
    PARIS,
    closed_record,
    flat,
    hostile_record,
    normalise,
)
from tests.golden.markdown_checks import (
    check_golden,
    escape_html,
    fences,
    headings,
    html_tokens,
    inline_text,
    links,
    raw_table_cell_counts,
    render,
    section_items,
    tables,
    tokens,
)
from tests.hostile import raw_controls

COMMON_SUBSECTIONS = {
    "Impact": [
        "User impact",
        "Time to recovery",
        "Time at each severity",
        "Metric triggers",
        "Phases against targets",
    ],
    "Root Causes": ["Contributing factors"],
    "Resolution": [
        "Decisions and approvals",
        "Steps skipped or reopened",
        "Commands run",
        "Verification evidence",
    ],
    "Detection": ["Pages", "Rollback criteria", "Rollback criteria changes"],
    "Action Items": ["Post-mortem meeting"],
    "Supporting information": ["Roles", "Communications log", "Notes", "Record"],
}


def expected_headings(title: str, lessons: list[str]) -> list[tuple[int, str]]:
    found = [(1, f"Incident report: {title}")]
    for section in REPORT_SECTIONS:
        found.append((2, section))
        subsections = lessons if section == "Lessons Learned" else COMMON_SUBSECTIONS.get(section)
        found += [(3, name) for name in subsections or []]
    return found


@pytest.fixture(scope="module")
def closed_report() -> str:
    record = closed_record()
    return markdown_report(record.state, record.events, record.now, tz=PARIS)


@pytest.fixture(scope="module")
def hostile_report() -> str:
    record = hostile_record()
    return markdown_report(record.state, record.events, record.now, tz=PARIS)


def test_closed_report_matches_golden_file(closed_report):
    check_golden("closed-report.md", normalise(closed_report, closed_record().events))


def test_closed_report_follows_the_postmortem_shape(closed_report):
    found = tokens(closed_report)
    assert headings(found) == expected_headings(
        "Checkout errors after 2.4.1", ["What went well", "What went wrong"]
    )
    assert html_tokens(found) == []


def test_closed_report_tables_have_their_rows_and_cells(closed_report):
    record = closed_record()
    listed = [e for e in record.events if e.kind != Kind.PROBE_SAMPLES]
    # (body rows, cells per row) per table, in document order
    expected = [
        (21, 2),  # metadata
        (8, 6),  # time to recovery (with the local-time column), the resolution among them
        (1, 4),  # severity
        (1, 9),  # error rate
        (4, 7),  # phases
        (1, 5),  # approvals
        (3, 6),  # verification evidence: the Verification phase's three steps
        (1, 6),  # pages
        (3, 5),  # rollback criteria
        (2, 7),  # rollback criteria changes: met, cleared
        (2, 5),  # responders: the login and the commander's full name
        (2, 8),  # action items
        (2, 5),  # roles: the commander, the coordinator (who declared)
    ]
    timeline = section_items(tokens(closed_report), "Timeline")
    assert len(timeline) == len(listed)  # no command ran, no delivery: one line per event
    parsed = tables(tokens(closed_report))
    assert [(len(t) - 1, len(t[0])) for t in parsed] == expected
    assert all(len(row) == len(table[0]) for table in parsed for row in table)
    raw = raw_table_cell_counts(closed_report)
    assert [(len(rows) - 2, rows[0]) for rows in raw] == expected
    assert all(count == rows[0] for rows in raw for count in rows)


def test_closed_report_figures(closed_report):
    parsed = tables(tokens(closed_report))
    metadata = dict(parsed[0][1:])
    assert metadata["Incident status"] == (
        "Resolved at 2026-11-28 09:26:36 UTC, closed at 2026-11-28 09:35:36 UTC"
    )
    assert metadata["Resolved"] == "2026-11-28 09:26:36 UTC (10:26:36 CET)"  # the message
    assert metadata["Duration"] == "26m36s (impact start to resolution)"
    assert (metadata["Report status"], metadata["Reviewers"]) == ("Draft", "none yet")
    assert metadata["Report owner"] == "Ada Lovelace (the commander)"
    assert metadata["Impact start (T+0)"] == (
        "2026-11-28 09:00:00 UTC (10:00:00 CET) (the declaration: no earlier start given)"
    )
    assert metadata["Post-mortem"] == "2026-11-29 11:00:00 UTC (12:00:00 CET), 45 min"
    assert metadata["Roles"] == "incident-commander: Ada Lovelace; deployment-coordinator: ada"
    recovery = {row[0]: row for row in parsed[1][1:]}
    assert recovery["Rollback decision"][1:5] == ["09:01:50", "10:01:50 CET", "T+01:50", "1m50s"]
    assert recovery["Application rolled back"][3] == "T+07:41"
    assert recovery["Service verified"][3] == "T+21:36"  # the smoke test, checked last
    assert recovery["Incident closed"][3:5] == ["T+35:36", "35m36s"]
    phases = {row[0]: row[-1] for row in parsed[4][1:]}
    assert phases == {
        "Decision and Communication": "done 7m16s late",
        "Execute Rollback": "on time",
        "Verification": "on time",
        "Communication and Post-Mortem Prep": "done",  # no window: nothing to be on time for
    }
    error_rate = parsed[3][1]
    assert error_rate[0] == "error-rate" and error_rate[5] == "14.0%" and error_rate[6] == "12.6%"


def test_closed_report_mermaid_gantt_has_the_phases_as_they_ran(closed_report):
    (gantt,) = fences(tokens(closed_report), "mermaid")
    lines = gantt.splitlines()
    assert lines[0] == "gantt"
    assert "    dateFormat YYYY-MM-DD HH:mm:ss" in lines
    # phase 1 began with the declaration, which did two of its steps
    assert "    Actual :crit, done, a1, 2026-11-28 09:00:00, 2026-11-28 09:12:16" in lines
    assert "    Target :t2, 2026-11-28 09:05:00, 2026-11-28 09:30:00" in lines
    assert "    Rollback decision :milestone, m2, 2026-11-28 09:01:50, 0s" in lines
    assert sum(1 for line in lines if line.startswith("    section ")) == 5


def test_closed_report_keeps_messages_exact_and_names_the_head_hash(closed_report):
    record = closed_record()
    assert fences(tokens(closed_report)) == [c.text + "\n" for c in record.state.communications]
    head = record.events[-1].hash
    assert f"lastgood verify {record.state.id}" in closed_report
    assert f"{record.state.id}: ok, {len(record.events)} events, head {head}" in closed_report


def test_hostile_text_adds_no_heading(hostile_report):
    record = hostile_record()
    found = tokens(hostile_report)
    assert headings(found) == expected_headings(
        flat(record.state.title), ["What went wrong", "Where we got lucky", "Other lessons"]
    )


def test_hostile_text_never_becomes_html(hostile_report):
    assert html_tokens(tokens(hostile_report)) == []
    rendered = render(hostile_report)
    assert "<script" not in rendered
    assert "</details>" not in rendered
    assert "<b>" not in rendered and "<i>" not in rendered
    assert "<img" not in rendered
    # GFM links a bare URL in text; the only one the hostile text holds is plain http
    assert set(links(tokens(hostile_report))) == {"http://example.com"}
    assert "<em>" not in rendered and "<del>" not in rendered


def test_hostile_text_keeps_every_table_intact(hostile_report):
    record = hostile_record()
    parsed = tables(tokens(hostile_report))
    raw = raw_table_cell_counts(hostile_report)
    assert [len(rows) - 2 for rows in raw] == [len(t) - 1 for t in parsed]
    for rows, table in zip(raw, parsed, strict=True):
        assert set(rows) == {len(table[0])}, table[0]

    by_header = {tuple(t[0]): t[1:] for t in parsed}
    items = by_header[("#", "Action item", "Type", "Priority", "Owner", "Due", "Ticket", "Status")]
    assert items == [
        ["1", flat(NASTY), "—", "—", "Bo | <b>", "2026-12-24", "none", "open"],
        ["2", flat(NASTY_LINES_SHOWN), "—", "—", "unassigned", "—", "none", "open"],
    ]
    timeline = [inline_text(item) for item in section_items(tokens(hostile_report), "Timeline")]
    assert len(timeline) == len(record.events)
    assert {line.split(" · ")[2] for line in timeline} == {"eve | <script>x</script>"}
    (ran,) = [line for line in timeline if " · Ran " in line]
    assert ran.endswith("Ran echo '|' `date` <x> # done for record-running-version: exit 3")
    approvals = by_header[("Approved", "By", "Reason", "T+", "UTC")]
    assert [row[:3] for row in approvals] == [
        ["decide-rollback", "Ada `|` Lovelace, recorded by eve | <script>x</script>", flat(NASTY)],
        ["tier:restore-backup", "Boss <b>, recorded by eve | <script>x</script>", flat(NASTY)],
    ]
    pages = by_header[("T+", "UTC", "Paged", "How", "By", "Note")]
    assert pages[0][2:] == [
        flat(NASTY),
        "page",
        "eve | <script>x</script>",
        flat(NASTY_LINES_SHOWN),
    ]
    commands_run = by_header[("T+", "UTC", "Step", "Command", "Exit code")]
    assert commands_run[0][2:] == ["record-running-version", "echo '|' `date` <x> # done", "3"]
    metadata = dict(parsed[0][1:])
    assert metadata["Issue"] == flat(NASTY_LINES_SHOWN)
    assert metadata["Channel"] == "#inc|<chan>"
    assert metadata["Rollback"].startswith("2.4.1 | x → 1. <b>, ")
    roles = by_header[("Role", "Person", "From", "Until", "Recorded by")]
    assert [row[:2] for row in roles] == [
        ["incident-commander", "Ada | <i>Lovelace</i>"],
        ["deployment-coordinator", "eve | <script>x</script>"],
        ["comms-lead", "Cy | </details>"],
        ["leadership", "Boss <b>"],
    ]


def test_hostile_multiline_text_is_fenced_exactly(hostile_report):
    found = tokens(hostile_report)
    assert fences(found) == [
        NASTY_LINES_SHOWN + "\n",  # root cause
        NASTY_LINES_SHOWN + "\n",  # lesson (went wrong)
        NASTY_LINES_SHOWN + "\n",  # message 1, as sent
        "`````\nfive backticks, no final newline\n",  # message 2
        NASTY_LINES_SHOWN + "\n",  # pinned note
    ]


def test_hostile_text_round_trips_visibly(hostile_report):
    record = hostile_record()
    # GFM links the bare http://example.com; the text around the link is what is checked
    rendered = re.sub(r'<a href="[^"]*">|</a>', "", render(hostile_report))
    single_line = [
        flat(record.state.title),
        flat(NASTY),
        flat(NASTY_LINES_SHOWN),
        "eve | <script>x</script>",
        "Ada | <i>Lovelace</i>",
        "#inc|<chan>",
        "Bo | <b>",
        "Ada | x, <script>",
        "Cy | </details>",
    ]
    for text in single_line:
        assert escape_html(text) in rendered, text
    assert escape_html(NASTY_LINES_SHOWN) in rendered


def test_hostile_text_reaches_no_terminal_raw(hostile_report):
    assert raw_controls(hostile_report.encode()) == []
    assert "␛]52;c;Y3VybCBldmlsfHNo␇" in hostile_report


def test_hostile_report_matches_golden_file(hostile_report):
    check_golden("hostile-report.md", normalise(hostile_report, hostile_record().events))


def test_notes_list_pinned_ones_first(hostile_report):
    notes = hostile_report.split("### Notes", 1)[1].split("### Record", 1)[0]
    entries = [line for line in notes.splitlines() if line.startswith(("- T+", "- 📌"))]
    assert len(entries) == 2
    assert entries[0].startswith("- 📌 T+00:30 ")
    assert entries[1].startswith("- T+01:00 ")


def test_closed_report_names_the_span_to_the_resolution_as_the_duration(closed_report):
    """ux_review10 #1: the span to the resolution message is the incident's length; the
    readings measured the harm: the error rate above its threshold for 8m15s, not 26m36s."""
    assert "Users were affected for" not in closed_report
    assert (
        "The incident lasted 26m36s, from the impact start (T+0) to the resolution "
        "(T+26:36): that is its duration, not how long users were affected. What the "
        "readings measured: error-rate was above its threshold for 8m15s."
    ) in closed_report
    # the same figure as the readings' line and the Metric triggers table
    assert "(8m15s above it)" in closed_report
    assert "| 99 (T+00:05 to T+08:15) | 8m15s (T+00:05 to T+08:20) |" in closed_report


def test_a_report_without_readings_claims_no_harm_figure(hostile_report):
    assert "Users were affected for" not in hostile_report
    assert (
        "the resolution (T+25:00): that is its duration, not how long users were affected. "
        "No readings were recorded to measure that."
    ) in hostile_report


def test_a_phase_without_a_window_is_done_not_on_time():
    """ux_review10 #4: the close-out phase has no target window, yet the report, the
    timeline and the JSON called it "on time"."""
    record = closed_record()
    timeline = markdown_timeline(record.state, record.events, record.now, tz=PARIS)
    # entered when verification finished; its first action and finish (ux_review16 #2)
    assert (
        "no target window; entered T+21:36, first action T+28:36, finished T+34:36; done."
        in timeline
    )
    data = json.loads(json_export(record.state, record.events, record.now))
    by_id = {phase["title"]: phase for phase in data["phase_results"]}
    close_out = by_id["Communication and Post-Mortem Prep"]
    assert (close_out["due_at"], close_out["on_time"], close_out["result"]) == (None, None, "done")
    assert by_id["Verification"]["on_time"] is True  # a window, finished within it


def test_a_probe_with_no_readings_is_not_measured_as_zero_above(hostile_report):
    """ux_review10 #11: a never-polled probe's row read "0 above, 0s above it"."""
    parsed = tables(tokens(hostile_report))
    (row,) = next(t for t in parsed if t[0][:3] == ["Probe", "Trigger", "Readings"])[1:]
    assert row[2:5] == ["0", "no readings", "—"]
