"""What only the PostgreSQL record has: a writer role without UPDATE or DELETE, per-incident
locks across connections, and a database that is someone else's.

The suite both backends pass is tests/test_store_conformance.py.
"""

from __future__ import annotations

import threading

import psycopg
import pytest

from incident.core.payloads import ProbeSamples
from incident.core.samples import Outcome, Sample
from store import StoreError
from store.derived import SUMMARIES_APPEND_ONLY_MESSAGE
from store.postgres_log import PostgresEventLog
from store.postgres_schema import SCHEMA_VERSION, writer_grants
from tests.postgres_server import WRITER_ROLE, Cluster
from tests.store_backends import postgres_backend
from tests.store_helpers import REPO, START, new_event

TEST_WRITER = "test_writer"
"""A writer role of the tests' own; the README's names are left to the README's test."""


@pytest.fixture
def writer_role(pg_cluster: Cluster) -> str:
    pg_cluster.admin(
        f"DO $$ BEGIN CREATE ROLE {TEST_WRITER} LOGIN; "
        "EXCEPTION WHEN duplicate_object THEN NULL; END $$"
    )
    return TEST_WRITER


def _as_writer(pg_url: str, role: str = TEST_WRITER) -> str:
    return pg_url.replace("lastgood_admin@", f"{role}@")


