"""Tick summaries kept beside the events: written with them, read by reports, checked by verify.

A real SQLite file each time. The documents read through the summaries must be the
bytes the events alone give (the golden tests hold those); here, that the summaries
are what the readers actually use, that a reader ignores one whose event changed,
and that `verify` catches one that was forged. The verbs run through the CLI's `main`
in this process (`InProcessCli`): what they print is the test's, not the process.
"""

from __future__ import annotations

import itertools
import shutil
import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from incident.app.session import IncidentSession
from incident.core.chain import ChainWalk, text_hash
from incident.core.clock import ManualClock
from incident.core.events import Event
from incident.core.state import fold
from incident.core.tick_runs import TickRun
from incident.core.ticks import ProbeTick, SampledTick, read_samples
from incident.reports.record import read_record
from incident.reports.report import markdown_report_from
from incident.reports.timeline import timeline_from
from store import SCHEMA_VERSION, SqliteEventLog, summarised
from tests.cli_helpers import InProcessCli
from tests.golden.incidents import PARIS
from tests.golden.sampled import SampledRecord, sampled_record

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "previous-release.db"


@pytest.fixture(scope="module")
def sampled(tmp_path_factory: pytest.TempPathFactory) -> SampledRecord:
    return sampled_record(tmp_path_factory.mktemp("summaries") / "sampled.db")


@pytest.fixture
def copy(sampled: SampledRecord, tmp_path: Path) -> Path:
    target = tmp_path / "copy.db"
    with sqlite3.connect(sampled.db) as conn:  # the -wal folded in, so one file is the record
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(sampled.db, target)
    return target


def _raw(db: Path, *statements: tuple[str, tuple[object, ...]]) -> None:
    """Edit the file as another tool would, the append-only triggers dropped first."""
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"):
            conn.execute(f'DROP TRIGGER "{name}"')
        for sql, parameters in statements:
            conn.execute(sql, parameters)
    finally:
        conn.close()


def _documents(db: Path, incident_id: str, sampled: SampledRecord, *, summaries: bool) -> str:
    with SqliteEventLog.open(db, read_only=True) as log:
        items = (
            log.report_items(incident_id, ChainWalk(incident_id))
            if summaries
            else log.scan(incident_id)
        )
        record = read_record(items)
    now = sampled.now
    return markdown_report_from(record, now, tz=PARIS) + timeline_from(record, now, tz=PARIS)


def test_each_tick_is_summarised_in_the_append_that_records_it(sampled: SampledRecord) -> None:
    with sqlite3.connect(sampled.db) as conn:
        rows = conn.execute(
            "SELECT e.seq, e.payload, t.samples FROM events AS e LEFT JOIN tick_samples AS t "
            "ON t.incident_id = e.incident_id AND t.seq = e.seq AND t.hash = e.hash "
            "WHERE e.kind = 'probe.samples' ORDER BY e.seq"
        ).fetchall()
        others = conn.execute(
            "SELECT COUNT(*) FROM tick_samples AS t JOIN events AS e "
            "ON t.incident_id = e.incident_id AND t.seq = e.seq WHERE e.kind != 'probe.samples'"
        ).fetchone()[0]
    assert len(rows) > 800 and others == 0
    for seq, payload, count in rows:
        read = read_samples(payload)
        # A tick whose text the pattern does not read (escapes in a detail) has none.
        assert count == (None if read is None else len(read)), seq
    assert sum(count is None for _, _, count in rows) < len(rows) / 10


