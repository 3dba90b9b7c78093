"""Tick summaries are kept as the events are (schema 5): what plain SQL may no longer do.

`tick_samples` (store/derived.py) is what the documents' error-rate figures are
counted from. A review changed them with plain `sqlite3` (`UPDATE tick_samples SET
samples = ...`) and `export` printed them unwarned; now the database refuses that, in
a real file and on a real PostgreSQL, as it refuses an edit of `events`. Past the
triggers (dropped, or a superuser's replica role) `verify` still finds a forged
summary (tests/test_store_conformance.py).
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from incident.core.events import NewEvent
from incident.core.payloads import ProbeSamples
from incident.core.samples import Outcome, Sample
from store import SCHEMA_VERSION, SqliteEventLog, schema
from store.derived import SUMMARIES_APPEND_ONLY_MESSAGE, SUMMARY_NAMES_TICK_MESSAGE
from store.snapshots import SNAPSHOT_NAMES_EVENT_MESSAGE
from tests.store_backends import (  # the fixture is imported for pytest to find
    Backend,
    backend_fixture,  # noqa: F401
    opened,
)
from tests.store_helpers import START, chain_rows, digest, new_event, raw
from tests.test_schema_migration import V1_SCHEMA

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "previous-release.db"
SUMMARIES = "SELECT seq || ' ' || hash || ' ' || samples || ' ' || readings FROM tick_samples"


def _tick(n: int, value: float, detail: str = "") -> NewEvent:
    sample = Sample("error-rate", START, Outcome.OK, 3.0, 200, value=value, detail=detail)
    return new_event(n=n, data=ProbeSamples((sample,)))


def _refused(backend: Backend, sql: str) -> str:
    """The one error `sql` run as the record's owner gets (plain sqlite3, or psql)."""
    with pytest.raises((sqlite3.Error, RuntimeError)) as caught:
        backend.owner_sql(sql)
    return str(caught.value)


def _replacing(backend: Backend) -> str:
    """Each dialect's way to write a row over the one there, figures changed."""
    if backend.cluster is None:
        return (
            "INSERT OR REPLACE INTO tick_samples "
            "SELECT incident_id, seq, hash, 7, readings FROM tick_samples WHERE seq = 2"
        )
    return (
        "INSERT INTO tick_samples SELECT incident_id, seq, hash, 7, readings "
        "FROM tick_samples WHERE seq = 2 "
        "ON CONFLICT (incident_id, seq) DO UPDATE SET samples = EXCLUDED.samples"
    )


@pytest.mark.parametrize("edit", ["update", "delete", "replace", "truncate"])
def test_plain_sql_cannot_change_or_remove_a_tick_summary(backend: Backend, edit: str) -> None:
    with opened(backend) as log:
        log.append([new_event(n=1), _tick(2, 0.25), _tick(3, 0.5)])
    before = backend.owner_sql(f"{SUMMARIES} ORDER BY seq")
    statement = {
        "update": "UPDATE tick_samples SET samples = 7, readings = 'error-rate' WHERE seq = 2",
        "delete": "DELETE FROM tick_samples WHERE seq = 2",
        "replace": _replacing(backend),
        # SQLite has no TRUNCATE: its DELETE without WHERE is refused the same way.
        "truncate": "TRUNCATE tick_samples" if backend.cluster else "DELETE FROM tick_samples",
    }[edit]
    assert SUMMARIES_APPEND_ONLY_MESSAGE in _refused(backend, statement)
    assert backend.owner_sql(f"{SUMMARIES} ORDER BY seq") == before
    assert len(before.splitlines()) == 2
    with opened(backend, read_only=True) as log:
        assert log.verify("inc-1").ok


@pytest.mark.parametrize("names", ["a-note", "another-hash", "no-event"])
def test_a_summary_naming_no_recorded_tick_is_refused(backend: Backend, names: str) -> None:
    """Checked by the event's primary key; that its figures are the tick's, only `verify`
    can tell, so a summary added for a tick that had none is still found there."""
    with opened(backend) as log:
        note, _, unsummarised = log.append(
            [new_event(n=1), _tick(2, 0.25), _tick(3, 0.5, detail='said "no"')]
        )
    assert backend.owner_sql("SELECT seq FROM tick_samples") == "2"  # a quote: no summary
    seq, digest_ = {
        "a-note": (1, note.hash),
        "another-hash": (3, "0" * 64),
        "no-event": (4, unsummarised.hash),
    }[names]
    insert = f"INSERT INTO tick_samples VALUES ('inc-1', {seq}, '{digest_}', 1, 'error-rate')"
    assert SUMMARY_NAMES_TICK_MESSAGE in _refused(backend, insert)
    assert backend.owner_sql("SELECT COUNT(*) FROM tick_samples") == "1"
    backend.owner_sql(
        f"INSERT INTO tick_samples VALUES ('inc-1', 3, '{unsummarised.hash}', 1, 'error-rate')"
    )
    with opened(backend, read_only=True) as log:
        report = log.verify("inc-1")
    assert (report.ok, report.first_bad_seq) == (False, 3)