def test_the_writer_role_appends_but_cannot_change_or_unguard_the_record(
    pg_cluster: Cluster, pg_url: str, writer_role: str
) -> None:
    backend = postgres_backend(pg_cluster, pg_url)
    with PostgresEventLog.open(pg_url) as owner:  # the owner creates the schema
        owner.append([new_event(n=1)])
    for grant in writer_grants(TEST_WRITER):
        backend.owner_sql(grant)
    with PostgresEventLog.open(_as_writer(pg_url)) as writer:
        (event,) = writer.append([new_event(n=2)])
        assert event.seq == 2
        assert writer.verify("inc-1").ok
    with psycopg.connect(_as_writer(pg_url), autocommit=True) as raw:
        for statement in (
            "UPDATE events SET actor = 'mallory'",
            "DELETE FROM events",
            "UPDATE tick_samples SET samples = 0",
            "ALTER TABLE events DISABLE TRIGGER events_no_update",
            "DROP TRIGGER tick_samples_no_update ON tick_samples",
            "DROP TRIGGER events_no_update ON events",
            "TRUNCATE events",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                raw.execute(statement)
    assert backend.owner_sql("SELECT string_agg(actor, ',' ORDER BY seq) FROM events") == (
        "alice,alice"
    )


def test_a_writer_role_without_create_opens_a_current_database(
    pg_cluster: Cluster, pg_url: str, writer_role: str
) -> None:
    """Opening looks before it locks: only the first opening, by the owner, creates."""
    backend = postgres_backend(pg_cluster, pg_url)
    with psycopg.connect(_as_writer(pg_url)) as raw, pytest.raises(psycopg.Error):
        raw.execute("CREATE TABLE probe (x int)")  # the writer may not create here
    with pytest.raises(StoreError, match=r"this role \(test_writer\) cannot create lastgood's"):
        PostgresEventLog.open(_as_writer(pg_url))  # and so cannot create the schema
    PostgresEventLog.open(pg_url).close()
    for grant in writer_grants(TEST_WRITER):
        backend.owner_sql(grant)
    with PostgresEventLog.open(_as_writer(pg_url)) as writer:
        assert writer.append([new_event()])[0].seq == 1


_BACK_TO_VERSION_3 = """
DROP TRIGGER tick_samples_no_update ON tick_samples;
DROP TRIGGER tick_samples_no_delete ON tick_samples;
DROP TRIGGER tick_samples_no_truncate ON tick_samples;
DROP TRIGGER tick_samples_name_a_tick ON tick_samples;
DROP FUNCTION lastgood_summaries_append_only();
DROP FUNCTION lastgood_summary_names_tick();
ALTER TABLE outbox DROP COLUMN template, DROP COLUMN severity, DROP COLUMN title;
UPDATE meta SET value = '3' WHERE key = 'schema_version';
"""
"""What version 3, the first PostgreSQL layout, lacked: the triggers that keep `tick_samples`
and (version 6) the outbox's columns saying what a message is."""


def test_a_version_3_database_is_used_as_it_is_until_its_owner_upgrades_it(
    pg_cluster: Cluster, pg_url: str, writer_role: str
) -> None:
    backend = postgres_backend(pg_cluster, pg_url)
    sample = Sample("error-rate", START, Outcome.OK, 3.0, 200, value=0.25)
    with PostgresEventLog.open(pg_url) as owner:
        owner.append([new_event(n=1), new_event(n=2, data=ProbeSamples((sample,)))])
    backend.owner_sql(_BACK_TO_VERSION_3)
    for grant in writer_grants(TEST_WRITER):
        backend.owner_sql(grant)
    version = "SELECT value FROM meta WHERE key = 'schema_version'"
    with PostgresEventLog.open(pg_url, read_only=True) as reader:
        assert reader.verify("inc-1").ok
    # A writer that may not add triggers, declaring (the only opening that creates or
    # upgrades): it records into the database as it is.
    with PostgresEventLog.open(_as_writer(pg_url)) as writer:
        writer.append([new_event(n=3, data=ProbeSamples((sample,)))])
    assert backend.owner_sql(version) == "3"
    PostgresEventLog.open(pg_url).close()  # the owner's next declaration upgrades it
    assert backend.owner_sql(version) == str(SCHEMA_VERSION)
    summarised = "SELECT string_agg(seq::text, ',' ORDER BY seq) FROM tick_samples"
    assert backend.owner_sql(summarised) == "2,3"
    with pytest.raises(RuntimeError, match=SUMMARIES_APPEND_ONLY_MESSAGE):
        backend.owner_sql("UPDATE tick_samples SET samples = 7")
    with PostgresEventLog.open(_as_writer(pg_url)) as writer:
        writer.append([new_event(n=4, data=ProbeSamples((sample,)))])
        assert writer.verify("inc-1").ok


def test_an_append_waits_for_another_transaction_holding_the_incident(pg_url: str) -> None:
    with PostgresEventLog.open(pg_url) as log:
        log.append([new_event(n=1)])
        other = psycopg.connect(pg_url)
        other.execute("SELECT pg_advisory_xact_lock(hashtextextended('lastgood:inc-1', 0))")
        appended: list[int] = []

        def append() -> None:
            appended.extend(e.seq for e in log.append([new_event(n=2)]))

        writer = threading.Thread(target=append)
        writer.start()
        # The append is blocked on the lock: it shows in pg_locks as a lock not granted.
        waiting = "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
        with psycopg.connect(pg_url, autocommit=True) as watcher:
            for _ in range(10_000):
                row = watcher.execute(waiting).fetchone()
                if row is not None and row[0] == 1:
                    break
            else:
                pytest.fail("the append never waited for the incident's lock")
        assert appended == []
        other.commit()
        other.close()
        writer.join(timeout=30)
        assert appended == [2]
        assert log.verify("inc-1").ok


def test_another_incident_is_not_held_up_by_a_busy_one(pg_url: str) -> None:
    with PostgresEventLog.open(pg_url) as log:
        log.append([new_event("busy", 1)])
        with psycopg.connect(pg_url) as other:
            other.execute("SELECT pg_advisory_xact_lock(hashtextextended('lastgood:busy', 0))")
            (event,) = log.append([new_event("quiet", 1)])  # returns with `busy` still held
            assert event.seq == 1


def test_a_table_named_events_that_is_not_ours_is_refused(pg_cluster: Cluster, pg_url: str) -> None:
    postgres_backend(pg_cluster, pg_url).owner_sql("CREATE TABLE events (id int)")
    with pytest.raises(StoreError, match="not a lastgood database") as caught:
        PostgresEventLog.open(pg_url)
    assert "\n" not in str(caught.value)


def test_two_machines_opening_an_empty_database_at_once_create_it_once(pg_url: str) -> None:
    errors: list[BaseException] = []

    def open_one() -> None:
        try:
            PostgresEventLog.open(pg_url).close()
        except BaseException as error:  # reported below
            errors.append(error)

    openers = [threading.Thread(target=open_one) for _ in range(4)]
    for opener in openers:
        opener.start()
    for opener in openers:
        opener.join(timeout=60)
    assert errors == []


def _readme_sql_blocks() -> list[str]:
    from markdown_it import MarkdownIt

    text = (REPO / "README.md").read_text(encoding="utf-8")
    tokens = MarkdownIt("commonmark").parse(text)
    return [token.content for token in tokens if token.type == "fence" and token.info == "sql"]


def test_the_readmes_role_and_schema_set_up_works_as_written(
    pg_cluster: Cluster, pg_url: str
) -> None:
    """The README's two blocks, run as written: the owner creates the tables on its first
    write, the writer records and cannot change what is recorded."""
    roles, grants = _readme_sql_blocks()
    assert grants.strip().splitlines() == [f"{g};" for g in writer_grants(WRITER_ROLE, "lastgood")]
    backend = postgres_backend(pg_cluster, pg_url)
    backend.owner_sql(roles)
    as_owner = pg_url.replace("lastgood_admin@", "lastgood_owner@")
    with PostgresEventLog.open(as_owner) as owner:
        owner.append([new_event(n=1)])
    found = backend.owner_sql(
        "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables "
        "WHERE schemaname = 'lastgood'"
    )
    assert found == "events,meta,outbox,tick_samples"
    with psycopg.connect(as_owner, autocommit=True) as raw:
        raw.execute(grants)
    with PostgresEventLog.open(_as_writer(pg_url, WRITER_ROLE)) as writer:
        assert writer.append([new_event(n=2)])[0].seq == 2
    with psycopg.connect(_as_writer(pg_url, WRITER_ROLE), autocommit=True) as raw:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            raw.execute("DELETE FROM events")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            raw.execute("ALTER TABLE events DISABLE TRIGGER USER")


def test_a_nul_byte_postgresql_cannot_store_is_refused_in_one_line(pg_url: str) -> None:
    """SQLite keeps a NUL in an actor's name; PostgreSQL text cannot hold one. The append is
    refused whole, in one line, and the next one goes on from the same head."""
    import msgspec.structs

    with PostgresEventLog.open(pg_url) as log:
        with pytest.raises(StoreError, match="cannot contain NUL") as caught:
            log.append([new_event(n=1), msgspec.structs.replace(new_event(n=2), actor="a\x00b")])
        assert "\n" not in str(caught.value)
        assert log.last_seq("inc-1") == 0
        assert log.append([new_event(n=1)])[0].seq == 1
