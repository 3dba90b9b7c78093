"""The documents say where the probes went unrecorded (ux_review4, finding 18).

Three database outages and a reopened screen left 50 s holes in the error rate's
readings, and the report counted `Readings 19` and drew the line, with no word of
them. Now a stretch longer than `reading_gap` (3 intervals, at least 30 s) with no
reading of a probe is named in the report (under Impact), the timeline (where it
ended) and both JSON documents; with no such stretch, nothing is said. Shown on real
SQLite files, read the way every face reads them (the store's summaries, in runs),
and the same from events in memory.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from incident.app.report_document import json_export_record, report_document, report_record
from incident.core.tick_presence import every_tick, ticks_holding, ticks_text
from incident.core.ticks import ENTRY, FIELD
from incident.health.reading_gaps import GAP_AT_LEAST, GAP_INTERVALS, reading_gap
from incident.reports.report import json_export, markdown_report
from incident.reports.timeline import timeline_from
from incident.reports.timeline_json import timeline_data
from runbooks.model import Probe, ProbeKind
from store import StoreError
from store.sqlite_log import SqliteEventLog
from tests.gap_records import GAP_ID, at, every, polled_record, regular
from tests.tampering import drop_triggers
from tests.test_json_schemas import assert_valid

SECTION = "### Gaps in the probes' readings"


def gap_lines(report: str) -> list[str]:
    """The list items of the report's gaps section."""
    section = report.split(SECTION)[1].split("\n#")[0]
    return [line for line in section.splitlines() if line.startswith("- ")]


def documents(db: Path, now: datetime) -> tuple[str, dict[str, object], str, object]:
    """The report, the JSON export, the timeline and its JSON, as the CLI reads them."""
    with SqliteEventLog.open(db, read_only=True) as log:
        record, report = report_document(log, GAP_ID, now)
        chunks: list[str] = []
        _, head, tail = json_export_record(log, GAP_ID, now, chunks.append)
        timeline = timeline_from(record, now)
        timeline_json = timeline_data(record, now, gap=timedelta(minutes=5))
        events, state = log.events(GAP_ID), record.state
    exported = json.loads(head + "".join(chunks) + tail)
    # the same documents from the events in memory (`ReportRecord.of`)
    assert markdown_report(state, events, now) == report
    assert json.loads(json_export(state, events, now))["reading_gaps"] == exported["reading_gaps"]
    return report, exported, timeline, timeline_json


def test_the_rule_is_three_intervals_and_at_least_30s() -> None:
    def probe(interval: float) -> Probe:
        return Probe("p", ProbeKind.HTTP, "http://x", interval_s=interval)

    assert GAP_INTERVALS == 3
    assert timedelta(seconds=30) == GAP_AT_LEAST
    assert reading_gap(probe(5)) == timedelta(seconds=30)
    assert reading_gap(probe(15)) == timedelta(seconds=45)
    assert reading_gap(probe(0.5)) == timedelta(seconds=30)


