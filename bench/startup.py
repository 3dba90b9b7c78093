"""Start-up to first frame: `lastgood start` on a 200-event incident vs minimal Textual.

Each run starts the program in a fresh 120x40 tmux window and reads the screen
after each of its outputs (one tmux control-mode client, `tmux_control.py`) until
a marker of its first frame is on screen. Then, at once, the
program's CPU time (utime + stime) and resident memory (VmRSS) are read from
/proc: what it took to draw its first frame, beside the wall time from spawn to
marker. The two programs take turns, after one untimed warm-up each.

    python bench/startup.py [--runs 7] [--events 200] [--warmup 1]
    python bench/startup.py --quick     # 3 runs each, a few seconds: CI runs it
    python bench/startup.py --probes 200   # an incident of 200 probes, 150 ticks of samples

Prints min / median / p90 of each figure per program and the ratios of the
medians. Measures; asserts nothing. Needs tmux.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Literal

from terminal import (
    HEIGHT,
    ROOT,
    WIDTH,
    BenchError,
    Resident,
    Tmux,
    child_env,
    cpu_seconds,
    positive,
    rank,
    resident_mib,
    wait_gone,
)
from tmux_control import ControlClient

# `terminal` put the repository root on sys.path.
from incident import commands
from tui.demo.scenarios import ACTOR, DECLARATION, mid_phase_two

MINIMAL_MARKER = "minimal-app-first-frame"
LASTGOOD_MARKER = DECLARATION.title
"""The incident title, in the incident bar of the main screen."""


@dataclass
class Program:
    name: str
    command: list[str]
    marker: str
    times: list[float] = field(default_factory=list)
    """Seconds from spawn to the marker on screen."""
    cpu: list[float] = field(default_factory=list)
    """CPU seconds the process had used when its marker was seen."""
    memory: list[Resident] = field(default_factory=list)
    """Its resident memory then: the whole, and how much of it is anonymous or files'."""

    def resident(self, kind: Literal["total", "anon", "file"]) -> list[float]:
        """One kind of `memory` ("total", "anon" or "file") over the runs, in MiB."""
        return [getattr(reading, kind) for reading in self.memory]


def cached_bytecode(env: dict[str, str], cache: Path) -> dict[str, str]:
    """`env` with bytecode written to and read from `cache`, whatever
    $PYTHONDONTWRITEBYTECODE says: an installed lastgood has its bytecode (pip compiles
    it, as it did Textual's), so the untimed warm-up compiles it once; without this
    every run of lastgood timed compiling its own modules and the minimal app did not."""
    kept = {key: value for key, value in env.items() if key != "PYTHONDONTWRITEBYTECODE"}
    return {**kept, "PYTHONPYCACHEPREFIX": str(cache)}


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


PROBED_MARKER = "Keypress latency bench"
"""The title `keypress_setup.declare` gives the incident of `--probes`."""


def build_probed_incident(db: Path, probes: int, ticks: int) -> tuple[str, int]:
    """An incident whose runbook polls `probes` probes, with `ticks` ticks of their
    samples recorded: what the health panel draws at opening (the last 120 of each)."""
    from keypress_setup import declare, runbooks

    from incident.app.session import IncidentSession
    from incident.core.clock import SystemClock
    from incident.core.samples import Outcome, Sample
    from store.sqlite_log import SqliteEventLog

    runbook, _ = runbooks(db.parent, 9, probes, 1)  # port 9: never polled before the frame
    incident_id = declare(child_env(), db, runbook)
    with SqliteEventLog.open(db) as log:
        clock = SystemClock()
        session = IncidentSession(log, incident_id, clock)
        names = [probe.name for probe in session.state.runbook.probes]
        for n in range(ticks):
            now = clock.now()
            fresh = [Sample(name, now, Outcome.OK, 10.0 + n % 7, 200, value=0.01) for name in names]
            session.run_many(
                lambda s, fresh=fresh: commands.record_samples(s, fresh, actor=ACTOR, clock=clock)
            )
        return incident_id, len(log.events(incident_id))


def first_frame(
    tmux: Tmux, control: ControlClient, program: Program, timeout: float
) -> tuple[float, float, Resident]:
    """Spawn `program` in a fresh window: (seconds to its marker, CPU seconds, memory).

    The CPU and memory are read as soon as the marker is seen, about a millisecond
    after the output that drew it: whatever the program does after its first frame
    (lastgood collects its heap then) is counted only for that long. Polling with a
    `tmux` process every 5 ms, as before 2026-12-02, counted up to 5-8 ms of it.
    """
    started = time.perf_counter()
    pane, pid = tmux.spawn(program.command)
    try:
        seen = lambda screen: program.marker in screen  # noqa: E731
        elapsed = control.wait_for(pane, seen, started, timeout, f"'{program.marker}'")
        cpu, rss = cpu_seconds(pid), resident_mib(pid)
        tmux.check_size(pane)
    finally:
        tmux.quietly("kill-window", "-t", pane)
        wait_gone(pid)
    return elapsed, cpu, rss


