"""Files written by older releases, opened by this one: real SQLite files, no mocks.

The version 1 layouts are built here from the DDL that release left in
`sqlite_master`, word for word, rather than from today's code, so a change to
the current schema cannot quietly change what "an old file" means.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from incident.core.events import Event, NewEvent
from incident.core.payloads import NoteAdded
from store import SCHEMA_VERSION, SqliteEventLog, StoreError, schema
from store.outbox import Outbox
from store.schema import EVENTS_READABLE_SINCE
from tests.cli_helpers import Cli
from tests.store_helpers import chain_rows, digest, one_line_naming, raw

T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
INCIDENT = "INC-20261128-0001"

V1_SCHEMA = (
    """CREATE TABLE "meta" (
   "key" TEXT PRIMARY KEY NOT NULL,
   "value" TEXT NOT NULL
)""",
    """CREATE TABLE "events" (
   "incident_id" TEXT NOT NULL,
   "seq" INTEGER NOT NULL,
   "at" TEXT NOT NULL,
   "mono_ns" INTEGER NOT NULL,
   "actor" TEXT NOT NULL,
   "kind" TEXT NOT NULL,
   "payload" TEXT NOT NULL,
   "prev_hash" TEXT NOT NULL,
   "hash" TEXT NOT NULL,
   PRIMARY KEY ("incident_id", "seq")
)""",
    """CREATE TRIGGER events_no_update BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'events are append-only; record a correction instead'); END""",
    """CREATE TRIGGER events_no_delete BEFORE DELETE ON events
    BEGIN SELECT RAISE(ABORT, 'events are append-only; record a correction instead'); END""",
    """CREATE TRIGGER events_extend_chain BEFORE INSERT ON events
    WHEN NEW.seq IS NOT (
            SELECT COALESCE(MAX(seq), 0) + 1 FROM events
            WHERE incident_id = NEW.incident_id)
        OR NEW.prev_hash IS NOT COALESCE(
            (SELECT hash FROM events WHERE incident_id = NEW.incident_id
             ORDER BY seq DESC LIMIT 1),
            '0000000000000000000000000000000000000000000000000000000000000000')
    BEGIN SELECT RAISE(ABORT, 'events must extend the chain: next seq and the last hash as prev_hash'); END""",  # noqa: E501
    """CREATE VIEW "incidents" AS
SELECT
    first.incident_id AS incident_id,
    first.at AS declared_at,
    json_extract(first.payload, '$.title') AS title,
    (SELECT COUNT(*) FROM events AS e
     WHERE e.incident_id = first.incident_id) AS event_count,
    (SELECT e.at FROM events AS e WHERE e.incident_id = first.incident_id
     ORDER BY e.seq DESC LIMIT 1) AS last_at
