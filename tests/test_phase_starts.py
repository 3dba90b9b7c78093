"""One phase, one pair of starts, in every document (ux_review16 #2).

The report's "Phases against targets" (and its gantt, and the export's phase_results)
started a phase at its first recorded action; the timeline "ran" it from when the phase
before it finished: Execute Rollback started at T+10:22 in one and T+03:05 in the other,
neither saying which rule it used, and `timeline --json` gave no start at all. Now each
names both, "entered" and "first action", from `PhaseResult`.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta

import pytest

from incident.core.events import Event
from incident.core.phase_clocks import t_plus
from incident.core.state import IncidentState
from incident.reports.record import ReportRecord
from incident.reports.report import json_export, markdown_report
from incident.reports.timeline import markdown_timeline
from incident.reports.timeline_json import timeline_data
from tests.golden.incidents import closed_record
from tests.golden.markdown_checks import tables, tokens
from tests.hand_record import hand_record

Figures = tuple[str, str, str]
"""Entered, first action, finished, as T+ (a dash for none)."""


def _records() -> dict[str, tuple[IncidentState, list[Event], datetime]]:
    hand, closed = hand_record(), closed_record()
    return {
        "hand": (hand.state, hand.events, hand.now),
        "closed": (closed.state, closed.events, closed.now),
    }


def _t(state: IncidentState, stamp: object) -> str:
    if stamp is None:
        return "—"
    return t_plus(state, datetime.fromisoformat(str(stamp)))


@pytest.mark.parametrize("name", ["hand", "closed"])
def test_every_document_gives_each_phase_the_same_two_starts(name: str) -> None:
    state, events, now = _records()[name]
    report = markdown_report(state, events, now)
    part = report.split("\n### Phases against targets\n", 1)[1]
    header, *rows = tables(tokens(part))[0]
    assert header[3:6] == ["Entered", "First action", "Finished"]
    in_report = {row[0]: (row[3], row[4], row[5]) for row in rows}

    in_timeline: dict[str, Figures] = {}
    walked = markdown_timeline(state, events, now)
    for phase in state.runbook.phases:
        summary = walked.split(f"\n## {phase.title}\n\n", 1)[1].split("\n", 1)[0]
        said = re.search(
            r"entered (T\+[\d:]+), first action (T\+[\d:]+), finished (T\+[\d:]+)", summary
        )
        assert said is not None, summary
        in_timeline[phase.title] = (said[1], said[2], said[3])

    exported = json.loads(json_export(state, events, now))["phase_results"]
    in_export = {
        p["title"]: tuple(_t(state, p[k]) for k in ("entered_at", "first_action_at", "finished_at"))
        for p in exported
    }
    assert all(p["started_at"] == p["first_action_at"] for p in exported)

    data = timeline_data(ReportRecord.of(state, events), now, gap=timedelta(minutes=5))
    assert isinstance(data, dict) and isinstance(data["phases"], list)
    in_json = {
        p["title"]: tuple(_t(state, p[k]) for k in ("entered_at", "first_action_at", "finished_at"))
        for p in data["phases"]
        if isinstance(p, dict) and p["id"] != "after-close"
    }
    assert in_report == in_timeline == in_export == in_json
    assert len(in_report) == 4


def test_the_wait_between_entering_a_phase_and_acting_in_it_is_shown():
    """The hand incident: Verification entered when the rollback finished (T+17:23),
    first acted in at T+17:30; the gantt marks the entry beside the bar of the work."""
    record = hand_record()
    report = markdown_report(record.state, record.events, record.now)
    rows = {row[0]: row for row in tables(tokens(report.split("Phases against targets", 1)[1]))[0]}
    assert rows["Verification"][3:6] == ["T+17:23", "T+17:30", "T+17:42"]
    gantt = report.split("```mermaid", 1)[1].split("```", 1)[0]
    assert "    Entered :milestone, e3, 2026-11-28 09:17:23, 0s" in gantt.splitlines()
    assert "    Actual :done, a3, 2026-11-28 09:17:30, 2026-11-28 09:17:42" in gantt.splitlines()
