"""The exports of a record are the same bytes however the record is read.

Golden documents and digests were written by the code before the export learnt to
stream the record; each is checked against the in-memory functions here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from incident.reports.report import json_export, markdown_report
from incident.reports.timeline import markdown_timeline
from tests.golden.digests import check_golden_digest, placeholders
from tests.golden.incidents import PARIS, closed_record, hostile_record
from tests.golden.markdown_checks import check_golden
from tests.golden.sampled import SampledRecord, sampled_record


@pytest.fixture(scope="module")
def sampled(tmp_path_factory: pytest.TempPathFactory) -> SampledRecord:
    return sampled_record(tmp_path_factory.mktemp("sampled") / "sampled.db")


def test_sampled_record_is_mostly_samples_of_every_shape(sampled: SampledRecord) -> None:
    ticks = [e for e in sampled.events if e.kind == "probe.samples"]
    assert len(ticks) > 0.9 * len(sampled.events) and len(ticks) > 800
    outcomes = {s.outcome for e in ticks for s in e.data.samples}  # type: ignore[union-attr]
    assert len(outcomes) >= 4
    assert any(not e.data.samples for e in ticks)  # type: ignore[union-attr]


def test_sampled_report_and_timeline_match_golden(sampled: SampledRecord) -> None:
    state, events, now = sampled.state, sampled.events, sampled.now
    check_golden("sampled-report.md", markdown_report(state, events, now, tz=PARIS))
    check_golden("sampled-timeline.md", markdown_timeline(state, events, now, tz=PARIS))


def test_json_exports_match_golden_digests(sampled: SampledRecord) -> None:
    check_golden_digest(
        "sampled-export.json", json_export(sampled.state, sampled.events, sampled.now)
    )
    for name, record in (("closed", closed_record()), ("hostile", hostile_record())):
        text = json_export(record.state, record.events, record.now)
        source = record.state.runbook.source
        check_golden_digest(f"{name}-export.json", placeholders(text, record.events, source=source))


def test_placeholders_leave_no_path_or_hash(tmp_path: Path) -> None:
    record = closed_record()
    text = placeholders(
        json_export(record.state, record.events, record.now),
        record.events,
        source=record.state.runbook.source,
    )
    assert record.state.runbook.source not in text
    assert all(event.hash not in text for event in record.events)
