"""`monitor`'s exit statuses tell a service's unit what to do next (ux_review14 #3).

Every refusal exited 2, a typo'd ID and a PostgreSQL restart alike, so a unit either
restarted for good on the one or gave up on the other; and an incident closed before
the monitor started was 2 where one closed while it ran was 0. Now: 0 for nothing to
do, 2 for a refusal for good (`RestartPreventExitStatus=2`), 75 (EX_TEMPFAIL) for a
record that cannot be reached now (`Restart=on-failure` retries it). Run as a unit
runs it: a process of its own, stdin /dev/null.
"""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import threading
from pathlib import Path

from tests.cli_helpers import Cli, Result, declare, lastgood_command, run_beside
from tests.http_servers import LoopbackServer, Received, Reply
from tests.postgres_server import free_port

PERMANENT = 2
TRANSIENT = 75


def as_a_unit(cli: Cli, *args: str, env: dict[str, str] | None = None) -> Result:
    done = subprocess.run(
        [*lastgood_command(), "monitor", *args],
        env=cli.env if env is None else env,
        cwd=cli.cwd,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return Result(done.returncode, done.stdout, done.stderr)


def test_an_incident_closed_before_the_monitor_started_is_nothing_to_do(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "r.db", actor="Ada")
    incident_id = declare(cli)
    cli.ok("close", incident_id, "--force", "--reason", "rolled back by hand")
    done = as_a_unit(cli, incident_id)
    assert (done.code, done.err) == (
        0,
        f"lastgood monitor: incident {incident_id} is closed: nothing to watch\n",
    )


def test_refusals_for_good_are_2(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "r.db", actor="Ada")
    incident_id = declare(cli)
    (tmp_path / "notes.txt").write_text("not a database, but notes\n" * 200)
    for env, args, said in (
        (cli.env, ("INC-20000101-0000",), "no incident 'INC-20000101-0000'"),
        ({**cli.env, "LASTGOOD_DB": str(tmp_path / "none.db")}, (incident_id,), "no database"),
        ({**cli.env, "LASTGOOD_DB": str(tmp_path / "notes.txt")}, (incident_id,), "not a"),
        (cli.env, (), "give the incident's ID, or --open to monitor every open incident"),
        (cli.env, (incident_id, "--for", "soon"), "--for"),
    ):
        done = as_a_unit(cli, *args, env=env)
        assert done.code == PERMANENT, (args, done)
        assert said in done.err and done.err.count("\n") == 1, done.err


def test_a_postgresql_server_that_is_down_is_75(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "unused.db", actor="Ada")
    url = f"postgresql://lastgood@127.0.0.1:{free_port()}/incidents"
    done = as_a_unit(cli, "INC-20000101-0000", env={**cli.env, "LASTGOOD_DB": url})
    assert done.code == TRANSIENT, done
    assert done.err.endswith("connection refused (is PostgreSQL running there?)\n")


def test_a_lock_held_past_the_busy_timeout_is_75_for_monitor_and_every_verb(
    tmp_path: Path,
) -> None:
    """Another process holds the SQLite file's write lock for longer than the 10 s a
    writer waits: the monitor and a `note` both give up, and say try again."""
    cli = Cli(tmp_path / "r.db", actor="Ada")
    incident_id = declare(cli)
    holder = sqlite3.connect(cli.db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    results: dict[str, Result] = {}

    def run(name: str, *args: str) -> None:
        results[name] = as_a_unit(cli, *args) if name == "monitor" else cli.run(*args)

    threads = [
        threading.Thread(target=run, args=("monitor", incident_id)),
        threading.Thread(target=run, args=("note", "note", incident_id, "LB drained")),
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    for name, done in results.items():
        assert done.code == TRANSIENT, (name, done)
        assert done.err.endswith("other writers held the database for 10 s; nothing was written\n")
    assert set(results) == {"monitor", "note"}
    assert "LB drained" not in cli.ok("timeline", incident_id)


async def test_a_lock_taken_while_prometheus_answers_is_75_for_measure_impact(
    tmp_path: Path,
) -> None:
    """`measure-impact` opens the record, asks Prometheus, then appends: another writer
    that takes the file's lock meanwhile and holds it past the busy timeout made it
    exit 2, a refusal for good, where every other verb says 75, try again."""
    cli = Cli(tmp_path / "r.db", actor="Ada")
    incident_id = declare(cli)
    cli.ok("close", incident_id, "--force", "--reason", "rolled back")  # the window's end
    events_before = cli.ok("verify", incident_id)
    holder = sqlite3.connect(cli.db, isolation_level=None, check_same_thread=False)
    locked = asyncio.Event()

    async def prometheus(request: Received, reply: Reply) -> None:
        if not locked.is_set():  # the verb has its record open: another writer takes it
            holder.execute("BEGIN EXCLUSIVE")
            locked.set()
        vector = {"resultType": "vector", "result": [{"metric": {}, "value": [0, "3"]}]}
        await reply.json({"status": "success", "data": vector})

    async with LoopbackServer({"/api/v1/query": prometheus}) as server:
        try:
            done = await run_beside(
                cli,
                *("measure-impact", incident_id, "--failed", 'http_requests_total{code="500"}'),
                *("--total", "http_requests_total", "--prometheus", server.url("")),
            )
        finally:
            if locked.is_set():
                holder.execute("ROLLBACK")
            holder.close()
    assert locked.is_set(), done
    assert done.code == TRANSIENT, done
    assert done.err.endswith("other writers held the database for 10 s; nothing was written\n")
    assert cli.ok("verify", incident_id) == events_before
