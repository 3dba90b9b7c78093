"""A trigger's time above its threshold counts only what its readings cover (ux_review10 #2).

The error rate read 12% when the monitor died; twenty minutes later it read 12% again,
and the report said the error rate was above its threshold for all twenty, with no
reading among them. Now the probe's gaps (`incident.health.reading_gaps`) are cut out
of the time above, the figure says so wherever it is printed ("6m30s of the 14m30s
its readings cover"), the gap's line says the breach was open across it, and the JSON
export gives each trigger's `covered_s` and its probe's `gaps`. Without a gap the
documents read as before. Shown on real SQLite files, read as every face reads them
(`documents`: the store's summaries in runs, and the same from events in memory).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from incident.core.state import IncidentState
from incident.health.reading_gaps import GapTally, reading_gap
from incident.health.readings import OPERATORS
from incident.reports.metrics import MetricTally
from runbooks.model import Trigger, TriggerKind
from store.sqlite_log import SqliteEventLog
from tests.gap_records import at, every, polled_record
from tests.memory_log import MemoryLog
from tests.test_json_schemas import assert_valid
from tests.test_reading_gaps import documents, gap_lines
from tui.demo.scenarios import bundled_runbook

HIGH, LOW = 0.12, 0.004


def polled_with_a_hole(db: Path, high: range) -> None:
    """Polled T+0 to T+10:00 and T+30:00 to the close at T+35:05, nobody polling in
    between; the error rate (every 15 s) reads 12% at the offsets in `high`."""
    others = every(5, 5, 600) + every(5, 1800, 2100)
    rate = every(15, 15, 600) + every(15, 1815, 2100)
    with SqliteEventLog.open(db) as log:
        polled_record(
            log, others, rate, close_at=2105, rate_value=lambda s: HIGH if s in high else LOW
        )


def error_rate(exported: dict[str, object]) -> dict[str, object]:
    (rate,) = exported["error_rate"]  # type: ignore[misc]
    assert isinstance(rate, dict)
    return rate


def test_a_breach_open_when_the_readings_stopped_counts_only_what_they_cover(
    tmp_path: Path,
) -> None:
    """Above from T+05:00 to the hole at T+10:00, and from T+30:15 to T+31:30 (T+31:45
    reads under): 5m00s and 1m30s, not the 31m45s from T+05:00 to T+31:45."""
    polled_with_a_hole(tmp_path / "r.db", range(300, 1891))
    report, exported, timeline, _ = documents(tmp_path / "r.db", at(2200))

    figure = "6m30s of the 14m30s its readings cover, 20m15s with no readings left out"
    assert f"error-rate was above its threshold for {figure}." in report  # the harm
    assert f"(threshold 5.0%), above it for {figure}." in report  # the summary
    assert f"above the threshold (above it for {figure})." in report  # the readings' line
    assert "| 6m30s of 14m30s covered, within T+05:00 to T+31:45 |" in report  # the table
    assert "Time above counts only the time a probe's readings cover" in report
    assert "31m45s" not in report
    line = (
        "- ⚠ no readings of `error-rate` from T+10:00 to T+30:15 (20m15s); `error-rate` "
        "above its threshold when the readings stopped: not counted as time above"
    )
    assert gap_lines(report) == [
        "- ⚠ no readings of `health` and `version` from T+10:00 to T+30:00 (20m00s)",
        line,
    ]
    assert line in timeline  # one row per gap, where it ended
    rate = error_rate(exported)
    assert rate["time_above_s"] == 390
    assert rate["covered_s"] == 870  # T+00:15 to T+35:00, less the 20m15s
    assert rate["gaps"] == [
        {
            "start": "2026-11-28T09:10:00.000Z",
            "end": "2026-11-28T09:30:15.000Z",
            "seconds": 1215.0,
            "while_above": True,
        }
    ]
    assert_valid("export", exported)


def test_a_gap_while_below_is_said_and_leaves_the_figure_alone(tmp_path: Path) -> None:
    """Above only after the hole (T+30:15 to T+31:45): 1m30s, with the hole or without."""
    polled_with_a_hole(tmp_path / "hole.db", range(1815, 1891))
    report, exported, timeline, _ = documents(tmp_path / "hole.db", at(2200))
    with SqliteEventLog.open(tmp_path / "whole.db") as log:
        polled_record(
            log,
            every(5, 5, 2100),
            every(15, 15, 2100),
            close_at=2105,
            rate_value=lambda s: HIGH if 1815 <= s <= 1890 else LOW,
        )
    whole, whole_exported, _, _ = documents(tmp_path / "whole.db", at(2200))

    assert error_rate(exported)["time_above_s"] == error_rate(whole_exported)["time_above_s"] == 90
    assert "above its threshold for 1m30s of the 14m30s its readings cover" in report
    line = "- ⚠ no readings of `error-rate` from T+10:00 to T+30:15 (20m15s)"
    assert line in gap_lines(report) and line in timeline.splitlines()
    assert "not counted as time above" not in report + timeline
    assert error_rate(exported)["gaps"] == [
        {
            "start": "2026-11-28T09:10:00.000Z",
            "end": "2026-11-28T09:30:15.000Z",
            "seconds": 1215.0,
            "while_above": False,
        }
    ]
    # no gap, no words: the figure reads as before the gaps were cut out
    assert "error-rate was above its threshold for 1m30s." in whole
    assert "above the threshold (1m30s above it)." in whole
    assert "readings cover" not in whole and "no readings" not in whole
    assert error_rate(whole_exported)["gaps"] == []
    assert error_rate(whole_exported)["covered_s"] == 2085
    assert_valid("export", whole_exported)


def test_readings_that_stop_for_good_while_above_say_so(tmp_path: Path) -> None:
    """The monitor died at T+10:00 with the error rate at 12% and nobody polled again:
    the time above ends at the last reading, and the gap to the close says why."""
    with SqliteEventLog.open(tmp_path / "r.db") as log:
        polled_record(
            log,
            every(5, 5, 600),
            every(15, 15, 600),
            close_at=2105,
            rate_value=lambda s: HIGH if s >= 300 else LOW,
        )
    report, exported, _, _ = documents(tmp_path / "r.db", at(2200))
    assert "above it for 5m00s of the 9m45s its readings cover, 25m05s with no" in report
    assert gap_lines(report)[-1].endswith(
        "(25m05s); `error-rate` above its threshold when the readings stopped: "
        "not counted as time above"
    )
    rate = error_rate(exported)
    assert rate["time_above_s"] == 300 and rate["covered_s"] == 585
    assert [gap["while_above"] for gap in rate["gaps"]] == [True]  # type: ignore[attr-defined]


T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


@settings(max_examples=300)
@given(
    ticks=st.lists(
        st.tuples(
            st.integers(1, 400),  # seconds since the tick before
            st.sampled_from([None, 0.01, 0.04, 0.05, 0.06, 0.5]),  # None: a failed poll
        ),
        min_size=1,
        max_size=40,
    ),
    op=st.sampled_from([">", ">=", "<"]),
)
def test_time_above_is_within_what_the_readings_cover(
    ticks: list[tuple[int, float | None]], op: str
) -> None:
    """time above <= time covered <= from the first reading to the last; with every
    poll a reading, each exactly the sum of the steps between readings no longer than
    the gap rule (after a breaching reading, for the time above)."""
    runbook = bundled_runbook()
    probe = runbook.probe("error-rate")
    assert probe is not None
    limit = reading_gap(probe)
    trigger = Trigger("t", "error rate", TriggerKind.METRIC, "error-rate", op, 0.05)
    tally, gaps = MetricTally(trigger, op, 0.05), GapTally(runbook)
    moment, times = T0, []
    for seq, (step, value) in enumerate(ticks, start=1):
        moment += timedelta(seconds=step)
        times.append(moment)
        gaps.add_tick(seq, moment, ["error-rate"])
        if value is not None:
            tally.add(moment, value)
    found = gaps.result()
    figures = tally.figures(bundled_state(), found)
    cover = found.covered("error-rate")
    assert cover is not None and figures.covered == cover
    assert timedelta(0) <= figures.time_above <= cover.exact <= times[-1] - times[0]
    assert figures.time_above_printed <= cover.printed
    # each step from a tick to the next, with the value read at the first of the two
    steps = [
        (later - earlier, value)
        for earlier, later, (_, value) in zip(times, times[1:], ticks, strict=False)
    ]
    assert cover.exact == sum((step for step, _ in steps if step <= limit), timedelta(0))
    if all(value is not None for _, value in ticks):
        expected = sum(
            (
                step
                for step, value in steps
                if value is not None and _breaches(op, value) and step <= limit
            ),
            timedelta(0),
        )
        assert figures.time_above == expected


def _breaches(op: str, value: float) -> bool:
    return OPERATORS[op](value, 0.05)


@cache
def bundled_state() -> IncidentState:
    """A declared incident of the bundled runbook (its baselines are what the figures read)."""
    return polled_record(MemoryLog(), [], []).state