def test_an_append_over_a_cut_tail_keeps_the_stale_summary_for_verify(backend: Backend) -> None:
    """Events cut from the end past the triggers leave their summaries; recording goes
    on (a cut is no damage to the chain), and the summary of the cut tick is kept,
    naming the cut event's hash: read by no one, and `verify` says where it is. (The
    file's writer replaced it, hiding the cut; PostgreSQL's refused the append.)"""
    with opened(backend) as log:
        log.append([new_event(n=1), _tick(2, 0.25), _tick(3, 0.5)])
    stale = backend.owner_sql(f"{SUMMARIES} WHERE seq = 3")
    backend.forge_sql("DELETE FROM events WHERE seq = 3")
    with opened(backend) as log:
        (again,) = log.append([_tick(3, 0.75)])
        report = log.verify("inc-1")
    assert again.seq == 3 and stale and again.hash not in stale
    assert backend.owner_sql(f"{SUMMARIES} WHERE seq = 3") == stale
    assert (report.ok, report.first_bad_seq) == (False, 3)
    assert "forged or stale" in report.problem


# Files from before version 5 (SQLite)


def _old_file(path: Path, version: int) -> list[str]:
    """A file at `version` as the releases up to it left it: version 1's words
    (tests/test_schema_migration.py), then each migration up to `version` as it ran
    then, in one transaction; returns the hashes of the ticks in it."""
    events = [new_event(n=1), _tick(2, 0.25), new_event(n=3), _tick(4, 0.5)]
    rows, recorded = chain_rows(events, 0, "0" * 64)
    with raw(path) as conn:
        conn.execute("PRAGMA journal_mode = WAL")
        for statement in V1_SCHEMA:
            conn.execute(statement)
        conn.execute("INSERT INTO meta (key, value) VALUES ('schema_version', '1')")
        conn.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        conn.execute("BEGIN IMMEDIATE")
        for target in range(2, version + 1):
            schema.MIGRATIONS[target](conn)
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(version)])
        conn.execute(f"PRAGMA user_version = {version}")
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return [event.hash for event in recorded if event.kind == "probe.samples"]


@pytest.mark.parametrize("version", [1, 2, 3, 4])
def test_an_old_file_opened_by_a_writer_keeps_its_summaries(tmp_path: Path, version: int) -> None:
    """Opening migrates it cleanly (version 3 fills the summaries, then 5 keeps them),
    and from then on plain `sqlite3` can change none of them."""
    db = tmp_path / "old.db"
    ticks = _old_file(db, version)
    SqliteEventLog.open(db).close()
    backend = Backend("sqlite", str(db))
    assert backend.owner_sql("PRAGMA user_version") == str(SCHEMA_VERSION)
    assert backend.owner_sql("SELECT hash FROM tick_samples ORDER BY seq").split() == ticks
    for statement in ("UPDATE tick_samples SET samples = 7", "DELETE FROM tick_samples"):
        assert SUMMARIES_APPEND_ONLY_MESSAGE in _refused(backend, statement)
    forged = f"INSERT INTO state_snapshots VALUES ('inc-1', 4, '{ticks[-1]}', 0, '', '', 1, '', '')"
    assert SNAPSHOT_NAMES_EVENT_MESSAGE in _refused(backend, forged)  # its `at` is not the tick's
    with SqliteEventLog.open(db) as log:  # and it goes on recording, summaries and all
        (tick,) = log.append([_tick(5, 0.75)])
        assert log.verify("inc-1").ok
    assert backend.owner_sql("SELECT hash FROM tick_samples WHERE seq = 5") == tick.hash


def test_the_previous_release_opened_by_a_writer_keeps_its_summaries(tmp_path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        source = FIXTURE.with_name(FIXTURE.name + suffix)
        if source.exists():
            shutil.copyfile(source, tmp_path / f"old.db{suffix}")
    backend = Backend("sqlite", str(tmp_path / "old.db"))
    SqliteEventLog.open(tmp_path / "old.db").close()
    assert int(backend.owner_sql("SELECT COUNT(*) FROM tick_samples")) > 0
    for statement in ("UPDATE tick_samples SET samples = 7", "DELETE FROM tick_samples"):
        assert SUMMARIES_APPEND_ONLY_MESSAGE in _refused(backend, statement)


@pytest.mark.parametrize("version", [2, 4])
def test_an_old_file_is_read_as_it_is(tmp_path: Path, version: int) -> None:
    """A read-only opening neither migrates it nor adds the triggers: evidence stays as
    it was."""
    db = tmp_path / "old.db"
    _old_file(db, version)
    before = digest(db)
    with SqliteEventLog.open(db, read_only=True) as log:
        assert [event.seq for event in log.events("inc-1")] == [1, 2, 3, 4]
        assert log.verify("inc-1").ok
    assert digest(db) == before
    backend = Backend("sqlite", str(db))
    assert backend.owner_sql("PRAGMA user_version") == str(version)
    assert backend.owner_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'").split() == [
        "events_no_update",
        "events_no_delete",
        "events_extend_chain",
    ]