def test_a_stretch_nobody_polled_is_named_in_every_document(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    polled = every(5, 5, 120) + every(5, 250, 300)
    rate = every(15, 15, 120) + every(15, 255, 300)
    with SqliteEventLog.open(db) as log:
        polled_record(log, polled, rate, close_at=305)
    report, exported, timeline, timeline_json = documents(db, at(400))

    named = [  # stretches alike, one line
        "- ⚠ no readings of `health` and `version` from T+02:00 to T+04:10 (2m10s)",
        "- ⚠ no readings of `error-rate` from T+02:00 to T+04:15 (2m15s)",
    ]
    assert gap_lines(report) == named
    assert "each longer than 3 of the probe's intervals and 30s" in report
    assert exported["reading_gaps"] == [
        {
            "probe": probe,
            "from": "2026-11-28T09:02:00.000Z",
            "to": to,
            "seconds": seconds,
            "until": "reading",
        }
        for probe, to, seconds in [
            ("health", "2026-11-28T09:04:10.000Z", 130.0),
            ("version", "2026-11-28T09:04:10.000Z", 130.0),
            ("error-rate", "2026-11-28T09:04:15.000Z", 135.0),
        ]
    ]
    for line in named:  # where the stretch ended: after the tick that ended it
        assert line in timeline
    assert "or a probe with no readings longer than 3 of the probe's intervals" in timeline
    items = [
        item
        for phase in timeline_json["phases"]  # type: ignore[index]
        for item in phase["items"]
        if item["type"] == "reading_gap"
    ]
    assert [(i["probe"], i["seconds"], i["until"]) for i in items] == [
        ("health", 130.0, "reading"),
        ("version", 130.0, "reading"),
        ("error-rate", 135.0, "reading"),
    ]
    assert_valid("export", exported)
    assert_valid("timeline", timeline_json)


def test_one_probe_left_unpolled_is_the_one_named(tmp_path: Path) -> None:
    """The error rate alone unrecorded from T+01:00 to T+03:00, the others polled: its
    ticks are found among the others' (`ticks_holding`), not by the ticks' times."""
    db = tmp_path / "r.db"
    polled, _ = regular(300)
    rate = every(15, 15, 60) + every(15, 180, 300)
    with SqliteEventLog.open(db) as log:
        polled_record(log, polled, rate, close_at=302)
    report, exported, timeline, _ = documents(db, at(400))
    line = "- ⚠ no readings of `error-rate` from T+01:00 to T+03:00 (2m00s)"
    assert gap_lines(report) == [line]
    assert [gap["probe"] for gap in exported["reading_gaps"]] == ["error-rate"]  # type: ignore[attr-defined]
    assert line in timeline


def test_a_stretch_until_the_close_says_so(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    polled, rate = regular(120)
    with SqliteEventLog.open(db) as log:
        polled_record(log, polled, rate, close_at=400)
    report, exported, timeline, _ = documents(db, at(500))
    line = (
        "- ⚠ no readings of `health`, `version` and `error-rate` from T+02:00 "
        "to the close at T+06:40 (4m40s)"
    )
    assert gap_lines(report) == [line]
    assert line in timeline
    assert {gap["until"] for gap in exported["reading_gaps"]} == {"close"}  # type: ignore[attr-defined]
    assert_valid("export", exported)


def test_an_open_incident_nobody_polls_says_so_far(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    polled, rate = regular(120)
    with SqliteEventLog.open(db) as log:
        polled_record(log, polled, rate)
    report, exported, _, _ = documents(db, at(200))
    assert gap_lines(report) == [
        "- ⚠ no readings of `health`, `version` and `error-rate` from T+02:00 to now, T+03:20 "
        "(1m20s so far)"
    ]
    assert {gap["until"] for gap in exported["reading_gaps"]} == {"now"}  # type: ignore[attr-defined]
    assert_valid("export", exported)


@pytest.mark.parametrize("pause", [29, 30])
def test_no_gap_nothing_said(tmp_path: Path, pause: int) -> None:
    """Polled throughout, or paused for the rule's length and no more: no section, no
    line, an empty list."""
    db = tmp_path / "r.db"
    polled = every(5, 5, 100) + every(5, 100 + pause, 300)
    rate = [*every(15, 15, 90), 120, *every(15, 135, 300)]
    with SqliteEventLog.open(db) as log:
        polled_record(log, polled, rate, close_at=301)
    report, exported, timeline, timeline_json = documents(db, at(400))
    assert SECTION not in report and "no readings of" not in report
    assert "no readings" not in timeline
    assert exported["reading_gaps"] == []
    assert "reading_gap" not in json.dumps(timeline_json)


def test_a_probe_named_like_another_is_not_it() -> None:
    """`health` is not found in `health-db`'s entries, nor in a value, and a tick that
    holds a probe twice is one tick."""
    ok = f"{FIELD}{FIELD}"  # an OK sample without a value, as `summary_text` writes it
    readings = [
        f"health-db{ok}{ENTRY}version{ok}",
        f"version{ok}{ENTRY}health{ok}",
        f"health{FIELD}2026-11-28T09:00:00.000Z{FIELD}1{ENTRY}health{ok}",
        "",
        f"x{ok}{ENTRY}health{ok}{ENTRY}health{FIELD}2026-11-28T09:00:00.000Z{FIELD}{ENTRY}y{ok}",
    ]
    text = ticks_text(readings)
    assert ticks_holding(readings, text, "health") == [1, 2, 4]
    assert ticks_holding(readings, text, "health-db") == [0]
    assert ticks_holding(readings, text, "version") == [0, 1]
    assert ticks_holding(readings, text, "2026-11-28T09:00:00.000Z") == []
    assert every_tick(readings, text, {"health", "health-db", "version", "x", "y"}) == set()
    same = [f"health{ok}{ENTRY}version{ok}", f"health{ok}{ENTRY}version{ok}{ENTRY}error-rate{ok}"]
    assert every_tick(same, ticks_text(same), {"health", "version", "error-rate"}) == {
        "health",
        "version",
    }
    longer = [f"health{ok}{ENTRY}version{ok}", f"health{ok}{ENTRY}version2{ok}"]  # not both
    assert every_tick(longer, ticks_text(longer), {"health", "version", "version2"}) == {"health"}
    timed = [f"a{ok}{ENTRY}b{FIELD}t{FIELD}1", f"a{ok}{ENTRY}b{FIELD}u{FIELD}2{ENTRY}c{ok}"]
    assert every_tick(timed, ticks_text(timed), {"a", "b", "c"}) == {"a", "b"}
    failed = [f"a{FIELD}t{FIELD}{ENTRY}b{ok}", f"a{ok}{ENTRY}b{ok}"]  # `a` failed, then not
    assert every_tick(failed, ticks_text(failed), {"a", "b"}) == {"a"}


def test_the_runs_read_agrees_with_the_decoded_one(tmp_path: Path) -> None:
    """Over a page of ticks (runs cut at 2,000 rows), gaps across a page's edge too."""
    db = tmp_path / "r.db"
    polled = every(5, 5, 9000) + every(5, 9100, 12000)
    rate = every(15, 15, 4500) + every(15, 4800, 12000)
    with SqliteEventLog.open(db) as log:
        polled_record(log, polled, rate)
    with SqliteEventLog.open(db, read_only=True) as log:
        record = report_record(log, GAP_ID)
        state, events = record.state, log.events(GAP_ID)
    from incident.reports.record import ReportRecord

    assert record.gaps == ReportRecord.of(state, events).gaps
    found = [(g.probe, g.start, g.end) for g in record.gaps.until(at(12001))]
    assert found == [
        ("error-rate", at(4500), at(4800)),
        ("health", at(9000), at(9100)),
        ("version", at(9000), at(9100)),
    ]


@pytest.mark.parametrize("at_text", ["garbage", "2026-11-28T09:01:00.000"])
def test_a_tick_time_edited_by_hand_is_the_stores_to_report(tmp_path: Path, at_text: str) -> None:
    """The report's read says where a row was edited (`StoreError`), as before the gaps
    were looked for; their tally neither fails first nor counts that tick."""
    db = tmp_path / "r.db"
    with SqliteEventLog.open(db) as log:
        polled_record(log, *regular(300), close_at=301)
    with contextlib.closing(sqlite3.connect(db, isolation_level=None)) as connection:
        drop_triggers(connection)
        edit = "UPDATE events SET at = ? WHERE incident_id = ? AND seq = 20"
        connection.execute(edit, (at_text, GAP_ID))
    with (
        SqliteEventLog.open(db, read_only=True) as log,
        pytest.raises(StoreError, match=f"event 20: unreadable timestamp '{at_text}'"),
    ):
        report_document(log, GAP_ID, at(400))
