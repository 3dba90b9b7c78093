"""What the command line costs to start, as ratios to `python -c pass` run alongside it.

Scripts and pipelines call `lastgood` many times (`status`, `check`, `--help`); each
call should cost about what starting Python costs. Every command runs in a fresh
process, the commands interleaved round by round so a busy machine weighs on all of
them alike; the figure is the median wall time and the median CPU time (user +
system, from the kernel's accounting of the child) over the rounds.

    python bench/cli_startup.py            # 30 rounds
    python bench/cli_startup.py --quick    # 5 rounds, for CI

Prints figures and ratios; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def lastgood() -> list[str]:
    script = Path(sys.executable).parent / "lastgood"
    return [str(script)] if script.exists() else [sys.executable, "-m", "tui.cli"]


def run_once(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one run of `command`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--quick", action="store_true", help="5 rounds, to show it still runs")
    args = parser.parse_args()
    rounds = 5 if args.quick else args.rounds
    with tempfile.TemporaryDirectory() as scratch:
        env = {
            **os.environ,
            "LASTGOOD_DB": str(Path(scratch) / "bench.db"),
            "PYTHONPATH": str(ROOT),
        }
        declared = subprocess.run(
            [*lastgood(), "declare", "--title", "t", "--severity", "SEV2", "--commander", "A"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        incident_id = declared.stdout.strip()
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "lastgood --help": [*lastgood(), "--help"],
            "lastgood check --help": [*lastgood(), "check", "--help"],
            "lastgood status ID": [*lastgood(), "status", incident_id],
        }
        walls: dict[str, list[float]] = {name: [] for name in commands}
        cpus: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(rounds):
            for name, command in commands.items():
                wall, cpu = run_once(command, env)
                walls[name].append(wall)
                cpus[name].append(cpu)
    base_wall = statistics.median(walls["python -c pass"])
    base_cpu = statistics.median(cpus["python -c pass"])
    print(f"{rounds} rounds, interleaved; medians")
    print(f"{'command':24} {'wall ms':>8} {'ratio':>6} {'cpu ms':>8} {'ratio':>6}")
    for name in commands:
        wall, cpu = statistics.median(walls[name]), statistics.median(cpus[name])
        print(
            f"{name:24} {wall * 1000:8.1f} {wall / base_wall:6.2f} "
            f"{cpu * 1000:8.1f} {cpu / base_cpu:6.2f}"
        )


if __name__ == "__main__":
    main()
