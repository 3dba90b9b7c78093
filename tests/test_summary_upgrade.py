"""The upgrade to version 7 rewrites the tick summaries an earlier release wrote.

Version 6's summaries keep a failed sample's probe alone (`legacy_summary_text`), so
a reader reads such a tick from its own row: a long record written before reported
3.5 times slower. The upgrade (an opening that writes, SQLite's or the PostgreSQL
owner's) rewrites each row to `summary_text` in the transaction that raises the
version, so the report of an upgraded record is a fresh record's, read without
decoding one tick; `verify` passes on it and fails on one tampered after. A row that
was not what an earlier release derived from its event is left for `verify` to
report; an opening that may not write (read-only, a PostgreSQL writer role) reads
the old rows as they are, each of their ticks from its row.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any, cast

import pytest

import store.rows
import store.summary_upgrade
from incident.app.report_document import report_document
from incident.core.ticks import legacy_summary_text, read_samples, summary_text
from store.backends import open_event_log
from store.derived import TICK_KIND, add_summary_triggers_v5
from tests.cli_helpers import InProcessCli
from tests.postgres_server import Cluster
from tests.store_backends import (  # the fixture is imported for pytest to find
    Backend,
    backend_fixture,  # noqa: F401
    postgres_backend,
)
from tests.test_report_failed_checks import FAILING, ID, T0, declare, poll

NOW = T0 + timedelta(minutes=10)


@pytest.fixture
def tick_reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """The seq of each tick read from its row (its text by `read_samples`, or decoded)."""
    seen: list[int] = []
    read_samples_, decode = store.rows.read_samples, store.rows.decode

    def counted_read(text: str) -> Any:
        seen.append(-1)
        return read_samples_(text)

    def counted_decode(row: Any) -> Any:
        if row[5] == TICK_KIND:
            seen.append(int(row[1]))
        return decode(row)

    monkeypatch.setattr(store.rows, "read_samples", counted_read)
    monkeypatch.setattr(store.rows, "decode", counted_decode)
    yield seen


def recorded(backend: Backend, tmp_path: Path) -> None:
    with backend.open() as log:
        declare(log, tmp_path)
        poll(log, FAILING)


def report(backend: Backend, *, read_only: bool = True) -> str:
    with open_event_log(backend.location, read_only=read_only, creating=False) as log:
        _, text = report_document(log, ID, NOW)
        return text


def verified(backend: Backend) -> tuple[bool, str]:
    """`lastgood verify`'s verdict on the incident: whether it exits 0, and its problem."""
    with open_event_log(backend.location, read_only=True) as log:
        found = log.verify(ID)
    result = InProcessCli(cast(Path, backend.location)).run("verify", ID)
    assert (result.code == 0) == found.ok, result.out + result.err
    return found.ok, found.problem


def version(backend: Backend) -> int:
    return int(backend.owner_sql("SELECT value FROM meta WHERE key = 'schema_version'"))


def summaries(backend: Backend) -> list[str]:
    """Each tick's summary in seq order, with its separators visible."""
    kept = backend.owner_sql(
        "SELECT replace(replace(readings, char(30), '|'), char(31), '/') FROM tick_samples "
        "ORDER BY seq"
        if backend.cluster is None
        else "SELECT replace(replace(readings, chr(30), '|'), chr(31), '/') FROM tick_samples "
        "ORDER BY seq"
    )
    return kept.splitlines()


def as_version_6(backend: Backend, *, forged: int | None = None) -> None:
    """The record as version 6 wrote it: each summary `legacy_summary_text` of its tick,
    the version 6; the summary of tick `forged` set to another tick's, as someone
    with the owner's rights could."""
    rows = backend.owner_sql(
        "SELECT e.seq || ' ' || e.payload FROM events AS e JOIN tick_samples AS t "
        "ON e.incident_id = t.incident_id AND e.seq = t.seq ORDER BY e.seq"
    ).splitlines()
    updates = []
    for row in rows:
        seq, payload = row.split(" ", 1)
        samples = read_samples(payload)
        assert samples is not None
        legacy = legacy_summary_text(samples)
        assert legacy is not None
        if int(seq) == forged:
            legacy = legacy.replace("health", "version", 1)
        encoded = legacy.encode().hex()
        text = (
            f"CAST(X'{encoded}' AS TEXT)"
            if backend.cluster is None
            else f"convert_from(decode('{encoded}', 'hex'), 'UTF8')"
        )
        updates.append(f"UPDATE tick_samples SET readings = {text} WHERE seq = {seq};")
    updates.append("UPDATE meta SET value = '6' WHERE key = 'schema_version';")
    if backend.cluster is not None:
        backend.forge_sql(" ".join(updates))
        return
    with contextlib.closing(sqlite3.connect(backend.location, isolation_level=None)) as conn:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("DROP TRIGGER tick_samples_no_update")  # past it, then made again
        for update in updates:
            conn.execute(update)
        conn.execute("PRAGMA user_version = 6")
        add_summary_triggers_v5(conn)
        conn.execute("COMMIT")


