"""A PostgreSQL record outlives its connection: the server restarts, a backend is ended.

A TUI holds one `PostgresEventLog` for the length of an incident. On a real cluster,
its connection is ended under it (`pg_terminate_backend`, as an administrator
would) or the server is stopped and started again; the next read or write must
work once the server is back, each one while it is down must fail in one line, and
the record must hold every event once. A write cut off midway is not run again.
"""

from __future__ import annotations

import threading

import psycopg
import pytest

from store.errors import StoreError
from store.postgres_listen import PostgresListener
from store.postgres_log import PostgresEventLog
from tests.postgres_server import Cluster
from tests.store_helpers import new_event
from tests.waiting import poll_until

OURS = "application_name = 'lastgood' AND datname = current_database()"


def database_of(url: str) -> str:
    return url.split("@/", 1)[1].split("?", 1)[0]


def our_sessions(cluster: Cluster, url: str, where: str = "TRUE") -> int:
    """How many lastgood sessions on the test's database match `where`."""
    found = f"SELECT count(*) FROM pg_stat_activity WHERE {OURS} AND {where}"
    return int(cluster.admin(found, database_of(url)))


def end_our_sessions(cluster: Cluster, url: str) -> None:
    """End every lastgood session on the test's database, as an administrator would,
    and return once they are gone (`pg_terminate_backend` only signals them)."""
    ending = f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE {OURS}"
    cluster.admin(ending, database_of(url))
    poll_until(lambda: our_sessions(cluster, url) == 0, "the ended sessions to exit", timeout=30)


def notes(log: PostgresEventLog) -> list[str]:
    return [str(getattr(event.data, "text", "")) for event in log.events("inc-1")]


def test_the_next_append_after_the_session_is_ended_records(
    pg_cluster: Cluster, pg_url: str
) -> None:
    with PostgresEventLog.open(pg_url) as log:
        log.append([new_event(n=1)])
        end_our_sessions(pg_cluster, pg_url)

        log.append([new_event(n=2)])

        assert notes(log) == ["note 1", "note 2"]
        assert log.verify("inc-1").ok


def test_while_the_server_is_down_each_call_fails_in_one_line_then_recording_resumes(
    pg_cluster: Cluster, pg_url: str
) -> None:
    with PostgresEventLog.open(pg_url) as log:
        log.append([new_event(n=1)])
        pg_cluster.stop()
        try:
            for _ in range(2):  # each call tries again, and says so again
                with pytest.raises(StoreError) as refused:
                    log.append([new_event(n=2)])
                message = str(refused.value)
                assert message.startswith(f"{log.path}: cannot append to incident inc-1: "), message
                assert "\n" not in message
                with pytest.raises(StoreError, match="cannot read incident inc-1"):
                    log.last_seq("inc-1")
        finally:
            pg_cluster.start()

        log.append([new_event(n=2)])

        assert notes(log) == ["note 1", "note 2"]
        assert log.verify("inc-1").ok


def test_a_read_only_log_reconnects_read_only(pg_cluster: Cluster, pg_url: str) -> None:
    with PostgresEventLog.open(pg_url) as writer:
        writer.append([new_event(n=1)])
    with PostgresEventLog.open(pg_url, read_only=True) as log:
        pg_cluster.restart()

        assert notes(log) == ["note 1"]
        settings = "SELECT current_setting(?), current_setting(?)"
        found = log._query(settings, ("default_transaction_read_only", "lock_timeout"))
        assert found == [("on", "10s")]
        with pytest.raises(StoreError, match="read-only"):
            log._query("INSERT INTO meta VALUES ('x', 'y')", ())


def test_a_write_cut_off_midway_fails_and_is_not_run_again(
    pg_cluster: Cluster, pg_url: str
) -> None:
    """The append waits for the incident's lock, held by another session, and its
    session is ended while it waits: it must fail, not record on a new connection."""
    with PostgresEventLog.open(pg_url) as log:
        log.append([new_event(n=1)])
        holder = psycopg.connect(pg_url, autocommit=False)
        try:
            holder.execute("SELECT pg_advisory_xact_lock(hashtextextended('lastgood:inc-1', 0))")
            failures: list[StoreError] = []

            def append() -> None:
                try:
                    log.append([new_event(n=2)])
                except StoreError as failure:
                    failures.append(failure)

            appending = threading.Thread(target=append)
            appending.start()
            poll_until(
                lambda: our_sessions(pg_cluster, pg_url, "wait_event_type = 'Lock'") == 1,
                "the append to wait for the incident's lock",
                timeout=30,
            )
            end_our_sessions(pg_cluster, pg_url)
            appending.join(timeout=30)
        finally:
            holder.close()

        assert not appending.is_alive()
        assert len(failures) == 1, "the append cut off midway must fail"
        assert str(failures[0]) == (
            f"{log.path}: cannot append to incident inc-1: "
            "terminating connection due to administrator command"
        )
        assert notes(log) == ["note 1"]

        log.append([new_event(n=3)])

        assert notes(log) == ["note 1", "note 3"]
        assert log.verify("inc-1").ok


def test_the_live_feed_listens_again_after_a_restart_and_misses_nothing(
    pg_cluster: Cluster, pg_url: str
) -> None:
    with PostgresEventLog.open(pg_url) as log, PostgresListener.open(pg_url, "inc-1") as feed:
        log.append([new_event(n=1)])
        assert feed.wait(60) == 1
        pg_cluster.restart()

        with pytest.raises(StoreError, match="lost the live feed") as lost:
            feed.wait(60)
        assert str(lost.value).startswith(f"{log.path}: ")
        log.append([new_event(n=2)])  # committed while no one listened: its notice is gone

        assert feed.wait(60) == 2  # listening again, it answers with the head at once
        log.append([new_event(n=3)])
        assert feed.wait(60) == 3


def test_the_live_feed_fails_in_one_line_while_the_server_is_down(
    pg_cluster: Cluster, pg_url: str
) -> None:
    with PostgresEventLog.open(pg_url) as log, PostgresListener.open(pg_url, "inc-1") as feed:
        log.append([new_event(n=1)])
        pg_cluster.stop()
        try:
            with pytest.raises(StoreError, match="lost the live feed"):
                feed.wait(60)
            with pytest.raises(StoreError, match="cannot connect") as refused:
                feed.wait(60)
            assert "\n" not in str(refused.value)
        finally:
            pg_cluster.start()

        assert feed.wait(60) == 1


def test_a_server_that_ends_idle_sessions_does_not_cut_the_live_feed(
    pg_cluster: Cluster, pg_url: str
) -> None:
    """With `idle_session_timeout` (a DBA's reaper), the feed's connection, idle by
    design while it waits for notices, was ended every few seconds: the screen said
    "Lost the connection" and "Reconnected" over and over (a PostgreSQL review)."""
    pg_cluster.admin(f"ALTER DATABASE \"{database_of(pg_url)}\" SET idle_session_timeout = '1s'")
    with PostgresEventLog.open(pg_url) as log, PostgresListener.open(pg_url, "inc-1") as feed:
        assert feed.wait(2.5) is None  # past the server's second: still listening
        log.append([new_event(n=1)])  # the log's own idle connection is replaced quietly
        assert feed.wait(60) == 1
