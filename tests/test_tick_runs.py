"""Probe ticks read a page at a time as `TickRun`s: the same documents, fewer objects.

The exports read a long record's ticks as columns (`store.tick_runs`); everything
they write must be what reading each tick on its own (`scan`, `report_items`) gives,
on a real SQLite file whose ticks take every shape (`tests.golden.sampled`), with
pages small enough that runs end at page edges, at ticks no summary serves and at
the record's end. A run's summaries are read by patterns, so those are compared
with `summary_samples`, the tick-by-tick reader, on generated summaries.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import store.summarised
import store.tick_runs
from incident.core import tick_runs
from incident.core.chain import ChainReport, ChainWalk
from incident.core.events import Event
from incident.core.tick_runs import TickRun, whole
from incident.core.ticks import AT, OUTCOME, PROBE, VALUE, ProbeTick, reading, summary_samples
from incident.reports import report_json
from incident.reports.metrics import OPERATORS, MetricTally
from incident.reports.record import ReportRecord, read_record
from incident.reports.report import json_export_streamed, markdown_report_from
from incident.reports.timeline import timeline_from
from runbooks.model import Trigger, TriggerKind
from store import SqliteEventLog
from store.summarised import hashes_to_it, served
from tests.golden.incidents import PARIS
from tests.golden.sampled import SampledRecord, sampled_record
from tests.tampering import drop_triggers


@pytest.fixture(scope="module")
def sampled(tmp_path_factory: pytest.TempPathFactory) -> SampledRecord:
    return sampled_record(tmp_path_factory.mktemp("runs") / "sampled.db")


@pytest.fixture(params=[2000, 37], ids=["pages-of-2000", "pages-of-37"], name="page_rows")
def page_rows_fixture(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    """Rows a page (and ticks a run, at most): the store's own, and few enough to cut
    the sampled record's runs at many page edges."""
    rows = int(request.param)
    monkeypatch.setattr(store.summarised, "PAGE_ROWS", rows)
    monkeypatch.setattr(store.tick_runs, "PAGE_ROWS", rows)
    return rows


def _documents(record: ReportRecord, sampled: SampledRecord) -> str:
    return markdown_report_from(record, sampled.now, tz=PARIS) + timeline_from(
        record, sampled.now, tz=PARIS
    )


def _json(items: object, sampled: SampledRecord) -> str:
    parts: list[str] = []
    head, tail = json_export_streamed(items, sampled.now, parts.append)  # type: ignore[arg-type]
    return head + "".join(parts) + tail


def _exports(db: Path, sampled: SampledRecord) -> tuple[list[object], str, str, ChainReport]:
    """The export's items, its JSON written by run, the JSON written from a scan, and
    what the export's read found of the chain."""
    walk = ChainWalk(sampled.incident_id)
    with SqliteEventLog.open(db, read_only=True) as log:
        items: list[object] = list(log.export_items(sampled.incident_id, walk))
        by_run = _json(items, sampled)
        scanned = _json(log.scan(sampled.incident_id), sampled)
    return items, by_run, scanned, walk.report()


def _export_items(log: SqliteEventLog, sampled: SampledRecord) -> list[object]:
    """The JSON export's items of the sampled record, which verifies."""
    walk = ChainWalk(sampled.incident_id)
    items: list[object] = list(log.export_items(sampled.incident_id, walk))
    assert walk.report().ok, walk.report()
    return items


def _seqs(items: list[object]) -> list[int]:
    """Each event's seq, a run standing for its ticks and the events between them."""
    seqs: list[int] = []
    for item in items:
        if isinstance(item, TickRun):
            seqs += sorted([*item.seqs, *(event.seq for event in item.between)])
        else:
            seqs.append(item.seq)  # type: ignore[attr-defined]
    return seqs


