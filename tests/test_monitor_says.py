"""`monitor` says what it watches as it starts, and what it recorded as it stops
(ux_review4 finding 9).

It printed nothing before its first tick and exited 0 without a word on Ctrl-C, so
the on-call could not tell it was doing what they thought (and a monitor that
recorded nothing, as in finding 4, looked the same as one that did). Both lines go to
stderr, beside its other words about itself, so `--json` keeps stdout one JSON object
a line. Real `monitor` processes poll a real HTTP server on loopback into a real
SQLite file.
"""

from __future__ import annotations

import json
import re
import signal
from pathlib import Path

from tests.cli_helpers import Cli
from tests.monitor_process import running_monitor
from tests.test_monitor_restarted_at_once import declared
from tests.test_monitor_slow_record import Builds
from tests.waiting import poll_until

WAIT_S = 60
STOPPED = re.compile(r"monitor stopped after 1 tick recorded; last tick T\+00:0\d\Z")


def test_monitor_says_what_it_watches_and_what_it_recorded(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "says.db", actor="ada")
    with Builds() as builds:
        incident_id = declared(cli, builds, tmp_path)
        done = cli.run("monitor", incident_id, "--for", "2")
    assert done.code == 0, done.err
    said = done.err.strip().splitlines()
    assert said[0].startswith(f"watching {incident_id} in {cli.db} as ada's monitor (pid "), said
    assert said[0].endswith(
        ": build every 30s, and its messages; stops after 2s (SIGTERM sooner)"
    ), said  # its stdin no terminal: Ctrl-C is for a terminal (tests/test_monitor_start_line.py)
    assert STOPPED.match(said[-1]), said
    assert len(said) == 2, said
    assert "build-1" in done.out


def test_with_json_stdout_stays_one_object_a_line(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "json.db", actor="ada")
    with Builds() as builds:
        incident_id = declared(cli, builds, tmp_path)
        done = cli.run("monitor", incident_id, "--for", "2", "--json")
    assert done.code == 0, done.err
    lines = done.out.strip().splitlines()
    assert [json.loads(line)["kind"] for line in lines] == ["samples"], lines
    said = done.err.strip().splitlines()
    assert said[0].startswith(f"watching {incident_id} in {cli.db} as "), said
    assert ": build every 30s" in said[0], said
    assert STOPPED.match(said[-1]), said


def test_on_ctrl_c_it_says_what_it_recorded(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "stopped.db", actor="ada")
    with Builds() as builds:
        incident_id = declared(cli, builds, tmp_path)
        with running_monitor(cli, incident_id, "--probes-only") as (process, out, err):
            poll_until(lambda: out.has("build-1"), "a first tick", WAIT_S)
            process.send_signal(signal.SIGINT)
            assert process.wait(WAIT_S) == 0
    said = err.joined().splitlines()
    assert said[0].startswith(f"watching {incident_id} in {cli.db} as "), said
    assert said[0].endswith(": build every 30s; SIGTERM stops"), said
    assert STOPPED.match(said[-1]), said
    assert len(said) == 2, said