FROM events AS first
WHERE first.seq = 1
ORDER BY first.rowid""",
)
"""What `SqliteEventLog.open` of the version 1 release created."""

OLD_OUTBOX = (
    """CREATE TABLE IF NOT EXISTS outbox (
        key TEXT PRIMARY KEY,
        incident_id TEXT NOT NULL,
        target TEXT NOT NULL,
        text TEXT NOT NULL,
        created_at TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT NOT NULL DEFAULT '',
        next_attempt_at TEXT,
        delivered_at TEXT
    )""",
    "CREATE INDEX IF NOT EXISTS outbox_due ON outbox (status, next_attempt_at)",
)
"""What `Outbox.open` of the version 1 release added beside it, outside the version."""

OLD_ROWS = (
    # key, target, status, attempts, last_error, created_at, next_attempt_at, delivered_at
    (
        "INC-1:1:team",
        "team",
        "delivered",
        1,
        "",
        "2026-11-28T09:00:01.000000+00:00",
        None,
        "2026-11-28T09:00:02.000000+00:00",
    ),
    (
        "INC-1:1:ops",
        "ops",
        "failed",
        5,
        "HTTP 500 from ops",
        "2026-11-28T09:00:01.000000+00:00",
        None,
        None,
    ),
    (
        "INC-1:2:team",
        "team",
        "pending",
        2,
        "timeout",
        "2026-11-28T09:05:00.000000+00:00",
        "2026-11-28T09:06:00.000000+00:00",
        None,
    ),
)
"""Outbox rows of incident INC-1 in each status, as the old release stored them."""


def note(n: int) -> NewEvent:
    return NewEvent(INCIDENT, "alice", T0 + timedelta(seconds=n), n, NoteAdded(str(n), "alice"))


def make_v1(path: Path, outbox: tuple[str, ...] = OLD_OUTBOX) -> list[Event]:
    """A version 1 file as the old release left it; returns the events in it."""
    rows, recorded = chain_rows([note(n) for n in range(1, 6)], 0, "0" * 64)
    with raw(path) as conn:
        conn.execute("PRAGMA journal_mode = WAL")
        for statement in (*V1_SCHEMA, *outbox):
            conn.execute(statement)
        conn.execute("INSERT INTO meta (key, value) VALUES ('schema_version', '1')")
        conn.execute("PRAGMA user_version = 1")
        conn.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        if outbox == OLD_OUTBOX:
            conn.executemany(
                "INSERT INTO outbox (key, incident_id, text, target, status, attempts, "
                "last_error, created_at, next_attempt_at, delivered_at) "
                "VALUES (?1, 'INC-1', 'text of ' || ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                OLD_ROWS,
            )
    return recorded


def versions(path: Path) -> tuple[str, int]:
    with raw(path) as conn:
        (meta,) = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        (user,) = conn.execute("PRAGMA user_version").fetchone()
    return str(meta), int(user)


def names(path: Path) -> set[str]:
    with raw(path) as conn:
        return {str(row[0]) for row in conn.execute("SELECT name FROM sqlite_master")}


Opener = Callable[[Path], SqliteEventLog | Outbox]
OPENERS: list[Opener] = [SqliteEventLog.open, Outbox.open]
OPENER_IDS = ["log", "outbox"]


def test_the_current_version_is_seven() -> None:
    assert SCHEMA_VERSION == 7


def test_a_new_file_begins_with_what_the_version_1_release_wrote(db_path: Path) -> None:
    """Its version 1 tables, triggers and view in the words that release left in
    `sqlite_master` (through sqlite-utils then; written out now), whitespace aside."""
    SqliteEventLog.open(db_path).close()
    with raw(db_path) as conn:
        stored = {
            " ".join(str(sql).split())
            for (sql,) in conn.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL")
        }
    missing = [statement for statement in V1_SCHEMA if " ".join(statement.split()) not in stored]
    assert missing == []


@pytest.mark.parametrize("opener", OPENERS, ids=OPENER_IDS)
def test_old_file_with_its_outbox_is_upgraded_keeping_everything(
    db_path: Path, opener: Opener
) -> None:
    recorded = make_v1(db_path)
    opener(db_path).close()

    assert versions(db_path) == (str(SCHEMA_VERSION), SCHEMA_VERSION)
    with SqliteEventLog.open(db_path, read_only=True) as log:
        assert log.events(INCIDENT) == recorded
        report = log.verify(INCIDENT)
    assert report.ok
    assert (report.count, report.head_hash) == (5, recorded[-1].hash)
    with Outbox.open(db_path) as box:
        listed = box.messages("INC-1")
        assert [(m.key, m.target, m.status, m.attempts, m.last_error) for m in listed] == [
            row[:5] for row in OLD_ROWS
        ]
        assert listed[0].delivered_at == datetime(2026, 11, 28, 9, 0, 2, tzinfo=UTC)
        assert [m.key for m in box.due(T0 + timedelta(minutes=6))] == ["INC-1:2:team"]
    with SqliteEventLog.open(db_path) as log:  # and it goes on recording
        (sixth,) = log.append([note(6)])
        assert sixth.prev_hash == recorded[-1].hash
        assert log.verify(INCIDENT).ok


def test_old_file_without_an_outbox_gets_one(db_path: Path) -> None:
    make_v1(db_path, outbox=())
    assert "outbox" not in names(db_path)

    SqliteEventLog.open(db_path).close()

    assert versions(db_path) == (str(SCHEMA_VERSION), SCHEMA_VERSION)
    assert {"outbox", "outbox_due"} <= names(db_path)
    with Outbox.open(db_path) as box:
        assert box.pending_count() == 0
    with SqliteEventLog.open(db_path, read_only=True) as log:
        assert log.verify(INCIDENT).ok


@pytest.mark.parametrize(
    ("outbox_table", "detail"),
    [
        ("CREATE TABLE outbox (key TEXT PRIMARY KEY, body TEXT)", "missing incident_id"),
        (OLD_OUTBOX[0].replace("attempts INTEGER", "attempts TEXT"), "other types"),
    ],
    ids=["other-columns", "other-types"],
)
@pytest.mark.parametrize("opener", OPENERS, ids=OPENER_IDS)
def test_old_file_with_someone_elses_outbox_is_refused_untouched(
    db_path: Path, opener: Opener, outbox_table: str, detail: str
) -> None:
    make_v1(db_path, outbox=(outbox_table,))
    with raw(db_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = digest(db_path)

    with pytest.raises(StoreError) as caught:
        opener(db_path)

    message = one_line_naming(caught.value, db_path)
    assert "existing outbox table is not lastgood's" in message
    assert detail in message
    assert versions(db_path) == ("1", 1)
    assert "outbox_due" not in names(db_path)
    assert digest(db_path) == before


@pytest.mark.parametrize("read_only", [False, True])
def test_a_newer_file_is_refused(db_path: Path, read_only: bool) -> None:
    SqliteEventLog.open(db_path).close()
    with raw(db_path) as conn:
        conn.execute("UPDATE meta SET value = '8' WHERE key = 'schema_version'")
        conn.execute("PRAGMA user_version = 8")

    with pytest.raises(StoreError) as caught:
        SqliteEventLog.open(db_path, read_only=read_only)
    message = one_line_naming(caught.value, db_path)
    assert "schema version 8 is newer than this lastgood supports (7)" in message
    with pytest.raises(StoreError, match="newer"):
        Outbox.open(db_path)
    assert versions(db_path) == ("8", 8)


def test_events_are_laid_out_alike_in_every_version_read_as_it_is(tmp_path: Path) -> None:
    """What EVENTS_READABLE_SINCE promises: `events` and its triggers did not change.

    A migration that changes them must raise the constant; this then fails
    until the old layout here is the one of the new EVENTS_READABLE_SINCE.
    """
    assert 1 <= EVENTS_READABLE_SINCE <= SCHEMA_VERSION
    old, new = tmp_path / "v1.db", tmp_path / "current.db"
    make_v1(old, outbox=())
    SqliteEventLog.open(new).close()

    def events_ddl(path: Path) -> dict[str, str]:
        with raw(path) as conn:
            rows = conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE tbl_name = 'events' AND sql IS NOT NULL"
            ).fetchall()
        return {str(name): " ".join(str(sql).split()) for name, sql in rows}

    assert EVENTS_READABLE_SINCE == 1  # the version make_v1 builds
    laid_out = events_ddl(new)
    # Version 3's partial index of the events that are not ticks: neither a column
    # nor a trigger, so a reader of any version reads `events` as it is.
    assert laid_out.pop("events_entries").startswith("CREATE INDEX events_entries ON events")
    assert laid_out == events_ddl(old)
    assert set(laid_out) == {
        "events",
        "events_no_update",
        "events_no_delete",
        "events_extend_chain",
    }


@pytest.mark.parametrize("snapshot", [False, True], ids=["read-only", "snapshot"])
def test_read_only_reads_an_old_file_as_it_is(db_path: Path, snapshot: bool) -> None:
    """Evidence from the previous release is read without being upgraded or touched."""
    recorded = make_v1(db_path)
    listing = sorted(p.name for p in db_path.parent.iterdir())
    assert listing == [db_path.name]
    before, mtime = digest(db_path), db_path.stat().st_mtime_ns
    time.sleep(0.01)  # a write would now change the mtime visibly

    with SqliteEventLog.open(db_path, read_only=True, snapshot=snapshot) as log:
        assert log.incident_ids() == [INCIDENT]
        assert log.events(INCIDENT) == recorded
        assert log.last_seq(INCIDENT) == 5
        report = log.verify(INCIDENT)
        with pytest.raises(StoreError, match="read-only"):
            log.append([note(6)])
    assert report.ok
    assert (report.count, report.head_hash) == (5, recorded[-1].hash)

    assert digest(db_path) == before
    assert db_path.stat().st_mtime_ns == mtime
    after = sorted(p.name for p in db_path.parent.iterdir())
    if snapshot:
        assert after == listing
    else:
        # A live reader shares SQLite's WAL index with writers, as for any
        # version; nothing is written to the log itself.
        assert set(after) - set(listing) <= {f"{db_path.name}-wal", f"{db_path.name}-shm"}
        wal = db_path.with_name(f"{db_path.name}-wal")
        assert not wal.exists() or wal.stat().st_size == 0
    assert versions(db_path) == ("1", 1)


@pytest.mark.parametrize("snapshot", [False, True], ids=["read-only", "snapshot"])
def test_read_only_refuses_a_version_older_than_the_events_layout(
    db_path: Path, snapshot: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once a migration changes `events`, files before it need a writer first."""
    make_v1(db_path)
    before = digest(db_path)
    monkeypatch.setattr(schema, "EVENTS_READABLE_SINCE", 2)

    with pytest.raises(StoreError) as caught:
        SqliteEventLog.open(db_path, read_only=True, snapshot=snapshot)
    message = one_line_naming(caught.value, db_path)
    assert "schema version 1 is too old to read as it is (this lastgood reads 2 to 7)" in message
    assert message.endswith("open it once for writing to upgrade it")
    assert digest(db_path) == before

    SqliteEventLog.open(db_path).close()
    with SqliteEventLog.open(db_path, read_only=True, snapshot=snapshot) as log:
        assert log.verify(INCIDENT).ok


