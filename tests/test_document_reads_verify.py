"""The documents' reads verify the chain as they read a record's pages.

`export`, `timeline` and `ics` read a long record a page at a time, its ticks from
their summaries (`report_items`) or with their text (`export_items`), and link each
event into a `ChainWalk` as it comes: an intact record's walk ends at its last event,
and an edited note or a tick whose previous hash was changed is named where it is,
by every read, across page edges too (`page_rows`).
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from incident.core.chain import ChainHead, ChainWalk
from store import SqliteEventLog
from tests.golden.sampled import SampledRecord, sampled_record
from tests.tampering import drop_triggers
from tests.test_tick_runs import page_rows_fixture  # noqa: F401


@pytest.fixture(scope="module")
def sampled(tmp_path_factory: pytest.TempPathFactory) -> SampledRecord:
    return sampled_record(tmp_path_factory.mktemp("reads") / "sampled.db")


def _copy(sampled: SampledRecord, db: Path) -> Path:
    with sqlite3.connect(sampled.db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(sampled.db, db)
    return db


def _chains(db: Path, incident_id: str) -> list[tuple[int | None, str]]:
    """(first bad seq, problem) as each documents' read finds it: the report's (a tick at
    a time, and in runs) and the JSON export's."""
    found = []
    with SqliteEventLog.open(db, read_only=True) as log:
        for read in (
            lambda walk: log.report_items(incident_id, walk),
            lambda walk: log.report_items(incident_id, walk, runs=True),
            lambda walk: log.export_items(incident_id, walk),
        ):
            walk = ChainWalk(incident_id)
            for _ in read(walk):
                pass
            report = walk.report()
            found.append((report.first_bad_seq, report.problem))
    return found


def test_the_documents_reads_verify_the_chain_as_they_read(
    sampled: SampledRecord, page_rows: int, tmp_path: Path
) -> None:
    """Intact, every read's walk ends at the last event; a note among ticks edited, or a
    tick whose previous hash was changed (its summary still names it), each read names
    that event, across page edges too."""
    last = sampled.events[-1]
    assert _chains(sampled.db, sampled.incident_id) == [(None, "")] * 3
    with SqliteEventLog.open(sampled.db, read_only=True) as log:
        walk = ChainWalk(sampled.incident_id)
        list(log.report_items(sampled.incident_id, walk, runs=True))
        assert walk.report().head == ChainHead(last.seq, last.hash)
    notes = [event for event in sampled.events if event.kind == "note.added"]
    ticks = [event for event in sampled.events if event.kind == "probe.samples"]
    note, tick = notes[len(notes) // 2], ticks[2 * len(ticks) // 3]
    edited = _copy(sampled, tmp_path / "edited.db")
    conn = sqlite3.connect(edited, isolation_level=None)
    try:
        drop_triggers(conn)
        conn.execute("UPDATE events SET payload = payload || ' ' WHERE seq = ?", (note.seq,))
    finally:
        conn.close()
    assert (
        _chains(edited, sampled.incident_id)
        == [(note.seq, "payload is not its canonical encoding (key order, spacing or escapes)")] * 3
    )
    relinked = _copy(sampled, tmp_path / "relinked.db")
    conn = sqlite3.connect(relinked, isolation_level=None)
    try:
        drop_triggers(conn)
        conn.execute("UPDATE events SET prev_hash = ? WHERE seq = ?", ("0" * 64, tick.seq))
    finally:
        conn.close()
    assert _chains(relinked, sampled.incident_id) == [(tick.seq, "previous-hash link broken")] * 3