def test_reports_read_the_summaries_not_the_ticks(sampled: SampledRecord) -> None:
    with SqliteEventLog.open(sampled.db, read_only=True) as log:
        items = list(log.report_items(sampled.incident_id, ChainWalk(sampled.incident_id)))
        scanned = list(log.scan(sampled.incident_id))
        record = read_record(items)  # the latest ticks' samples are read from the open log
    assert [item.seq for item in items] == [event.seq for event in sampled.events]
    summarised = [item for item in items if isinstance(item, SampledTick)]
    ticks = [e for e in sampled.events if e.kind == "probe.samples"]
    assert len(summarised) > 0.9 * len(ticks)
    # `scan` builds its ticks from the summaries too (the JSON export copies every event):
    # a tick read by the pattern has each sample's day, one from a summary has not.
    from_summaries = [
        i for i in scanned if isinstance(i, ProbeTick) and i.samples and i.samples[0][1] == ""
    ]
    assert len(from_summaries) == sum(bool(s.samples) for s in summarised)
    assert [i.event() if isinstance(i, ProbeTick) else i for i in scanned] == sampled.events
    assert record.state == sampled.state


def test_a_summary_whose_tick_changed_is_not_used(sampled: SampledRecord, copy: Path) -> None:
    """A tick rewritten and re-hashed (the summary still names the old hash) is read
    from its row: the documents are those of the events as they now are."""
    incident_id = sampled.incident_id
    with sqlite3.connect(copy) as conn:
        seq, payload = conn.execute(
            "SELECT e.seq, e.payload FROM events AS e JOIN tick_samples AS t "
            "ON t.incident_id = e.incident_id AND t.seq = e.seq "
            'WHERE e.payload LIKE \'%"error-rate"%"value":%\' '
            "ORDER BY e.seq DESC LIMIT 1 OFFSET 400"
        ).fetchone()
    edited = payload.replace('"value":', '"value":9', 1)  # a breach the summary does not have
    _raw(copy, ("UPDATE events SET payload = ?, hash = ? WHERE seq = ?", (edited, "f" * 64, seq)))
    new = _documents(copy, incident_id, sampled, summaries=True)
    assert new == _documents(copy, incident_id, sampled, summaries=False)
    assert new != _documents(sampled.db, incident_id, sampled, summaries=True)


@pytest.mark.parametrize(
    "forgery",
    ["figures", "no-tick", "past-the-head"],
)
def test_verify_catches_a_forged_summary(sampled: SampledRecord, copy: Path, forgery: str) -> None:
    incident_id = sampled.incident_id
    with sqlite3.connect(copy) as conn:
        seq, digest, count, readings = conn.execute(
            "SELECT seq, hash, samples, readings FROM tick_samples "
            "WHERE readings LIKE '%error-rate%' ORDER BY seq LIMIT 1 OFFSET 100"
        ).fetchone()
        note_seq, note_hash = conn.execute(
            "SELECT seq, hash FROM events WHERE kind = 'note.added' ORDER BY seq LIMIT 1"
        ).fetchone()
        last = conn.execute("SELECT MAX(seq) FROM events").fetchone()[0]
    insert = "INSERT OR REPLACE INTO tick_samples VALUES (?, ?, ?, ?, ?)"
    if forgery == "figures":  # the error rate said to be far above its threshold
        head, _, _ = readings.rpartition("\x1f")
        row: tuple[object, ...] = (incident_id, seq, digest, count, f"{head}\x1f0.9")
        where, problem = seq, f"the tick summary of event {seq} is not the event's"
    elif forgery == "no-tick":
        row = (incident_id, note_seq, note_hash, 1, "error-rate\x1f2026-11-28T09:00:00.000Z\x1f0.9")
        where, problem = note_seq, f"a tick summary is stored for event {note_seq}, which has none"
    else:
        row = (incident_id, last + 5, "0" * 64, 1, "health")
        where, problem = last + 5, f"a tick summary stands for event {last + 5}, not recorded"
    cli = InProcessCli(copy)
    assert cli.ok("verify", incident_id).startswith(f"{incident_id}: ok")  # before the forgery
    _raw(copy, (insert, row))
    result = cli.run("verify", incident_id)
    assert result.code == 1, result.out
    assert f"event {where}" in result.out + result.err
    assert problem in result.out + result.err


