"""`timeline --json` lists what the Markdown timeline lists, phase by phase."""

from __future__ import annotations

from datetime import timedelta

import pytest

from incident.reports.record import ReportRecord
from incident.reports.timeline import timeline_from
from incident.reports.timeline_json import timeline_data
from tests.golden.incidents import closed_record, hostile_record
from tests.golden.reviewed import reviewed_record


def markdown_rows(markdown: str) -> dict[str, list[str]]:
    """Each phase heading's list rows, the counted-samples row left out."""
    rows: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in markdown.splitlines():
        if line.startswith("## "):
            current = rows.setdefault(line[3:], [])
        elif current is not None and line.startswith("- ") and "not listed one by one" not in line:
            current.append(line)
    return rows


RECORDS = {"closed": closed_record, "hostile": hostile_record, "reviewed": reviewed_record}


@pytest.mark.parametrize("source", sorted(RECORDS))
def test_the_json_lists_each_phase_as_the_markdown_does(source: str) -> None:
    record = RECORDS[source]()
    report = ReportRecord.of(record.state, record.events)
    gap = timedelta(minutes=1)
    markdown = markdown_rows(timeline_from(report, record.now, gap=gap))
    data = timeline_data(report, record.now, gap=gap)
    assert isinstance(data, dict) and isinstance(data["phases"], list)
    assert data["phases"], "no phases"
    listed = 0
    for phase in data["phases"]:
        assert isinstance(phase, dict) and isinstance(phase["items"], list)
        rows = markdown[str(phase["title"])]
        assert len(rows) == len(phase["items"])
        for row, item in zip(rows, phase["items"], strict=True):
            assert isinstance(item, dict)
            assert row.startswith("- ⚠") == (item["type"] == "silence")
            assert row.endswith("; step checked") == bool(item.get("step_checked"))
            listed += item["type"] == "event"
    assert listed > 5
