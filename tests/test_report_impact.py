"""Impact figures from a hand-built record on a manual clock: exact seconds."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta

import pytest

from incident import commands
from incident.core.events import NewEvent
from incident.core.state import RECENT_SAMPLES, IncidentState
from incident.reports.describe import count_text
from incident.reports.impact import severity_periods, severity_totals
from incident.reports.metrics import metric_figures
from incident.reports.milestones import milestones
from incident.reports.report import json_export, markdown_report
from incident.reports.timeline import markdown_timeline
from tests.bundled_incident import BundledIncident
from tests.conftest import T0
from tests.golden.markdown_checks import tables, tokens

ERROR_RATES = [(130, 0.02), (140, 0.08), (150, 0.10), (160, 0.12), (170, 0.04), (180, 0.09)]
ERROR_RATES += [(190, 0.01)]


class Record(BundledIncident):
    """An incident on the bundled runbook, driven second by second from T0."""

    def __init__(self, *, declared_after_s: float = 120) -> None:
        super().__init__(
            T0 + timedelta(seconds=declared_after_s),
            started_at=T0,
            from_version="2.4.1",
            last_good_version="2.4.0",
        )

    def at(self, offset_s: float, command: Callable[[IncidentState], NewEvent]) -> None:
        self.run(T0 + timedelta(seconds=offset_s), command)

    def sample(self, offset_s: float, value: float) -> None:
        self.record_error_rate(T0 + timedelta(seconds=offset_s), value)


@pytest.fixture
def record() -> Record:
    r = Record()
    c = r.clock
    for offset, value in ERROR_RATES:
        r.sample(offset, value)
    r.at(
        240,
        lambda s: commands.approve(
            s, "decide-rollback", by="Ada", reason="error rate 12%", actor="ada", clock=c
        ),
    )
    r.at(270, lambda s: commands.check_step(s, "decide-rollback", actor="ada", clock=c))
    r.at(300, lambda s: commands.change_severity(s, "SEV1", reason="", actor="ada", clock=c))
    r.at(540, lambda s: commands.check_step(s, "app-rollback-blue-green", actor="bo", clock=c))
    r.at(
        720,
        lambda s: commands.check_step(
            s, "confirm-version", actor="bo", clock=c, evidence="2.4.0 seen"
        ),
    )
    r.at(
        780,
        lambda s: commands.check_step(s, "smoke-test", actor="bo", clock=c, evidence="login ok"),
    )
    r.at(
        840,
        lambda s: commands.check_step(s, "check-health", actor="bo", clock=c, evidence="0.4%"),
    )
    r.at(900, lambda s: commands.change_severity(s, "SEV2", reason="", actor="ada", clock=c))
    r.at(
        1200,
        lambda s: commands.close(s, actor="ada", clock=c, force=True, reason="handed to team"),
    )
    return r


def seconds_of(record: Record) -> dict[str, tuple[float | None, float | None]]:
    state = record.session.state
    found = {}
    for moment in milestones(state, record.events):
        if moment.at is None:
            found[moment.key] = (None, None)
        else:
            found[moment.key] = (
                (moment.at - state.started_at).total_seconds(),
                (moment.at - state.declared_at).total_seconds(),
            )
    return found


def test_time_to_each_milestone_from_impact_start_and_declaration(record):
    assert seconds_of(record) == {
        "impact_start": (0, -120),
        "declared": (120, 0),
        "trigger_met": (160, 40),
        "rollback_decision": (240, 120),
        "app_rolled_back": (540, 420),
        "service_verified": (840, 720),
        "resolved": (1200, 1080),  # no resolution message: the close is the resolution
        "closed": (1200, 1080),
    }


def test_no_decision_until_the_gate_is_approved():
    r = Record(declared_after_s=0)
    c = r.clock
    assert seconds_of(r)["rollback_decision"] == (None, None)
    assert seconds_of(r)["app_rolled_back"] == (None, None)
    r.at(
        60,
        lambda s: commands.approve(s, "decide-rollback", by="Ada", reason="r", actor="a", clock=c),
    )
    assert seconds_of(r)["rollback_decision"] == (60, 60)


def test_time_at_each_severity(record):
    state = record.session.state
    periods = severity_periods(state, record.clock.now())
    assert [(p.severity, p.duration.total_seconds()) for p in periods] == [
        ("SEV2", 180),
        ("SEV1", 600),
        ("SEV2", 300),
    ]
    totals = severity_totals(periods)
    assert {k: v.total_seconds() for k, v in totals.items()} == {"SEV2": 480, "SEV1": 600}


def test_error_rate_while_above_threshold(record):
    (figures,) = metric_figures(record.session.state, record.events)
    assert figures.trigger.id == "error-rate"
    assert figures.readings == 7
    assert figures.above == 4
    assert figures.peak == pytest.approx(0.12)
    assert figures.mean == pytest.approx((0.08 + 0.10 + 0.12 + 0.09) / 4)
    # 140 -> 170 (first reading back under), then 180 -> 190
    assert figures.time_above.total_seconds() == 40
    assert (figures.first_above_at - T0).total_seconds() == 140
    assert (figures.last_above_at - T0).total_seconds() == 180
    assert figures.last_value == pytest.approx(0.01)


def test_error_rate_reads_every_sample_not_the_recent_ones():
    r = Record(declared_after_s=0)
    r.sample(1, 0.9)
    for n in range(RECENT_SAMPLES + 80):
        r.sample(2 + n, 0.001)
    state = r.session.state
    assert len(state.samples["error-rate"]) == RECENT_SAMPLES
    assert 0.9 not in [s.value for s in state.samples["error-rate"]]
    (figures,) = metric_figures(state, r.events)
    assert figures.readings == RECENT_SAMPLES + 81
    assert figures.peak == pytest.approx(0.9) and figures.above == 1
    assert figures.time_above.total_seconds() == 1


def test_report_shows_the_figures(record):
    state = record.session.state
    report = markdown_report(state, record.events, record.clock.now())
    parsed = tables(tokens(report))
    recovery = {row[0]: row for row in parsed[1][1:]}
    # no --tz: UTC only, no local-time column
    assert parsed[1][0] == [
        "Milestone",
        "UTC",
        "T+ (from impact start)",
        "From declaration",
        "Recorded",
    ]
    assert recovery["Rollback decision"][1:4] == ["09:04:00", "T+04:00", "2m00s"]
    assert recovery["Service verified"][1:4] == ["09:14:00", "T+14:00", "12m00s"]
    assert recovery["Incident closed"][1:4] == ["09:20:00", "T+20:00", "18m00s"]
    severities = parsed[2][1:]
    assert [row[0] for row in severities] == ["SEV2", "SEV1", "SEV2"]
    assert "In total: SEV2 8m00s, SEV1 10m00s." in report
    error_rate = parsed[3][1]
    # the readings stop at T+03:10, 16m50s before the close: 40s of the minute they cover
    covered = "40s of 1m00s covered, within T+02:20 to T+03:10"
    assert error_rate[2:8] == ["7", "4 (T+02:20 to T+03:00)", covered, "12.0%", "9.8%", "1.0%"]
    assert "- When: T+02:00 · 09:02:00 UTC; 2m00s after the impact started." in report
    assert "- Declared by ada at T+02:00 · 09:02:00 UTC." in report


def test_json_export_carries_the_figures(record):
    state = record.session.state
    data = json.loads(json_export(state, record.events, record.clock.now()))
    assert {"status", "events", "head_hash", "format"} <= set(data)
    assert data["head_hash"] == record.events[-1].hash
    assert data["event_count"] == len(record.events)
    impact = data["impact"]
    assert impact["detection_s"] == 120 and impact["duration_s"] == 1200
    by_key = {m["key"]: m for m in impact["milestones"]}
    assert by_key["rollback_decision"]["from_impact_start_s"] == 240
    assert by_key["rollback_decision"]["from_declaration_s"] == 120
    assert by_key["service_verified"]["from_impact_start_s"] == 840
    assert by_key["closed"]["from_declaration_s"] == 1080
    assert impact["severity_time_s"] == {"SEV2": 480, "SEV1": 600}
    (rate,) = data["error_rate"]
    assert rate["above_threshold"] == 4 and rate["time_above_s"] == 40
    assert rate["peak"] == pytest.approx(0.12)
    assert rate["mean"] == pytest.approx(0.0975)
    assert [p["id"] for p in data["phase_results"]] == ["decide", "execute", "verify", "close-out"]
    assert data["decisions"]["rollback"]["approved_by"] == "Ada"
    assert data["decisions"]["rollback"]["triggers_met"] == ["error-rate"]
    assert data["postmortem"]["scheduled"] is False
    assert data["postmortem"]["window"] == ["2026-11-28T09:20:00.000Z", "2026-11-30T09:20:00.000Z"]
    assert data["rca"] == [] and data["action_items"] == [] and data["lessons"] == []


def test_authors_are_the_people_not_what_lastgood_recorded_by_itself():
    from incident.app.autosend import record_overdue
    from incident.reports.authorship import authors

    record = Record()
    record.sample(130, 0.02)
    record.clock.set(T0 + timedelta(minutes=30))  # the first update was due at T+5 min
    assert [e.actor for e in record_overdue(record.session)] == ["lastgood"]
    record.at(
        1900, lambda s: commands.add_note(s, "still rolling back", actor="bo", clock=record.clock)
    )
    assert authors(record.events) == ["ada", "bo"]


def test_readings_too_large_to_add_up_still_make_the_report():
    """A Prometheus answering 1e308: the mean over the breach took fsum, which raised
    OverflowError, and no report or timeline of the incident could be made again."""
    r = Record(declared_after_s=0)
    for offset in (1, 2, 3):
        r.sample(offset, 1e308)
    state, events = r.session.state, r.events
    (figures,) = metric_figures(state, events)
    assert (figures.above, figures.peak, figures.mean) == (3, 1e308, 1e308)
    report = markdown_report(state, events, r.clock.now())
    assert "peak 1.00e+310%, mean 1.00e+310%" in report  # not `inf%`
    exported = json.loads(json_export(state, events, r.clock.now()))
    assert exported["error_rate"][0]["mean"] == 1e308


def test_a_count_past_any_real_one_is_shown_in_powers_of_ten(record):
    """Prometheus may answer 1e308 requests: the report said it in 309 digits."""
    queries = commands.impact_queries(record.session.state, "failed_total", "requests_total")
    c = record.clock
    record.session.run(
        lambda s: commands.record_impact(s, queries, 1e308, 1e308, actor="ada", clock=c)
    )
    report = markdown_report(record.session.state, record.events, c.now())
    assert "Failed requests: 1e+308 of 1e+308 (100.0% of traffic) from " in report
    assert [count_text(n) for n in (1234.0, 999_999_999_999_999.0, 1e15)] == [
        "1,234",
        "999,999,999,999,999",
        "1e+15",
    ]
    # increase() extrapolates: counts round to whole requests, but never 0.01 to 0
    assert [count_text(n) for n in (25.4, 12.6, 0.01, 0.0)] == ["25", "13", "0.01", "0"]


def test_request_counts_round_one_way_in_the_impact_and_the_timeline(record):
    """`increase()` extrapolates: the timeline said `3,070.6 of 19,870.6 requests failed`
    beside the Impact's `3,071 of 19,871`. One rule for counts wherever they are
    printed; the JSON keeps the figures as Prometheus gave them (review 4, finding 17)."""
    queries = commands.impact_queries(record.session.state, "failed_total", "requests_total")
    c = record.clock
    record.session.run(
        lambda s: commands.record_impact(s, queries, 3070.554, 19870.6, actor="ada", clock=c)
    )
    state, events = record.session.state, record.events
    report = markdown_report(state, events, c.now())
    assert "Failed requests: 3,071 of 19,871 (15.5% of traffic) from " in report
    assert "Impact measured: 3,071 of 19,871 requests failed" in report
    assert "Impact measured: 3,071 of 19,871 requests failed" in markdown_timeline(
        state, events, c.now()
    )
    assert "3,070.6" not in report
    requests = json.loads(json_export(state, events, c.now()))["requests"]
    assert (requests["failed"], requests["total"]) == (3070.554, 19870.6)