def test_the_previous_release_is_summarised_when_a_writer_opens_it(tmp_path: Path) -> None:
    """Migration 3 fills the summaries from the events there are; every document and
    `verify` say after it what they said before it."""
    for suffix in ("", "-wal", "-shm"):
        source = FIXTURE.with_name(FIXTURE.name + suffix)
        if source.exists():
            shutil.copyfile(source, tmp_path / f"old.db{suffix}")
    db = tmp_path / "old.db"
    cli = InProcessCli(db)
    with SqliteEventLog.open(db, read_only=True) as log:
        incidents = log.incident_ids()
        closed = [i for i in incidents if fold(log.events(i)).is_closed]

    def documents() -> dict[str, tuple[str, ...]]:
        found = {}
        for incident_id in incidents:
            found[incident_id] = (
                cli.ok("verify", incident_id),
                cli.ok("timeline", incident_id, "--tz", "UTC") if incident_id in closed else "",
                cli.ok("export", incident_id, "--tz", "UTC") if incident_id in closed else "",
            )
        return found

    before = documents()
    SqliteEventLog.open(db).close()  # a writer: the file goes to version 3, then on
    with sqlite3.connect(db) as conn:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        summaries = conn.execute("SELECT COUNT(*) FROM tick_samples").fetchone()[0]
        ticks = conn.execute("SELECT COUNT(*) FROM events WHERE kind = 'probe.samples'").fetchone()
    assert version == SCHEMA_VERSION and 0 < summaries <= ticks[0]
    assert documents() == before
    assert all(text.startswith(f"{i}: ok") for i, (text, _, _) in before.items())
    assert closed


def test_a_tick_appended_later_is_summarised_and_read_alike(
    sampled: SampledRecord, copy: Path
) -> None:
    """The summaries keep up as the record grows (here, a tick after close)."""
    from incident.core.events import NewEvent
    from incident.core.payloads import ProbeSamples
    from incident.core.samples import Outcome, Sample

    at = sampled.events[-1].at + timedelta(seconds=5)
    tick = ProbeSamples((Sample("error-rate", at, Outcome.OK, 3.0, 200, value=0.25),))
    with SqliteEventLog.open(copy) as log:
        (recorded,) = log.append([NewEvent(sampled.incident_id, "probes", at, 1, tick)])
        assert log.verify(sampled.incident_id).ok
    with SqliteEventLog.open(copy, read_only=True) as log:
        last = list(log.report_items(sampled.incident_id, ChainWalk(sampled.incident_id)))[-1]
        assert isinstance(last, SampledTick) and last.seq == recorded.seq
        assert last.decode() == tick  # read from the open log
    assert _documents(copy, sampled.incident_id, sampled, summaries=True) == _documents(
        copy, sampled.incident_id, sampled, summaries=False
    )


def test_a_session_opens_on_the_summaries_and_folds_what_the_events_give(
    sampled: SampledRecord,
) -> None:
    """`IncidentSession` (every verb, `status`, the screens) verifies the chain as it
    reads, and takes each page's summarised ticks as one run: their text hashed, not
    parsed. `scan` with a walk, tick by tick, takes them from their summaries too."""
    with SqliteEventLog.open(sampled.db, read_only=True) as log:
        walk = ChainWalk(sampled.incident_id)
        read = list(log.scan(sampled.incident_id, walk=walk))
        opening = ChainWalk(sampled.incident_id)
        items = list(log.opening_items(sampled.incident_id, opening))
        session = IncidentSession(log, sampled.incident_id, ManualClock(sampled.now), journal=True)
    from_summaries = [
        i for i in read if isinstance(i, ProbeTick) and i.samples and i.samples[0][1] == ""
    ]
    assert len(from_summaries) > 800
    assert [i.event() if isinstance(i, ProbeTick) else i for i in read] == sampled.events
    assert walk.report() == opening.report() and walk.report().ok
    runs = [item for item in items if isinstance(item, TickRun)]
    ticks = [e for e in sampled.events if e.kind == "probe.samples"]
    assert sum(len(run) for run in runs) > 0.9 * len(ticks)
    assert session.damage is None and session.state == sampled.state
    # The journal (a timeline's opening) has every event read decoded, runs' included:
    # all but the ticks, and those whose text no summary reads (decoded, as before).
    journal = session.take_applied()
    assert journal == [item for item in read if isinstance(item, Event)]
    assert {e.kind for e in sampled.events} - {e.kind for e in journal} == set()


