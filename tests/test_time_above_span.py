"""The Metric triggers table's Time above agrees with the span printed beside it
(ux_review16 #15).

The demo's report read `| 25 (T+01:20 to T+10:03) | 9m22s |`: T+01:20 to T+10:03 is
8m43s, and the 9m22s ran on to the next reading below (T+10:42), which nothing printed.
Now the cell gives the span the figure covers, and the sentence above the table says
the rule. Shown on real SQLite files, read as every face reads them (`documents`).
"""

from __future__ import annotations

from pathlib import Path

from store.sqlite_log import SqliteEventLog
from tests.gap_records import at, every, polled_record
from tests.test_reading_gaps import documents

HIGH, LOW = 0.12, 0.004


def table_row(report: str) -> str:
    (row,) = [line for line in report.splitlines() if line.startswith("| error-rate |")]
    return row


def report_with_high(db: Path, high: set[int]) -> str:
    """Polled every 5 s (the error rate every 15 s) to T+05:00, closed at T+05:05; the
    error rate reads 12% at the offsets in `high`."""
    with SqliteEventLog.open(db) as log:
        polled_record(
            log,
            every(5, 5, 300),
            every(15, 15, 300),
            close_at=305,
            rate_value=lambda s: HIGH if s in high else LOW,
        )
    report, _, _, _ = documents(db, at(400))
    return report


def test_one_run_shows_the_span_to_the_next_reading_below(tmp_path: Path) -> None:
    """Above from T+01:00 to T+02:30; T+02:45 reads below: 1m45s, from T+01:00 to T+02:45."""
    report = report_with_high(tmp_path / "r.db", set(range(60, 151, 15)))
    assert "| 7 (T+01:00 to T+02:30) | 1m45s (T+01:00 to T+02:45) |" in table_row(report)
    assert "Time above runs from a first reading above the threshold to the next " in report
    assert "(1m45s above it)" in report  # the same figure under User impact


def test_a_run_open_at_the_end_runs_to_the_last_reading(tmp_path: Path) -> None:
    report = report_with_high(tmp_path / "r.db", set(range(240, 301, 15)))
    assert "| 5 (T+04:00 to T+05:00) | 1m00s (T+04:00 to T+05:00) |" in table_row(report)


def test_several_runs_are_within_the_span(tmp_path: Path) -> None:
    """T+01:00 to T+01:15 (to T+01:30, below) and T+03:00 (to T+03:15): 45s in all."""
    report = report_with_high(tmp_path / "r.db", {60, 75, 180})
    assert "| 3 (T+01:00 to T+03:00) | 45s, within T+01:00 to T+03:15 |" in table_row(report)