def test_an_upgraded_record_reports_as_a_fresh_one_reading_no_tick(
    backend: Backend, tmp_path: Path, tick_reads: list[int]
) -> None:
    recorded(backend, tmp_path)
    tick_reads.clear()  # the writer's own reads
    fresh = report(backend)
    fresh_summaries = summaries(backend)
    assert "health/2026-11-28T09:01:00.000Z/|version//" in fresh_summaries
    assert tick_reads == []  # a fresh record's report reads no tick from its row
    as_version_6(backend)
    assert "health|version" in summaries(backend)

    assert report(backend) == fresh  # read as it is: each tick from its row
    assert len(tick_reads) >= 40
    assert version(backend) == 6
    assert verified(backend) == (True, "")

    with backend.open():  # an opening that writes: the owner's, for PostgreSQL
        pass
    assert version(backend) == 7
    assert summaries(backend) == fresh_summaries
    tick_reads.clear()
    assert report(backend) == fresh
    assert tick_reads == []
    assert verified(backend) == (True, "")

    backend.forge_sql(  # after the upgrade: one failed check's time moved by a second
        "UPDATE tick_samples SET readings = replace(readings, '09:01:00.000Z', '09:01:01.000Z')"
    )
    ok, problem = verified(backend)
    assert not ok
    assert "is not the event's (forged or stale)" in problem


def test_a_row_forged_before_the_upgrade_is_left_for_verify(
    backend: Backend, tmp_path: Path
) -> None:
    recorded(backend, tmp_path)
    seq = int(
        backend.owner_sql(f"SELECT seq FROM events WHERE kind = '{TICK_KIND}' ORDER BY seq LIMIT 1")
    )
    as_version_6(backend, forged=seq)
    before = summaries(backend)
    with backend.open():
        pass
    assert version(backend) == 7
    after = summaries(backend)
    assert after[0] == before[0]  # the forged row as it was
    assert after[1:] != before[1:]
    ok, problem = verified(backend)
    assert not ok
    assert f"the tick summary of event {seq} is not the event's" in problem


def test_a_read_only_opening_leaves_version_6_as_it_is(backend: Backend, tmp_path: Path) -> None:
    recorded(backend, tmp_path)
    fresh = report(backend)
    as_version_6(backend)
    old = summaries(backend)
    assert report(backend) == fresh
    with open_event_log(backend.location, read_only=True) as log:
        assert log.verify(ID).ok
    assert (version(backend), summaries(backend)) == (6, old)


def test_the_rewrite_pages_through_the_record(
    backend: Backend, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read a few rows at a time (a page is 2000), every row is rewritten."""
    monkeypatch.setattr(store.summary_upgrade, "PAGE", 7)
    recorded(backend, tmp_path)
    fresh = summaries(backend)
    assert len(fresh) == 40
    as_version_6(backend)
    with backend.open():
        pass
    assert summaries(backend) == fresh
    assert verified(backend) == (True, "")


def test_summary_text_differs_from_version_6_only_where_it_must() -> None:
    """A tick whose samples are all OK numeric readings keeps its row as it was."""
    sample = ("2026-11-28T09:00:00.000Z", "", None, "ok", "error-rate", "0.5")
    assert summary_text((sample,)) == legacy_summary_text((sample,))


def test_a_postgres_writer_opened_at_6_writes_7s_summaries_once_upgraded(
    pg_cluster: Cluster, pg_url: str, tmp_path: Path, tick_reads: list[int]
) -> None:
    """A writer (an opening on an incident, which never upgrades) opened while the
    database was at 6 writes version 6's summaries; once the owner has upgraded it,
    the same writer's next appends keep failures, so no reader meets an old one."""
    backend = postgres_backend(pg_cluster, pg_url)
    with backend.open() as log:
        declare(log, tmp_path)
    backend.owner_sql("UPDATE meta SET value = '6' WHERE key = 'schema_version'")
    with open_event_log(backend.location, creating=False) as writer:
        with backend.open():  # the owner's opening that writes
            pass
        assert version(backend) == 7
        poll(writer, FAILING)
    kept = summaries(backend)
    assert "health/2026-11-28T09:01:00.000Z/|version//" in kept
    assert "health|version" not in kept
    tick_reads.clear()
    assert "13 of the 40 checks recorded failed" in report(backend)
    assert tick_reads == []
    assert verified(backend) == (True, "")
