"""The record streamed from a real SQLite file: the same events, the same documents.

`SqliteEventLog.scan` reads a page at a time and hands over probe ticks undecoded;
the exports, the timeline and `verify` read it so. Here each is compared with what
the decoded events give (the golden documents and digests were written by the code
before the record streamed), through the functions and through the CLI.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import incident.app.exports as exports
from incident.core.chain import GENESIS
from incident.core.events import Event, NewEvent
from incident.core.state import fold
from incident.core.text import json_text
from incident.core.ticks import ProbeTick
from incident.reports.record import read_record
from incident.reports.report import (
    json_export,
    json_export_streamed,
    markdown_report,
    markdown_report_from,
)
from incident.reports.timeline import markdown_timeline, timeline_from
from store import SqliteEventLog, StoreError
from store.rows import check_rows
from tests.cli_helpers import InProcessCli
from tests.fixture_files import fingerprint
from tests.golden.digests import check_golden_digest, placeholders
from tests.golden.incidents import PARIS, Record, closed_record, hostile_record, normalise
from tests.golden.markdown_checks import check_golden
from tests.golden.sampled import SampledRecord, sampled_record
from tests.tampering import drop_triggers
from tui.cli.main import main

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "previous-release.db"


@pytest.fixture(scope="module")
def sampled(tmp_path_factory: pytest.TempPathFactory) -> SampledRecord:
    return sampled_record(tmp_path_factory.mktemp("stream") / "sampled.db")


def _stored(record: Record, db: Path) -> Path:
    """The golden record written to a SQLite file: the same rows, so the same hashes."""
    with SqliteEventLog.open(db) as log:
        again = log.append(
            [NewEvent(e.incident_id, e.actor, e.at, e.mono_ns, e.data) for e in record.events]
        )
    assert [e.hash for e in again] == [e.hash for e in record.events]
    return db


def _streamed_json(db: Path, incident_id: str, now: object) -> str:
    parts: list[str] = []
    with SqliteEventLog.open(db, read_only=True) as log:
        head, tail = json_export_streamed(log.scan(incident_id), now, parts.append)  # type: ignore[arg-type]
    return head + "".join(parts) + tail


def test_scan_gives_the_events_with_most_ticks_undecoded(sampled: SampledRecord) -> None:
    with SqliteEventLog.open(sampled.db, read_only=True) as log:
        items = list(log.scan(sampled.incident_id))
        paged = list(log.scan(sampled.incident_id, after_seq=5, upto_seq=700))
    ticks = [item for item in items if isinstance(item, ProbeTick)]
    assert len(ticks) > 0.8 * len(items)
    assert len(ticks) < sum(e.kind == "probe.samples" for e in sampled.events)  # some decoded
    decoded = [item.event() if isinstance(item, ProbeTick) else item for item in items]
    assert decoded == sampled.events
    assert [item.seq for item in paged] == list(range(6, 701))


def test_streamed_documents_match_the_golden_ones(sampled: SampledRecord, tmp_path: Path) -> None:
    now = sampled.now
    with SqliteEventLog.open(sampled.db, read_only=True) as log:
        record = read_record(log.scan(sampled.incident_id))
    assert record.state == sampled.state
    check_golden("sampled-report.md", markdown_report_from(record, now, tz=PARIS))
    check_golden("sampled-timeline.md", timeline_from(record, now, tz=PARIS))
    check_golden_digest("sampled-export.json", _streamed_json(sampled.db, sampled.incident_id, now))
    for name, golden in (("closed", closed_record()), ("hostile", hostile_record())):
        db = _stored(golden, tmp_path / f"{name}.db")
        incident_id = golden.state.id
        with SqliteEventLog.open(db, read_only=True) as log:
            record = read_record(log.scan(incident_id))
        report = markdown_report_from(record, golden.now, tz=PARIS)
        check_golden(f"{name}-report.md", normalise(report, golden.events))
        if name == "closed":
            timeline = timeline_from(record, golden.now, tz=PARIS)
            check_golden("closed-timeline.md", normalise(timeline, golden.events))
        text = _streamed_json(db, incident_id, golden.now)
        source = golden.state.runbook.source
        check_golden_digest(f"{name}-export.json", placeholders(text, golden.events, source=source))


def _with_status_of(cli_text: str, state_now_text: str) -> str:
    """The CLI's export with its `status` (which says when it ran) as in `state_now_text`."""
    cli_status = json_text(json.loads(cli_text)["status"], indent=None, sort_keys=True)
    own_status = json_text(json.loads(state_now_text)["status"], indent=None, sort_keys=True)
    assert cli_text.count(cli_status) == 1
    return cli_text.replace(cli_status, own_status)


def test_cli_export_writes_what_the_functions_write(sampled: SampledRecord, tmp_path: Path) -> None:
    cli = InProcessCli(sampled.db)
    expected = json_export(sampled.state, sampled.events, sampled.now)
    assert (
        _with_status_of(cli.ok("export", sampled.incident_id, "--format", "json"), expected)
        == expected
    )
    report = cli.ok("export", sampled.incident_id, "--tz", "Europe/Paris")
    assert report == markdown_report(sampled.state, sampled.events, sampled.now, tz=PARIS)
    timeline = cli.ok("timeline", sampled.incident_id, "--tz", "Europe/Paris")
    assert timeline == markdown_timeline(sampled.state, sampled.events, sampled.now, tz=PARIS)