def test_the_report_reads_runs_and_writes_what_it_wrote_tick_by_tick(
    sampled: SampledRecord, page_rows: int
) -> None:
    with SqliteEventLog.open(sampled.db, read_only=True) as log:
        items: list[object] = list(
            log.report_items(sampled.incident_id, ChainWalk(sampled.incident_id), runs=True)
        )
        by_run = read_record(
            log.report_items(sampled.incident_id, ChainWalk(sampled.incident_id), runs=True)
        )
        one_by_one = read_record(
            log.report_items(sampled.incident_id, ChainWalk(sampled.incident_id))
        )
    runs = [item for item in items if isinstance(item, TickRun)]
    ticks = sum(event.kind == "probe.samples" for event in sampled.events)
    assert sum(len(run) for run in runs) > 0.9 * ticks
    assert max(len(run) for run in runs) <= page_rows
    assert any(run.between for run in runs)  # runs go on across the other events
    assert _seqs(items) == [event.seq for event in sampled.events]
    assert by_run.state == one_by_one.state == sampled.state
    assert (by_run.ticks, by_run.samples) == (one_by_one.ticks, one_by_one.samples)
    assert by_run.metrics == one_by_one.metrics
    assert _documents(by_run, sampled) == _documents(one_by_one, sampled)


def test_the_json_export_reads_runs_carrying_each_ticks_text(
    sampled: SampledRecord, page_rows: int
) -> None:
    with SqliteEventLog.open(sampled.db, read_only=True) as log:
        items = _export_items(log, sampled)
        by_run = _json(items, sampled)
        scanned = _json(log.scan(sampled.incident_id), sampled)
    runs = [item for item in items if isinstance(item, TickRun)]
    assert sum(len(run) for run in runs) > 0.9 * len(
        [event for event in sampled.events if event.kind == "probe.samples"]
    )
    assert all(len(run.payloads) == len(run) for run in runs)
    assert _seqs(items) == [event.seq for event in sampled.events]
    assert by_run == scanned


