"""Start-up time to first frame: `lastgood start` on a 200-event incident vs minimal Textual.

Each run starts the program in a fresh 120x40 tmux window and polls `capture-pane`
every 5 ms until a marker of its first frame is on screen; the time from spawn to
marker is the figure. The two programs take turns, after one untimed warm-up each.

    python bench/startup.py [--runs 7] [--events 200] [--warmup 1]

Prints min / median / p90 for each and the ratio of the medians. Measures; asserts
nothing. Needs tmux.
"""

from __future__ import annotations

import argparse
import math
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from incident import commands  # noqa: E402
from tui.demo.scenarios import ACTOR, DECLARATION, mid_phase_two  # noqa: E402

WIDTH, HEIGHT = 120, 40
POLL_S = 0.005
MINIMAL_MARKER = "minimal-app-first-frame"
LASTGOOD_MARKER = DECLARATION.title
"""The incident title, in the incident bar of the main screen."""


class BenchError(Exception):
    """Something that stops the benchmark; one line for the user."""


@dataclass
class Program:
    name: str
    command: list[str]
    marker: str
    times: list[float] = field(default_factory=list)


def build_incident(db: Path, events: int) -> tuple[str, int]:
    """A realistic incident (phase 2 under way) padded with notes to `events` events."""
    scenario = mid_phase_two(db)
    clock = scenario.clock
    count = len(scenario.log.events(scenario.incident_id))
    for n in range(count + 1, events + 1):
        clock.advance(5)
        text = f"observation {n}: error rate and latency sampled, see dashboard panel {n % 7}"
        scenario.run(lambda s, text=text: commands.add_note(s, text, actor=ACTOR, clock=clock))
    count = len(scenario.log.events(scenario.incident_id))
    scenario.log.close()
    return scenario.incident_id, count


def child_env() -> dict[str, str]:
    """The environment both programs start with: the same, fixed terminal."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TEXTUAL", "TMUX", "LASTGOOD_")) and k not in ("COLUMNS", "LINES")
    }
    env.update(
        TERM="xterm-256color",
        COLUMNS=str(WIDTH),
        LINES=str(HEIGHT),
        PYTHONPATH=str(ROOT),
        LASTGOOD_ACTOR="bench",
    )
    return env


class Tmux:
    """A private tmux server for the benchmark's windows."""

    def __init__(self, env: dict[str, str]) -> None:
        self.socket = f"lastgood-bench-{secrets.token_hex(6)}"
        self.env = env

    def __call__(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.socket, "-f", os.devnull, *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
        if done.returncode != 0:
            raise BenchError(f"tmux {args[0]} failed: {done.stderr.strip()}")
        return done.stdout

    def start(self) -> None:
        # A window that waits, so the session outlives every measured window.
        self("new-session", "-d", "-s", "bench", "-x", str(WIDTH), "-y", str(HEIGHT), "cat")

    def kill_server(self) -> None:
        subprocess.run(
            ["tmux", "-L", self.socket, "kill-server"],
            env=self.env,
            capture_output=True,
            timeout=10,
            check=False,
        )
        # tmux leaves its socket file behind; it lives where tmux puts `-L` sockets.
        where = Path(self.env.get("TMUX_TMPDIR") or "/tmp") / f"tmux-{os.getuid()}"
        (where / self.socket).unlink(missing_ok=True)


def time_to_marker(tmux: Tmux, program: Program, timeout: float) -> float:
    """Spawn `program` in a fresh window; seconds until its marker is on screen."""
    started = time.perf_counter()
    out = tmux(
        "new-window", "-d", "-t", "bench:", "-P", "-F", "#{pane_id} #{pane_pid}",
        "-c", str(ROOT), "--", *program.command,
    )  # fmt: skip
    pane, pid = out.split()
    try:
        while True:
            screen = tmux("capture-pane", "-p", "-t", pane)
            if program.marker in screen:
                elapsed = time.perf_counter() - started
                break
            if time.perf_counter() - started > timeout:
                raise BenchError(
                    f"{program.name}: no '{program.marker}' on screen after {timeout:.0f}s; "
                    f"last screen:\n{screen}"
                )
            time.sleep(POLL_S)
        size = tmux("display-message", "-p", "-t", pane, "#{window_width}x#{window_height}")
        if size.strip() != f"{WIDTH}x{HEIGHT}":
            raise BenchError(f"tmux gave a {size.strip()} window, not {WIDTH}x{HEIGHT}")
    finally:
        tmux("kill-window", "-t", pane)
        wait_gone(int(pid))
    return elapsed


def wait_gone(pid: int, timeout: float = 10.0) -> None:
    """Let the killed program exit before the next run starts (no overlap)."""
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


def p90(values: list[float]) -> float:
    """Nearest-rank 90th percentile (the largest value for fewer than 10 runs)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=positive, default=7, help="timed runs each (default 7)")
    parser.add_argument("--events", type=positive, default=200, help="events in the incident")
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs each first")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per run")
    args = parser.parse_args(argv)

    if shutil.which("tmux") is None:
        print("bench/startup.py: tmux is not installed (apt-get install tmux)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="lastgood-bench-") as scratch:
        db = Path(scratch) / "bench.db"
        incident_id, event_count = build_incident(db, args.events)
        python = sys.executable
        programs = [
            Program(
                "lastgood start",
                [python, "-m", "tui.cli", "start", "--db", str(db), "--incident", incident_id],
                LASTGOOD_MARKER,
            ),
            Program(
                "minimal Textual app",
                [python, str(ROOT / "bench" / "minimal_app.py"), MINIMAL_MARKER],
                MINIMAL_MARKER,
            ),
        ]
        tmux = Tmux(child_env())
        try:
            tmux.start()
            tmux_version = subprocess.run(
                ["tmux", "-V"], capture_output=True, text=True, check=False
            ).stdout.strip()
            for _ in range(args.warmup):
                for program in programs:
                    time_to_marker(tmux, program, args.timeout)
            for run in range(args.runs):
                for program in programs if run % 2 == 0 else programs[::-1]:
                    program.times.append(time_to_marker(tmux, program, args.timeout))
        except BenchError as error:
            print(f"bench/startup.py: {error}", file=sys.stderr)
            return 1
        finally:
            tmux.kill_server()

    lastgood, minimal = programs
    print(
        f"Start-up to first frame, {WIDTH}x{HEIGHT} tmux window, capture-pane every "
        f"{POLL_S * 1000:.0f} ms, {args.warmup} untimed warm-up run(s) each"
    )
    print(
        f"Python {sys.version.split()[0]}, Textual {version('textual')}, {tmux_version}, "
        f"{os.cpu_count()} CPUs"
    )
    print(f"Events in incident {incident_id}: {event_count}")
    print()
    print(f"{'program':<22}{'runs':>5}{'min s':>10}{'median s':>10}{'p90 s':>10}")
    for program in programs:
        t = program.times
        print(
            f"{program.name:<22}{len(t):>5}{min(t):>10.3f}"
            f"{statistics.median(t):>10.3f}{p90(t):>10.3f}"
        )
    ratio = statistics.median(lastgood.times) / statistics.median(minimal.times)
    print()
    print(f"ratio (median lastgood / median minimal): {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
