"""A `monitor` started again at once records from its first round (ux_review4 finding 4).

`monitor --for 6` and then, at once, `monitor --for 10` recorded nothing and said
nothing: the second could tell its predecessor's process was gone, so the read side of
the probes' turn said "poll now", but the write side judged the lapse alone and refused
every batch until 35 s after the last tick, and the monitor polled again at once each
time (1,222 connections in 10 s). Real `monitor` processes poll a real HTTP server on
loopback into a real SQLite file, as a user runs them one after the other; the probe's
interval (and so the turn's lapse, two of them and the timeout) is far longer than the
runs, so every run polls once, at its start.
"""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

from incident.app.probe_turn import POLLER_VARIABLE
from tests.cli_helpers import Cli
from tests.probe_runbooks import probe_runbook
from tests.test_monitor_slow_record import Builds
from tests.test_one_poller import pollers, ticks

INTERVAL_S = 30
"""The turn lapses 61 s after a tick: far past both runs together."""
RUN_S = "3"
"""How long each `monitor` runs (`--for`): its one round, at its start, fits in it."""


def declared(cli: Cli, builds: Builds, directory: Path) -> str:
    probe = f"{{name: build, kind: version, url: '{builds.url}', interval_s: {INTERVAL_S}}}"
    runbook = probe_runbook(directory / "builds.yaml", probe, title="One version probe")
    return cli.ok(
        *("declare", "--title", "t", "--severity", "SEV2", "--commander", "Ada"),
        *("--runbook", str(runbook)),
    ).strip()


def ended_pid() -> int:
    """The pid of a process of this machine that has ended."""
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_a_monitor_started_again_at_once_records_its_first_round(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "again.db", actor="ada")
    with Builds() as builds:
        incident_id = declared(cli, builds, tmp_path)
        first = cli.ok("monitor", incident_id, "--for", RUN_S)
        assert "build-1" in first, first
        second = cli.ok("monitor", incident_id, "--for", RUN_S)
        # It polled once, at its start, and recorded that round (before: no line, and
        # the service asked again at once, round after round, until the run ended).
        assert "build-2" in second, second
        assert builds.served == 2
    assert [tick["samples"][0]["text"] for tick in ticks(cli, incident_id)] == [  # type: ignore[index]
        "build-1",
        "build-2",
    ]
    assert len(pollers(cli, incident_id)) == 2
    assert "ok," in cli.ok("verify", incident_id)


def test_a_screen_reopened_at_once_has_its_probe_child_record_its_first_round(
    tmp_path: Path,
) -> None:
    """The coordinator's screen polls in a child `monitor --probes-only`, whose ticks name
    the screen (`LASTGOOD_POLLER`): `q`, and `start` again at once, is a new screen whose
    child finds the last ticks named after a screen whose process has ended."""
    cli = Cli(tmp_path / "reopened.db", actor="ada")
    host = socket.gethostname()
    closed = f"Ada's screen (pid {ended_pid()} on {host})"
    reopened = f"Ada's screen (pid {os.getpid()} on {host})"
    with Builds() as builds:
        incident_id = declared(cli, builds, tmp_path)
        for screen in (closed, reopened):
            child = Cli(cli.db, actor="ada")
            child.env[POLLER_VARIABLE] = screen
            said = child.ok("monitor", incident_id, "--probes-only", "--for", RUN_S)
            assert f"build-{builds.served}" in said, said
        assert builds.served == 2
    assert pollers(cli, incident_id) == [closed, reopened]
