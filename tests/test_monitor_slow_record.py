"""`lastgood monitor` polls on schedule while its record is slow to answer.

The monitor made its store calls (a batch of samples recorded, other writers' events
read) on the event loop that polls the probes, so a record that took long to answer
(another writer holding the SQLite file's lock for up to 10 s, a PostgreSQL server
that hangs for up to 20 s a call) stopped every probe for as long, and a call that
then failed lost its batch. Now the session is used from a thread of its own: the
probes keep polling, and the batches polled meanwhile are recorded, in order, once the
record answers.

A real `monitor` process polls a real HTTP server on loopback whose every answer is
the next of "build-1", "build-2", ...: a version probe records that text, so the
record shows whether any poll's sample is missing or out of order. The record is held
up by a real writer holding the SQLite file's lock, or by this worker's PostgreSQL
cluster stopped with SIGSTOP (`Cluster.hung`), each for less than the store's own
deadline for a call.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.cli_helpers import ROOT, Cli
from tests.monitor_process import Lines, running_monitor
from tests.postgres_server import Cluster
from tests.probe_runbooks import probe_runbook
from tests.waiting import poll_until

WAIT_S = 60
"""Far past what any condition here takes; only a monitor that stopped polling nears it."""
POLLS_WHILE_HELD = 2
"""Polls answered while the record is held: each about a second apart, well inside the
store's own wait for a lock (10 s) and for a server's answer (20 s)."""


class Builds:
    """A loopback HTTP server answering every request with the next build name."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._served = 0
        builds = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = f"build-{builds.next()}\n".encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def next(self) -> int:
        with self._lock:
            self._served += 1
            return self._served

    @property
    def served(self) -> int:
        with self._lock:
            return self._served

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/version"

    def __enter__(self) -> Builds:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def runbook(directory: Path, url: str) -> Path:
    probe = f"{{name: build, kind: version, url: '{url}', interval_s: 1}}"
    return probe_runbook(directory / "builds.yaml", probe, title="One version probe")


def recorded_builds(cli: Cli, incident_id: str) -> list[str]:
    record = json.loads(cli.ok("export", incident_id, "--format", "json"))
    return [
        sample["text"]
        for event in record["events"]
        if event["kind"] == "probe.samples"
        for sample in event["payload"]["samples"]
    ]


def declared(cli: Cli, builds: Builds, directory: Path) -> str:
    return cli.ok(
        *("declare", "--title", "t", "--severity", "SEV2", "--commander", "A"),
        *("--runbook", str(runbook(directory, builds.url))),
    ).strip()