def row(name: str, values: list[float], unit: str, digits: int) -> str:
    return (
        f"{name:<22}{unit:>6}{len(values):>5}{min(values):>10.{digits}f}"
        f"{statistics.median(values):>10.{digits}f}{rank(values, 0.9):>10.{digits}f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=positive, default=7, help="timed runs each (default 7)")
    parser.add_argument("--events", type=positive, default=200, help="events in the incident")
    parser.add_argument(
        "--warmup", type=positive, default=1, help="untimed runs each first, which compile"
    )
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per run")
    parser.add_argument("--quick", action="store_true", help="3 runs each (for CI)")
    parser.add_argument(
        "--probes",
        type=positive,
        help="instead: an incident whose runbook has this many probes, with --ticks ticks",
    )
    parser.add_argument("--ticks", type=positive, default=150, help="with --probes (150)")
    args = parser.parse_args(argv)
    if args.quick:
        args.runs = 3

    if shutil.which("tmux") is None:
        print("bench/startup.py: tmux is not installed (apt-get install tmux)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="lastgood-bench-") as scratch:
        db = Path(scratch) / "bench.db"
        if args.probes:
            incident_id, event_count = build_probed_incident(db, args.probes, args.ticks)
            marker = PROBED_MARKER
        else:
            incident_id, event_count = build_incident(db, args.events)
            marker = LASTGOOD_MARKER
        python = sys.executable
        programs = [
            Program(
                "lastgood start",
                [python, "-m", "tui.cli", "start", "--db", str(db), "--incident", incident_id],
                marker,
            ),
            Program(
                "minimal Textual app",
                [python, str(ROOT / "bench" / "minimal_app.py"), MINIMAL_MARKER],
                MINIMAL_MARKER,
            ),
        ]
        tmux = Tmux(cached_bytecode(child_env(), Path(scratch) / "pycache"))
        control: ControlClient | None = None
        try:
            tmux.start()
            control = ControlClient(tmux, "bench")
            for _ in range(args.warmup):
                for program in programs:
                    first_frame(tmux, control, program, args.timeout)
            for run in range(args.runs):
                for program in programs if run % 2 == 0 else programs[::-1]:
                    elapsed, cpu, rss = first_frame(tmux, control, program, args.timeout)
                    program.times.append(elapsed)
                    program.cpu.append(cpu)
                    program.memory.append(rss)
        except BenchError as error:
            print(f"bench/startup.py: {error}", file=sys.stderr)
            return 1
        finally:
            if control is not None:
                control.close()
            tmux.kill_server()

    lastgood, minimal = programs
    print(
        f"Start-up to first frame, {WIDTH}x{HEIGHT} tmux window, the screen read after each "
        f"output (tmux control mode), {args.warmup} untimed warm-up run(s) each"
    )
    print(
        f"Python {sys.version.split()[0]}, Textual {version('textual')}, {tmux.version()}, "
        f"{os.cpu_count()} CPUs"
    )
    print(f"Events in incident {incident_id}: {event_count}")
    if args.probes:
        print(f"Its runbook has {args.probes} probes; {args.ticks} ticks of their samples")
    print("CPU and RSS are read from /proc the moment the marker is seen on screen")
    print()
    print(f"{'program':<22}{'':>6}{'runs':>5}{'min':>10}{'median':>10}{'p90':>10}")
    for program in programs:
        print(row(program.name, program.times, "wall s", 3))
        print(row("", program.cpu, "cpu s", 3))
        print(row("", program.resident("total"), "MiB", 1))
        print(row("", program.resident("anon"), "  anon", 1))
        print(row("", program.resident("file"), "  file", 1))
    print("(anon: the process's own memory; file: mapped files' pages, shared libraries)")
    print()
    for label, mine, base in (
        ("wall", lastgood.times, minimal.times),
        ("cpu", lastgood.cpu, minimal.cpu),
        ("rss", lastgood.resident("total"), minimal.resident("total")),
    ):
        ratio = statistics.median(mine) / statistics.median(base)
        print(f"ratio {label} (median lastgood / median minimal): {ratio:.2f}")
    total, anon, file = (
        statistics.median(lastgood.resident(kind)) - statistics.median(minimal.resident(kind))
        for kind in ("total", "anon", "file")
    )
    print(
        f"rss over the minimal app: {total:.1f} MiB, {anon:.1f} of it anon, {file:.1f} mapped files"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