def test_two_writers_opening_an_old_file_at_once_upgrade_it_once(db_path: Path) -> None:
    make_v1(db_path)
    problems: list[BaseException] = []

    def open_and_close(opener: Opener) -> None:
        try:
            opener(db_path).close()
        except BaseException as exc:  # reported below, in the test's thread
            problems.append(exc)

    threads = [threading.Thread(target=open_and_close, args=(o,)) for o in OPENERS * 3]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert problems == []
    assert versions(db_path) == (str(SCHEMA_VERSION), SCHEMA_VERSION)
    with Outbox.open(db_path) as box:
        assert len(box.messages("INC-1")) == len(OLD_ROWS)


def test_cli_reads_an_old_file_without_upgrading_it(tmp_path: Path) -> None:
    """`replay` and `verify` open read-only and leave a version 1 file at version 1."""
    cli = Cli(tmp_path / "incidents.db")
    incident_id = cli.ok(
        "declare", "--title", "Old file", "--severity", "SEV2", "--commander", "Ada"
    ).strip()
    # Back to what the version 1 release left: no outbox (only a TUI with
    # network access made one), version 1.
    with raw(cli.db) as conn:
        conn.execute("DROP TABLE IF EXISTS outbox")
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
        conn.execute("PRAGMA user_version = 1")
    assert "outbox" not in names(cli.db)

    replayed = json.loads(cli.ok("replay", incident_id, "--json"))
    assert replayed["id"] == incident_id
    assert "ok," in cli.ok("verify", incident_id)
    assert versions(cli.db) == ("1", 1)
    assert "outbox" not in names(cli.db)

    cli.ok("note", incident_id, "recorded by this release")  # a writer upgrades it
    assert versions(cli.db) == (str(SCHEMA_VERSION), SCHEMA_VERSION)
    assert "outbox" in names(cli.db)
    assert "ok," in cli.ok("verify", incident_id)