def test_a_tick_whose_text_no_longer_hashes_is_copied_from_its_row(
    sampled: SampledRecord, tmp_path: Path
) -> None:
    """The hash column left alone, the payload edited: the summary still names the
    event, but the JSON export copies only text that hashes to it, so this tick is
    read from its row, as `scan` reads it, and what is written is the edited text."""
    db = tmp_path / "edited.db"
    with sqlite3.connect(sampled.db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(sampled.db, db)
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        drop_triggers(conn)
        seq, payload = conn.execute(
            "SELECT e.seq, e.payload FROM events AS e JOIN tick_samples AS t "
            "ON t.incident_id = e.incident_id AND t.seq = e.seq "
            "WHERE e.payload LIKE '%\"latency_ms\":1%' ORDER BY e.seq LIMIT 1 OFFSET 300"
        ).fetchone()
        edited = payload.replace('"latency_ms":1', '"latency_ms":9', 1)
        conn.execute("UPDATE events SET payload = ? WHERE seq = ?", (edited, seq))
    finally:
        conn.close()
    items, by_run, scanned, chain = _exports(db, sampled)
    alone = [item for item in items if isinstance(item, ProbeTick | Event) and item.seq == seq]
    assert len(alone) == 1 and not any(
        isinstance(item, TickRun) and seq in item.seqs for item in items
    )
    assert by_run == scanned and edited in by_run
    assert (chain.first_bad_seq, chain.problem) == (seq, "content does not match its hash")


def test_an_event_among_ticks_is_copied_only_while_its_text_is_canonical(
    sampled: SampledRecord, tmp_path: Path
) -> None:
    """The events between a run's ticks are written from their stored time and payload
    when those are what the export would write of them; an event whose text was edited
    into another spelling of the same values (a space, a time with an offset, its hash
    left alone) is written as the export always wrote it, from what it decodes to."""
    db = tmp_path / "respelled.db"
    with sqlite3.connect(sampled.db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(sampled.db, db)
    with SqliteEventLog.open(db, read_only=True) as log:
        runs = [item for item in _export_items(log, sampled) if isinstance(item, TickRun)]
    among = [event for run in runs for event in run.between]
    spaced, offset = among[len(among) // 3], among[2 * len(among) // 3]
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        drop_triggers(conn)
        payload = conn.execute("SELECT payload FROM events WHERE seq = ?", (spaced.seq,))
        respelled = payload.fetchone()[0].replace('":', '": ', 1)
        conn.execute("UPDATE events SET payload = ? WHERE seq = ?", (respelled, spaced.seq))
        at = conn.execute("SELECT at FROM events WHERE seq = ?", (offset.seq,)).fetchone()[0]
        conn.execute(
            "UPDATE events SET at = ? WHERE seq = ?", (at.replace("Z", "+00:00"), offset.seq)
        )
    finally:
        conn.close()
    items, by_run, scanned, chain = _exports(db, sampled)
    still_among = {
        event.seq for item in items if isinstance(item, TickRun) for event in item.between
    }
    assert {spaced.seq, offset.seq} <= still_among  # read with the run, not apart from it
    assert by_run == scanned
    assert respelled not in by_run and at.replace("Z", "+00:00") not in by_run
    assert f'"at":"{at}"' in by_run
    first = min(spaced.seq, offset.seq)  # the export names the first, as `verify` does
    assert chain.first_bad_seq == first and chain.problem.startswith(
        "payload is not its canonical" if first == spaced.seq else "timestamp"
    )


def test_the_events_among_ticks_are_not_encoded_again(
    sampled: SampledRecord, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a record as written, only the events outside runs are encoded from their payload."""
    encoded: list[int] = []
    encode = report_json._event_text
    monkeypatch.setattr(report_json, "_event_text", lambda e: encoded.append(e.seq) or encode(e))
    with SqliteEventLog.open(sampled.db, read_only=True) as log:
        items = _export_items(log, sampled)
        _json(items, sampled)
    among = [event.seq for item in items if isinstance(item, TickRun) for event in item.between]
    outside = [item.seq for item in items if isinstance(item, Event)]
    assert among and sorted(encoded) == outside


# --- a run's summaries read by patterns, against `summary_samples` --------------------


@contextmanager
def counted_in_one_pass() -> Iterator[None]:
    kept = tick_runs.COUNTED_PROBES
    tick_runs.COUNTED_PROBES = 0
    try:
        yield
    finally:
        tick_runs.COUNTED_PROBES = kept


PROBES = st.sampled_from(["health", "error-rate", "a.b*c", "(x)", "", "v+1", "error"])
TIMES = st.sampled_from(["2026-11-28T09:00:00.000Z", "2026-11-28T09:00:02.500Z"])
SUMMARY_ENTRY = st.one_of(
    PROBES,  # as summaries were written before failures were kept: never whole
    PROBES.map(lambda probe: f"{probe}\x1f\x1f"),  # OK, no value
    st.tuples(PROBES, TIMES).map(lambda fields: f"{fields[0]}\x1f{fields[1]}\x1f"),  # failed
    st.tuples(
        PROBES,
        TIMES,
        st.sampled_from(["0", "1", "-3", "0.004", "1e-05", "1e+16", "12.5"]),
    ).map(lambda fields: "\x1f".join(fields)),
)
TICK = st.lists(SUMMARY_ENTRY, max_size=4).map(lambda entries: (len(entries), "\x1e".join(entries)))


@settings(max_examples=300)
@given(st.lists(TICK, min_size=1, max_size=12))
def test_a_runs_probes_and_readings_are_those_of_its_ticks(ticks: list[tuple[int, str]]) -> None:
    counts = [count for count, _ in ticks]
    readings = [text for _, text in ticks]
    read = [summary_samples(count, text) for count, text in ticks]
    assert whole(counts, readings) == all(samples is not None for samples in read)
    if not whole(counts, readings):
        return
    run = TickRun(
        "INC",
        list(range(1, len(ticks) + 1)),
        ["t"] * len(ticks),
        ["h"] * len(ticks),
        counts,
        readings,
        lambda seq: pytest.fail("nothing decodes here"),
    )
    samples = [sample for one in read for sample in one or ()]
    probes = [sample[PROBE] for sample in samples]
    counted = [(probe, probes.count(probe)) for probe in dict.fromkeys(probes)]
    assert list(run.probes().items()) == counted  # in the order each first appears
    with counted_in_one_pass():  # as runs of more than COUNTED_PROBES probes are
        assert list(run.probes().items()) == counted
    for probe in set(probes):
        expected = [
            (sample[AT], sample[VALUE])
            for sample in samples
            if sample[PROBE] == probe and sample[OUTCOME] == "ok" and sample[VALUE] is not None
        ]
        assert run.readings_of(probe) == expected
        assert run.checks_of(probe) == [  # every sample: a failed one has a time, no value
            (sample[AT], sample[VALUE] or "") for sample in samples if sample[PROBE] == probe
        ]
        assert [at for at, value in run.checks_of(probe) if at and not value] == [
            sample[AT] for sample in samples if sample[PROBE] == probe and sample[OUTCOME] != "ok"
        ]
        held = run.last_ticks_of(probe, len(samples))
        assert [tick.seq for tick in held] == [
            seq for seq, one in enumerate(read, 1) for sample in one or () if sample[PROBE] == probe
        ]


@settings(max_examples=500)
@given(st.text(st.sampled_from(["\x1e", "\x1f", "a", "é", "\x1d", "\x9e", "\ud800"]), max_size=40))
def test_a_runs_shape_is_checked_in_its_separators_as_the_pattern_checks_it(text: str) -> None:
    joined = "\x1e" + text
    assert tick_runs._shaped(joined) == (tick_runs._shapes().fullmatch(joined, 1) is not None)


def test_a_summary_of_another_shape_is_not_a_whole_run() -> None:
    assert not whole([1], ["health\x1f2026-11-28T09:00:00.000Z"])  # one FIELD
    assert not whole([2], ["health\x1f\x1f"])  # fewer samples than it says
    assert not whole([0], ["health\x1f\x1f"])  # a sample in a tick that has none
    assert not whole([1], ["health"])  # written before failures were kept
    assert whole([1, 0], ["health\x1f\x1f", ""])
    assert whole([0, 1], ["", "\x1f\x1f"])  # none; one of a probe with no name
    assert not whole([0, 1], ["", ""])  # that one as written before failures were kept


@settings(max_examples=300)
@given(
    op=st.sampled_from(sorted(OPERATORS)),
    values=st.lists(
        st.sampled_from(["0", "1", "0.5", "0.05", "0.06", "1e-05", "5", "2.0"]), max_size=30
    ),
    cut=st.integers(0, 30),
)
def test_a_tally_takes_a_runs_readings_as_it_takes_them_one_by_one(
    op: str, values: list[str], cut: int
) -> None:
    trigger = Trigger("t", "error rate", TriggerKind.METRIC, "error-rate", op, 0.05)
    times = [f"2026-11-28T09:{minute:02d}:00.000Z" for minute in range(len(values))]
    readings = list(zip(times, values, strict=True))
    one, runs = MetricTally(trigger, op, 0.05), MetricTally(trigger, op, 0.05)
    for at, value in readings:
        one.add(at, reading(value))
    runs.add_stored(readings[:cut])  # two runs, cut anywhere: a breach may stay open across
    runs.add_stored(readings[cut:])
    for name in (
        "readings",
        "_above",
        "_peak",
        "_worst",
        "_last",
        "_first_above",
        "_last_above",
        "_run_start",
        "_runs",
    ):
        assert getattr(runs, name) == getattr(one, name), name
        assert type(getattr(runs, name)) is type(getattr(one, name)), name


def test_a_pages_hashes_checked_at_once_are_those_checked_one_by_one(
    sampled: SampledRecord,
) -> None:
    with SqliteEventLog.open(sampled.db, read_only=True) as log:
        stored = log._query(store.tick_runs._EXPORT, (sampled.incident_id, 0, 10**6))
    rows = [store.tick_runs._full(sampled.incident_id, row) for row in stored]
    edited = [list(row) for row in rows]
    named = [i for i, row in enumerate(rows) if row[9] is not None]
    edited[named[5]][6] = edited[named[5]][6].replace("1", "2", 1)  # no longer hashes
    edited[named[9]][2] = 'not "plain"'  # a time no summary's text can have
    two_actors = [list(row) for row in rows]
    two_actors[named[3]][4] = "someone else"
    for page in (rows, [tuple(row) for row in edited], [tuple(row) for row in two_actors]):
        one_by_one = [row[9] is not None and hashes_to_it(row, row[9], row[10], {}) for row in page]
        assert served(page, {}) == one_by_one
        assert sum(one_by_one) > 0.9 * len(named) - 3
    assert not served([tuple(row) for row in edited], {})[named[5]]
