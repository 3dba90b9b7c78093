"""What the terminal benchmarks share: a private tmux server, a fixed environment, /proc.

`startup.py` and `keypress_latency.py` run `lastgood` in fresh tmux windows of a
server of their own (own socket, no user config) and read the program's CPU time
and memory from /proc. Importing this module puts the repository root on sys.path.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.tmux import Tmux as SharedTmux  # noqa: E402  (the root is on sys.path now)
from tests.tmux import TmuxError  # noqa: E402
from tests.tmux import child_env as shared_env  # noqa: E402

WIDTH, HEIGHT = 120, 40


class BenchError(Exception):
    """Something that stops the benchmark; one line for the user."""


def child_env() -> dict[str, str]:
    """The environment every measured program starts with: the same, fixed terminal."""
    return shared_env(
        {
            "TERM": "xterm-256color",
            "COLUMNS": str(WIDTH),
            "LINES": str(HEIGHT),
            "PYTHONPATH": str(ROOT),
            "LASTGOOD_ACTOR": "bench",
        }
    )


class Tmux(SharedTmux):
    """A private tmux server for the benchmark's windows (`tests/tmux.py`), whose
    failures are the benchmark's one-line errors."""

    def __init__(self, env: dict[str, str]) -> None:
        super().__init__(env, name="lastgood-bench")

    def __call__(self, *args: str) -> str:
        try:
            return super().__call__(*args)
        except TmuxError as error:
            raise BenchError(str(error)) from None

    def start(self) -> None:
        # A window that waits, so the session outlives every measured window.
        self("new-session", "-d", "-s", "bench", "-x", str(WIDTH), "-y", str(HEIGHT), "cat")

    def version(self) -> str:
        return subprocess.run(
            ["tmux", "-V"], capture_output=True, text=True, check=False
        ).stdout.strip()

    def spawn(self, command: list[str]) -> tuple[str, int]:
        """A fresh window running `command` (exec'd, no shell): its pane id and pid."""
        out = self(
            "new-window", "-d", "-t", "bench:", "-P", "-F", "#{pane_id} #{pane_pid}",
            "-c", str(ROOT), "--", *command,
        )  # fmt: skip
        pane, pid = out.split()
        return pane, int(pid)

    def check_size(self, pane: str) -> None:
        size = self("display-message", "-p", "-t", pane, "#{window_width}x#{window_height}")
        if size.strip() != f"{WIDTH}x{HEIGHT}":
            raise BenchError(f"tmux gave a {size.strip()} window, not {WIDTH}x{HEIGHT}")


def wait_gone(pid: int, timeout: float = 10.0) -> None:
    """Let a killed program exit before the next run starts (no overlap)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        if time.monotonic() > deadline:
            os.kill(pid, 9)
            return
        time.sleep(0.01)


def cpu_seconds(pid: int) -> float:
    """The CPU time of `pid`'s live threads, to the nanosecond (/proc/PID/task/*/schedstat).

    utime + stime (/proc/PID/stat) count in clock ticks, 10 ms here: a first frame
    of 0.15-0.3 s read that way moved by a whole tick between runs. Where the kernel
    keeps no schedstat, that is the fallback (it also counts threads that ended).
    """
    try:
        return (
            sum(
                int((task / "schedstat").read_text().split()[0])
                for task in Path(f"/proc/{pid}/task").iterdir()
            )
            / 1e9
        )
    except (FileNotFoundError, IndexError, ValueError):
        stat = Path(f"/proc/{pid}/stat").read_text()
        fields = stat[stat.rindex(")") + 2 :].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children_cpu_seconds(pid: int) -> float:
    """utime + stime of `pid`'s live child processes (the probe poller `start` runs)."""
    total = 0.0
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            with contextlib.suppress(FileNotFoundError):  # gone meanwhile
                total += cpu_seconds(int(child))
    return total


class Resident(NamedTuple):
    """A process's resident memory, in MiB, and the two kinds it is made of."""

    total: float
    """VmRSS: what the targets are set against."""
    anon: float
    """RssAnon: the process's own heap, stacks and Python objects."""
    file: float
    """RssFile + RssShmem: pages of files mapped in (shared libraries, the interpreter),
    which every process mapping the same file shares."""


def resident_mib(pid: int) -> Resident:
    """Resident memory of `pid` now, from /proc/PID/status."""
    kib: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "RssAnon", "RssFile", "RssShmem"):
            kib[name] = int(value.split()[0])
    if "VmRSS" not in kib:
        raise BenchError(f"no VmRSS for process {pid}")
    return Resident(
        kib["VmRSS"] / 1024,
        kib.get("RssAnon", 0) / 1024,
        (kib.get("RssFile", 0) + kib.get("RssShmem", 0)) / 1024,
    )


def rank(values: list[float], q: float) -> float:
    """Nearest-rank percentile: with fewer than 100 values, p99 is the largest."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value