@contextlib.contextmanager
def lock_held(db: Path) -> Iterator[None]:
    """Another writer holding the SQLite file's write lock (as a long transaction does)."""
    other = sqlite3.connect(db, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        yield
        other.execute("ROLLBACK")
    finally:
        other.close()


def polls_on_while_held(builds: Builds, out: Lines, err: Lines) -> int:
    """Wait for `POLLS_WHILE_HELD` more polls; nothing recorded meanwhile, nothing lost.
    The polls served, for what the record must hold once it answers."""
    served, shown = builds.served, len(out.lines)
    poll_until(
        lambda: builds.served >= served + POLLS_WHILE_HELD,
        f"{POLLS_WHILE_HELD} polls while the record is held",
        WAIT_S,
    )
    assert len(out.lines) == shown, out.lines[shown:]  # the record was held throughout
    assert not err.has("samples not recorded"), err.lines
    return builds.served


def queued_batches(err: Lines) -> int:
    """How many batches the first stop said still wait to be recorded."""
    line = next(line for line in err.lines if "still queued" in line)
    found = re.search(r"recording the (\d+) batch", line)
    assert found is not None, line
    return int(found.group(1))


def test_probes_poll_on_while_another_writer_holds_the_file(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "record.db", actor="bastion")
    with Builds() as builds:
        incident_id = declared(cli, builds, tmp_path)
        with running_monitor(cli, incident_id) as (process, out, err):
            poll_until(lambda: out.has("build-1"), "a first batch recorded", WAIT_S)
            with lock_held(tmp_path / "record.db"):
                served = polls_on_while_held(builds, out, err)
            poll_until(lambda: out.has(f"build-{served}"), "the held batches recorded", WAIT_S)
            process.send_signal(signal.SIGINT)
            assert process.wait(WAIT_S) == 0, err.joined()
    texts = recorded_builds(cli, incident_id)
    assert texts == [f"build-{n}" for n in range(1, len(texts) + 1)]  # in order, no gap
    assert len(texts) >= served
    assert not err.has("samples not recorded"), err.joined()
    assert "ok," in cli.ok("verify", incident_id)


def test_probes_poll_on_while_the_postgresql_server_hangs(
    pg_cluster: Cluster, pg_url: str, tmp_path: Path
) -> None:
    """A hung server holds up the samples' append and the messages' read of other
    writers alike: both were made on the loop."""
    cli = Cli(pg_url, actor="bastion")  # type: ignore[arg-type]  # LASTGOOD_DB holds the URL
    with Builds() as builds:
        incident_id = declared(cli, builds, tmp_path)
        with running_monitor(cli, incident_id) as (process, out, err):
            poll_until(lambda: out.has("build-1"), "a first batch recorded", WAIT_S)
            with pg_cluster.hung():
                served = polls_on_while_held(builds, out, err)
            poll_until(lambda: out.has(f"build-{served}"), "the held batches recorded", WAIT_S)
            process.send_signal(signal.SIGINT)
            assert process.wait(WAIT_S) == 0, err.joined()
    texts = recorded_builds(cli, incident_id)
    assert texts == [f"build-{n}" for n in range(1, len(texts) + 1)]
    assert len(texts) >= served
    assert "ok," in cli.ok("verify", incident_id)


def test_sigterm_records_what_waits_and_a_second_leaves_it_saying_how_much(
    tmp_path: Path,
) -> None:
    """The first SIGTERM (or Ctrl-C) stops polling and waits for the record, saying how
    many batches wait; the second leaves them, and the exit says how many."""
    cli = Cli(tmp_path / "record.db", actor="bastion")
    with Builds() as builds:
        incident_id = declared(cli, builds, tmp_path)
        with running_monitor(cli, incident_id) as (process, out, err):
            poll_until(lambda: out.has("build-1"), "a first batch recorded", WAIT_S)
            with lock_held(tmp_path / "record.db"):
                polls_on_while_held(builds, out, err)
                process.send_signal(signal.SIGTERM)
                poll_until(lambda: err.has("still queued"), "the backlog said", WAIT_S)
                assert process.poll() is None  # waiting for the record, not gone
                queued = queued_batches(err)
            assert process.wait(WAIT_S) == 0, err.joined()
        drained = recorded_builds(cli, incident_id)
        assert drained == [f"build-{n}" for n in range(1, len(drained) + 1)]
        # What the stop said waits is recorded; a poll the server had answered but the
        # monitor not yet read when told to stop is not among them (seen under load).
        assert queued >= 1 and len(drained) >= 1 + queued, (queued, drained)

        with running_monitor(cli, incident_id) as (process, out, err):
            poll_until(lambda: bool(out.lines), "a first batch recorded", WAIT_S)
            with lock_held(tmp_path / "record.db"):
                polls_on_while_held(builds, out, err)
                process.send_signal(signal.SIGTERM)
                poll_until(lambda: err.has("still queued"), "the backlog said", WAIT_S)
                process.send_signal(signal.SIGTERM)
                code = process.wait(WAIT_S)
                said = err.joined()
    assert code == 2, said
    last = said.splitlines()[-1]
    assert last.startswith("lastgood monitor: stopped with "), said
    assert last.endswith(" not recorded"), said


def test_nothing_is_said_after_the_count_of_what_was_left() -> None:
    """Once a second signal left the backlog and the count was said, a line from the
    store thread (a call that failed a moment later) is not said after it: under load,
    a lock held 10 s ran out just after the count and its failure became the last line."""
    script = (
        "import sys; from tui.cli import monitor_lines\n"
        "monitor_lines.emit('before', sys.stderr)\n"
        "monitor_lines.fall_silent()\n"
        "monitor_lines.emit('samples not recorded: late', sys.stderr)\n"
        "monitor_lines.emit('a batch', sys.stdout)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert (done.stdout, done.stderr) == ("", "before\n")
