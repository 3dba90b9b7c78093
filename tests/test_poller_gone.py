"""A poller of this machine whose process has ended is gone, a zombie too (review11 #9).

`poller_gone` asked `kill(pid, 0)`, which a process that has ended and waits to be
reaped (`<defunct>`) still answers: in a container whose first process reaps nobody,
every orphan stays so, and a restarted screen or `monitor` waited out the dead
poller's turn instead of taking it at once. A zombie is read from /proc/PID/stat
(state `Z`). Real processes: a child left unreaped, one still running.
"""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from incident.app.pollers import poller_gone
from tests.waiting import poll_until

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")


def named(pid: int) -> str:
    return f"Sam's screen (pid {pid} on {socket.gethostname()})"


def state(pid: int) -> str:
    return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]


def test_a_poller_whose_process_ended_unreaped_is_gone() -> None:
    process = subprocess.Popen([sys.executable, "-c", ""])
    try:
        poll_until(lambda: state(process.pid) == "Z", "the child to end, unreaped", 30)
        assert poller_gone(named(process.pid))
    finally:
        process.wait()
    assert poller_gone(named(process.pid))  # reaped: no such process


def test_a_poller_whose_process_runs_is_not_gone() -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE
    )
    try:
        assert not poller_gone(named(process.pid))
    finally:
        assert process.stdin is not None
        process.stdin.close()
        process.wait()


def test_a_poller_elsewhere_is_never_known_gone() -> None:
    process = subprocess.Popen([sys.executable, "-c", ""])
    process.wait()
    assert not poller_gone(f"Sam's screen (pid {process.pid} on another-host)")