def test_a_json_export_larger_than_its_spool_spills_and_is_whole(
    sampled: SampledRecord, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "export.json"
    monkeypatch.setattr(exports, "SPOOL_IN_MEMORY", 4096)
    monkeypatch.setattr(exports, "COPY_BYTES", 1000)
    args = ["--db", str(sampled.db), "export", sampled.incident_id, "--format", "json"]
    assert main([*args, "-o", str(target)]) == 0
    written = target.read_text(encoding="utf-8")
    expected = json_export(sampled.state, sampled.events, sampled.now)
    assert _with_status_of(written, expected) == expected


def test_previous_release_record_exports_through_the_cli_untouched() -> None:
    before = fingerprint(FIXTURE.parent)
    cli = InProcessCli(FIXTURE)
    with SqliteEventLog.open(FIXTURE, read_only=True) as log:
        incidents = {i: log.events(i) for i in log.incident_ids()}
    closed = 0
    for incident_id, events in incidents.items():
        state = fold(events)
        now = (state.closed_at or events[-1].at) + timedelta(hours=1)
        expected = json_export(state, events, now)
        written = cli.ok("export", incident_id, "--format", "json")
        if state.is_closed:  # an open one's figures run to the moment it is exported
            closed += 1
            assert _with_status_of(written, expected) == expected
        record, own = json.loads(written), json.loads(expected)
        for key in ("events", "event_count", "head_hash", "samples", "authors"):
            assert record[key] == own[key], key
        assert cli.ok("export", incident_id, "--tz", "UTC").startswith("# Incident report")
        assert cli.ok("verify", incident_id).startswith(f"{incident_id}: ok")
    assert closed > 0
    assert fingerprint(FIXTURE.parent) == before


# Tampering with probe ticks: the streamed reading says what the decoding one says


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory, sampled: SampledRecord) -> tuple[Path, str]:
    """The first 60 events of the sampled record, in a file of their own."""
    db = tmp_path_factory.mktemp("small") / "small.db"
    with SqliteEventLog.open(db) as log:
        log.append(
            [NewEvent(e.incident_id, e.actor, e.at, e.mono_ns, e.data) for e in sampled.events[:60]]
        )
    return db, sampled.incident_id


def _copy(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    return target


def _tamper(db: Path, incident_id: str, seq: int, column: str, value: str) -> None:
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        drop_triggers(conn)
        conn.execute(
            f"UPDATE events SET {column} = ? WHERE incident_id = ? AND seq = ?",
            (value, incident_id, seq),
        )
    finally:
        conn.close()


def _old_reading(db: Path, incident_id: str) -> tuple[object, list[Event] | str]:
    """What `verify` and `events` said before the record streamed: decode every row."""
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute(
            "SELECT * FROM events WHERE incident_id = ? AND seq > 0 ORDER BY seq", (incident_id,)
        ).fetchall()
    finally:
        conn.close()
    _, report, _ = check_rows(incident_id, rows, GENESIS)
    with SqliteEventLog.open(db, read_only=True) as log:
        try:
            events: list[Event] | str = log.events(incident_id)
        except StoreError as error:
            events = str(error)
    return report, events


def _new_reading(db: Path, incident_id: str) -> tuple[object, list[Event] | str]:
    with SqliteEventLog.open(db, read_only=True) as log:
        report = log.verify(incident_id)
        try:
            items: Iterator[Event | ProbeTick] = log.scan(incident_id)
            events: list[Event] | str = [
                item.event() if isinstance(item, ProbeTick) else item for item in items
            ]
        except StoreError as error:
            events = str(error)
    return report, events


EDITS = st.sampled_from(list('0123456789.eE+-",:{}[] \\aZ'))


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    seq=st.integers(2, 60),
    column=st.sampled_from(["payload", "at"]),
    where=st.integers(0),
    how=st.sampled_from(["insert", "delete", "replace"]),
    char=EDITS,
)
# Year 2026 made 0026: glibc's strftime wrote year 26 as "26", so the decoding reading
# called the edit a respelling while the streamed one called it a hash mismatch.
@example(seq=2, column="at", where=0, how="replace", char="0")
def test_a_tick_edited_anywhere_is_reported_as_the_decoding_reading_reports_it(
    small: tuple[Path, str],
    tmp_path_factory: pytest.TempPathFactory,
    seq: int,
    column: str,
    where: int,
    how: str,
    char: str,
) -> None:
    source, incident_id = small
    db = _copy(source, tmp_path_factory.mktemp("edit") / "edited.db")
    conn = sqlite3.connect(db)
    (text,) = conn.execute(
        f"SELECT {column} FROM events WHERE incident_id = ? AND seq = ?", (incident_id, seq)
    ).fetchone()
    conn.close()
    at = where % (len(text) + 1)
    if how == "insert":
        edited = text[:at] + char + text[at:]
    elif how == "delete":
        edited = text[:at] + text[at + 1 :]
    else:
        edited = text[:at] + char + text[at + 1 :]
    _tamper(db, incident_id, seq, column, edited)
    assert _new_reading(db, incident_id) == _old_reading(db, incident_id)


def test_an_unreadable_tick_stops_the_export_as_it_did(
    small: tuple[Path, str], tmp_path: Path
) -> None:
    source, incident_id = small
    db = _copy(source, tmp_path / "unreadable.db")
    _tamper(db, incident_id, 9, "payload", '{"samples":[{"probe":1}]}')
    cli = InProcessCli(db)
    for args in (("export", incident_id), ("export", incident_id, "--format", "json")):
        result = cli.run(*args)
        assert result.code == 2 and "event 9: probe.samples field" in result.err
        assert "run verify for details" in result.err and "Traceback" not in result.err
