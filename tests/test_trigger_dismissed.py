"""A trigger marked met and dismissed before the decision is not the incident's
"Rollback trigger met" moment (ux_review16 #3).

On the hand incident `core-broken` was marked met at T+12:10 ("checkout page blank for
EU users") and cleared a moment later ("false alarm: CDN cache, not the release"); the
health probe's trigger was met at T+12:11 and stayed met until after the rollback, and
the decision named it. Time to recovery, the timeline's key moments, Detection and the
invitation gave the false alarm as the moment the rollback criteria were met, and the
Rollback criteria table had no word that it was dismissed.
"""

from __future__ import annotations

from incident.reports.ics import description
from incident.reports.report import markdown_report
from incident.reports.timeline import markdown_timeline
from tests.golden.markdown_checks import tables, tokens
from tests.hand_record import hand_record

DISMISSED = (
    "core-broken (manual) met at T+12:10 and dismissed by Dana Oncall at T+12:10: "
    "false alarm: CDN cache, not the release"
)
DETAIL = f"health-failing (probe); before it, {DISMISSED}"


def _table(text: str, heading: str) -> list[list[str]]:
    return tables(tokens(text.split(f"\n{heading}\n", 1)[1]))[0]


def test_the_milestone_is_the_trigger_still_met_at_the_decision():
    record = hand_record()
    report = markdown_report(record.state, record.events, record.now)
    rows = {row[0]: row for row in _table(report, "### Time to recovery")}
    assert rows["Rollback trigger met"][1:] == ["09:12:11", "T+12:11", "11s", DETAIL]
    assert f"- Rollback trigger met at T+12:11 · 09:12:11 UTC: {DETAIL}." in report
    timeline = markdown_timeline(record.state, record.events, record.now)
    assert f"- ★ Rollback trigger met: T+12:11 · 09:12:11 UTC ({DETAIL})" in timeline
    said = description(record.state, len(record.events), record.events[-1].hash)
    assert "Rollback trigger met: T+12:11" in said


def test_the_criteria_say_it_was_dismissed_and_the_timeline_does_not_star_it():
    record = hand_record()
    report = markdown_report(record.state, record.events, record.now)
    criteria = {row[0]: row for row in _table(report, "### Rollback criteria")}
    assert criteria["Core functionality broken"][2:] == [
        "T+12:10",
        "manual",
        "checkout page blank for EU users; dismissed by Dana Oncall at T+12:10: "
        "false alarm: CDN cache, not the release",
    ]
    for text in (report, markdown_timeline(record.state, record.events, record.now)):
        [line] = [line for line in text.splitlines() if "Trigger core-broken met" in line]
        assert "★" not in line
        assert "★ **Rollback trigger met**: Trigger health-failing met" in text
