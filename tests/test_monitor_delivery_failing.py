"""`monitor` says once when a webhook target's deliveries start failing (ux_review14 #5).

The monitor is the one process meant to deliver while nobody watches, and it said
nothing of a delivery that failed try after try, where `deliver` says each failure;
its log showed the trouble only once it was over (`Delivered to ops after 8 tries`).
Now it says `deliveries to team failing: HTTP 503 …; retrying` once, however many
tries fail, and the delivery's own line when one works.

A real `monitor` process, a real loopback receiver answering 503 until told to take
the message, a real SQLite file.
"""

from __future__ import annotations

import re
import signal
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.cli_helpers import Cli
from tests.monitor_process import running_monitor
from tests.waiting import poll_until

WAIT_S = 90
"""Past a few retries' back-off."""
RUNBOOK = """\
runbook: monitor-delivery
title: Deliveries under a monitor
templates:
  initiating: "Initiating rollback due to {issue}."
notify:
  targets:
    - {name: team, kind: slack, url: "${HOOK}"}
  send:
    initiating: {to: [team], on: declared, mode: auto}
phases:
  - id: decide
    title: Decide
    window: [0, 5]
    steps:
      - {id: notify, title: Notify stakeholders, kind: communication, template: initiating}
"""


class Receiver:
    """A webhook receiver on loopback answering 503 until `up` is set, then 200."""

    def __init__(self) -> None:
        self.up = threading.Event()
        self._lock = threading.Lock()
        self.refused = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                status = 200 if receiver.up.is_set() else 503
                if status == 503:
                    with receiver._lock:
                        receiver.refused += 1
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/hook"

    def __enter__(self) -> Receiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def test_a_target_failing_is_said_once_and_its_delivery_when_it_works(tmp_path: Path) -> None:
    runbook = tmp_path / "runbook.yaml"
    runbook.write_text(RUNBOOK)
    cli = Cli(tmp_path / "record.db", actor="ada")
    with Receiver() as receiver:
        cli.env["HOOK"] = receiver.url
        incident_id = cli.ok(
            *("declare", "--title", "t", "--severity", "SEV2", "--commander", "Ada"),
            *("--issue", "checkout errors", "--runbook", str(runbook)),
        ).splitlines()[0]
        with running_monitor(cli, incident_id) as (process, out, err):
            poll_until(lambda: out.has("deliveries to team failing"), "the failure said", WAIT_S)
            refused = receiver.refused
            poll_until(lambda: receiver.refused >= refused + 2, "two tries more", WAIT_S)
            receiver.up.set()
            poll_until(lambda: out.has("Delivered to team after"), "the delivery", WAIT_S)
            process.send_signal(signal.SIGINT)
            assert process.wait(WAIT_S) == 0, err.joined()
            lines = out.joined().splitlines()
    failing = [line for line in lines if "deliveries to team failing" in line]
    assert len(failing) == 1, lines  # once, not per try
    assert re.fullmatch(
        r"T\+\d\d:\d\d  deliveries to team failing: HTTP 503.*; retrying", failing[0]
    ), failing
    delivered = next(n for n, line in enumerate(lines) if "Delivered to team after" in line)
    assert lines.index(failing[0]) < delivered, lines
