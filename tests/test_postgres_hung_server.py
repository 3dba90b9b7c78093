"""A PostgreSQL server that hangs (stopped, not down) fails calls in bounded time.

A server stopped with SIGSTOP, frozen with its VM or stuck on storage closes nothing
and answers nothing, and its kernel still acknowledges every packet, so neither
keepalives nor `tcp_user_timeout` (`tests/test_postgres_partition.py`) notice, and
the server enforces none of its own timeouts. `lastgood monitor` froze for as long as
the server did, printing nothing, and overran `--for` (a PostgreSQL review). Each
request now has the client's own deadline (`ANSWER_DEADLINE_S`). Here this worker's
own cluster is stopped (its processes only, found from its postmaster.pid) and
continued at the end, whatever happened.
"""

from __future__ import annotations

from pathlib import Path

from store.errors import StoreError
from store.postgres_connection import ANSWER_DEADLINE_S
from store.postgres_log import PostgresEventLog
from tests.cli_helpers import Cli
from tests.monitor_process import running_monitor
from tests.postgres_server import Cluster
from tests.store_helpers import new_event
from tests.test_postgres_partition import in_background
from tests.waiting import poll_until
from tui.demo.launch import write_demo_runbook
from tui.demo.shop import DemoService

GIVE_UP_S = 180
"""Far past the deadlines; only a hang (the tree before) reaches it."""


def notes(log: PostgresEventLog) -> list[str]:
    return [str(getattr(event.data, "text", "")) for event in log.events("inc-1")]


def test_a_hung_server_fails_a_write_and_a_read_then_recording_resumes(
    pg_cluster: Cluster, pg_url: str
) -> None:
    with PostgresEventLog.open(pg_url) as log:
        log.append([new_event(n=1)])
        with pg_cluster.hung():
            writing, write_raised = in_background(lambda: log.append([new_event(n=2)]))
            writing.join(GIVE_UP_S)
            assert not writing.is_alive(), "the write still waits on a hung server"
            reading, read_raised = in_background(lambda: log.events("inc-1"))
            reading.join(GIVE_UP_S)
            assert not reading.is_alive(), "the read still waits on a hung server"
        for raised, starts in ((write_raised, "cannot append"), (read_raised, "cannot read")):
            assert len(raised) == 1 and isinstance(raised[0], StoreError), raised
            message = str(raised[0])
            assert message.startswith(f"{log.path}: {starts}"), message
            assert "\n" not in message
        assert f"did not answer for {ANSWER_DEADLINE_S:g} s" in str(write_raised[0])
        log.append([new_event(n=3)])
        assert notes(log) == ["note 1", "note 3"]  # BEGIN went unanswered: nothing recorded
        assert log.verify("inc-1").ok


def test_monitor_on_a_hung_server_says_so_and_ends_with_exit_75(
    pg_cluster: Cluster, pg_url: str, tmp_path: Path
) -> None:
    cli = Cli(pg_url, actor="bastion")  # type: ignore[arg-type]
    with DemoService(latency_scale=0) as service:
        runbook = write_demo_runbook(service.url, tmp_path)
        incident_id = cli.ok(
            *("declare", "--title", "t", "--severity", "SEV2", "--commander", "A"),
            *("--runbook", runbook.source, "--last-good", "2.4.0"),
        ).strip()
        with running_monitor(cli, incident_id, "--for", "8") as (process, out, err):
            poll_until(lambda: out.has("version 2.4.1"), "a first batch recorded", GIVE_UP_S)
            with pg_cluster.hung():
                poll_until(lambda: process.poll() is not None, "the monitor to end", GIVE_UP_S)
        code = process.returncode
    said = err.joined()
    assert code == 75, said  # EX_TEMPFAIL: the server may answer later
    assert "Traceback" not in said, said
    assert sum("samples not recorded: " in line for line in out.lines) == 1, out.joined()
    assert err.lines[-1].startswith("lastgood monitor: stopped while samples were not recorded:")
    assert "ok," in cli.ok("verify", incident_id)


def test_every_connection_limits_statements_and_lock_waits_on_the_server(pg_url: str) -> None:
    """The server's own limits end a slow statement and keep the connection; the
    client's deadline is for a server that cannot (above)."""
    from store.postgres_connection import connect

    _, connection = connect(pg_url, read_only=False)
    with connection:
        names = ("statement_timeout", "lock_timeout")
        shown = [connection.execute(f"SHOW {name}").fetchone() for name in names]
    assert shown == [("15s",), ("10s",)]


def test_a_psycopg_without_the_private_timeout_still_connects(pg_url: str, monkeypatch) -> None:
    """The deadline rides on psycopg's private `_WaitTimeout` (3.3); a psycopg installed
    without the extra's pin (3.2, 3.1) ended every command in an AttributeError."""
    import psycopg

    from store import postgres_connection
    from store.postgres_connection import connect

    monkeypatch.delattr(psycopg.errors, "_WaitTimeout")
    postgres_connection._answered_in_time.cache_clear()
    try:
        _, connection = connect(pg_url, read_only=False)
        with connection:
            assert connection.execute("SHOW statement_timeout").fetchone() == ("15s",)
    finally:
        postgres_connection._answered_in_time.cache_clear()
