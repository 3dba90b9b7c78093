"""SIGHUP and a closed stdout stop `monitor` cleanly, as SIGTERM does (ux_review14 #8).

By their default action both ended it at once: SIGHUP (an SSH session dropped, a
`kill -HUP` from a log-rotation habit) with status 129 and no stop line; a stdout pipe
whose reader died (`| head -2`, a `| logger` that exited) with 141 at the next line
printed. Either way the batches queued for the record were not recorded and stderr,
still open, never said why it stopped.

A real monitor started as a unit starts it (a session of its own, stdin /dev/null)
polls a real HTTP server; another writer holds the SQLite file's lock meanwhile, so
batches are queued when the stop comes.
"""

from __future__ import annotations

import io
import re
import signal
import subprocess
from pathlib import Path

from tests.cli_helpers import Cli, lastgood_command
from tests.monitor_process import Lines
from tests.test_monitor_slow_record import (
    WAIT_S,
    Builds,
    declared,
    lock_held,
    polls_on_while_held,
    recorded_builds,
)
from tests.waiting import poll_until

STOP_LINE = re.compile(r"monitor stopped after (\d+) ticks? recorded; last tick T\+\d\d:\d\d")


def as_a_unit(cli: Cli, incident_id: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*lastgood_command(), "monitor", incident_id],
        env=cli.env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def test_sighup_stops_as_sigterm_does_recording_what_waits(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "record.db", actor="bastion")
    with Builds() as builds:
        incident_id = declared(cli, builds, tmp_path)
        process = as_a_unit(cli, incident_id)
        try:
            assert process.stdout is not None and process.stderr is not None
            out, err = Lines(process.stdout), Lines(process.stderr)
            poll_until(lambda: out.has("build-1"), "a first batch recorded", WAIT_S)
            with lock_held(tmp_path / "record.db"):
                served = polls_on_while_held(builds, out, err)
                process.send_signal(signal.SIGHUP)
                poll_until(lambda: err.has("still queued"), "the backlog said", WAIT_S)
            code = process.wait(WAIT_S)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        said = err.joined()
    assert code == 0, said
    assert STOP_LINE.fullmatch(said.splitlines()[-1]), said
    recorded = recorded_builds(cli, incident_id)
    assert recorded == [f"build-{n}" for n in range(1, len(recorded) + 1)]
    assert len(recorded) >= served - 1, (served, recorded)  # one may have been in flight


def test_a_closed_stdout_stops_it_recording_what_waits_and_saying_so_on_stderr(
    tmp_path: Path,
) -> None:
    cli = Cli(tmp_path / "record.db", actor="bastion")
    with Builds() as builds:
        incident_id = declared(cli, builds, tmp_path)
        process = as_a_unit(cli, incident_id)
        try:
            assert process.stdout is not None and process.stderr is not None
            err = Lines(process.stderr)
            first = process.stdout.readline()
            assert "build-1" in first, first
            process.stdout.close()  # the reader leaves: `| head -1`
            with lock_held(tmp_path / "record.db"):
                served = polls_on_while_held(builds, Lines(io.StringIO()), err)
            code = process.wait(WAIT_S)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        said = err.joined()
    assert code == 141, said  # as every verb whose reader left
    assert "stopping: standard output was closed (its reader left)" in said
    match = STOP_LINE.fullmatch(said.splitlines()[-1])
    assert match, said
    recorded = recorded_builds(cli, incident_id)
    assert recorded == [f"build-{n}" for n in range(1, len(recorded) + 1)]
    assert len(recorded) >= served - 1, (served, recorded)  # the queued batches recorded
    assert int(match.group(1)) >= 2