def test_a_session_finds_an_entry_edited_among_summarised_ticks(
    sampled: SampledRecord, copy: Path
) -> None:
    """An event that is not a tick, edited on a page whose ticks come as a run, is found
    where it is: the run's ticks are linked to it, not read past it."""
    with sqlite3.connect(copy) as conn:
        seq, payload = conn.execute(
            "SELECT seq, payload FROM events WHERE kind = 'note.added' "
            "ORDER BY seq LIMIT 1 OFFSET 3"
        ).fetchone()
    _raw(copy, ("UPDATE events SET payload = ? WHERE seq = ?", (payload.replace("a", "4", 1), seq)))
    with SqliteEventLog.open(copy, read_only=True) as log:
        session = IncidentSession(log, sampled.incident_id, ManualClock(sampled.now))
        verified = log.verify(sampled.incident_id)
    damage = session.damage
    assert damage is not None and not verified.ok
    assert (damage.first_bad_seq, damage.problem) == (seq, "content does not match its hash")
    assert (verified.first_bad_seq, verified.problem) == (damage.first_bad_seq, damage.problem)


@pytest.mark.parametrize("hash_kept", [True, False], ids=["hash-kept", "re-hashed"])
def test_a_session_finds_a_summarised_tick_edited(
    sampled: SampledRecord, copy: Path, hash_kept: bool
) -> None:
    """A tick's text edited under its summary: the session reads it from its row and
    reports the break where it is, as it did when it parsed every tick."""
    with sqlite3.connect(copy) as conn:
        row = conn.execute(
            "SELECT e.incident_id, e.seq, e.at, e.mono_ns, e.actor, e.kind, e.payload, "
            "e.prev_hash, e.hash FROM events AS e JOIN tick_samples AS t "
            "ON t.incident_id = e.incident_id AND t.seq = e.seq "
            "ORDER BY e.seq LIMIT 1 OFFSET 300"
        ).fetchone()
    seq, payload, digest = row[1], row[6], row[8]
    edited = payload.replace('"outcome":"ok"', '"outcome":"error"', 1)
    assert edited != payload
    new_hash = digest if hash_kept else text_hash(*row[:6], edited, row[7])
    _raw(copy, ("UPDATE events SET payload = ?, hash = ? WHERE seq = ?", (edited, new_hash, seq)))
    with SqliteEventLog.open(copy, read_only=True) as log:
        session = IncidentSession(log, sampled.incident_id, ManualClock(sampled.now))
    damage = session.damage
    assert damage is not None
    problem = "content does not match its hash" if hash_kept else "previous-hash link broken"
    where = seq if hash_kept else seq + 1
    assert (damage.first_bad_seq, damage.problem) == (where, problem)


def test_a_reader_that_stops_early_hashes_little_past_where_it_stopped(
    sampled: SampledRecord, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Replay folds from a stored state up to a moment and stops: the ticks after it
    are hashed `CHECKED_AT_ONCE` rows at a time, not a page (2,000 rows) at once."""
    hashed: list[int] = []
    real = summarised._tick_digests

    def counting(*columns: Any) -> list[str]:
        hashed.append(len(columns[1]))
        return real(*columns)

    monkeypatch.setattr(summarised, "_tick_digests", counting)
    with SqliteEventLog.open(sampled.db, read_only=True) as log:
        walk = ChainWalk(sampled.incident_id)
        first_ten = list(itertools.islice(log.scan(sampled.incident_id, walk=walk), 10))
    assert [item.seq for item in first_ten] == list(range(1, 11))
    assert 0 < sum(hashed) <= summarised.CHECKED_AT_ONCE < len(sampled.events) / 2
