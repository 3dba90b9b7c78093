"""What the command line costs to start, as ratios to `python -c pass` run alongside it.

Scripts and pipelines call `lastgood` many times (`status`, `check`, `--help`); each
call should cost about what starting Python costs. Every command runs in a fresh
process, the commands interleaved round by round so a busy machine weighs on all of
them alike; the figure is the median wall time and the median CPU time (user +
system, from the kernel's accounting of the child) over the rounds, with the
interquartile range of the wall time beside it.

The bytecode is compiled once, in an untimed first round, into a cache in the
scratch directory ($PYTHONPYCACHEPREFIX), whatever $PYTHONDONTWRITEBYTECODE says:
an installed lastgood has its bytecode (pip compiles it), and without it each run
would time compiling a hundred modules instead of starting.

    python bench/cli_startup.py                     # 30 rounds
    python bench/cli_startup.py --quick             # 5 rounds, for CI
    python bench/cli_startup.py --also OTHER_TREE   # and another checkout, same rounds

`--also` times a second source tree (say `git worktree add /tmp/before HEAD~3`) in
the same rounds, against the same database, for a before/after that the machine's
load cannot skew. Prints figures and ratios; asserts nothing.
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

Command = tuple[list[str], dict[str, str]]


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


def commands_for(
    tree: Path, env: dict[str, str], incident_id: str, label: str
) -> dict[str, Command]:
    tree_env = {**env, "PYTHONPATH": str(tree)}
    return {
        f"lastgood --help{label}": ([*lastgood(), "--help"], tree_env),
        f"lastgood check --help{label}": ([*lastgood(), "check", "--help"], tree_env),
        f"lastgood status ID{label}": ([*lastgood(), "status", incident_id], tree_env),
    }


def quartiles(values: list[float]) -> tuple[float, float]:
    if len(values) < 2:
        return values[0], values[0]
    low, _, high = statistics.quantiles(values, n=4)
    return low, high


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--quick", action="store_true", help="5 rounds, to show it still runs")
    parser.add_argument(
        "--also", type=Path, metavar="TREE", help="another checkout to time in the same rounds"
    )
    args = parser.parse_args()
    rounds = 5 if args.quick else args.rounds
    with tempfile.TemporaryDirectory() as scratch:
        env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
        env.update(
            LASTGOOD_DB=str(Path(scratch) / "bench.db"),
            PYTHONPATH=str(ROOT),
            PYTHONPYCACHEPREFIX=str(Path(scratch) / "pycache"),
        )
        declared = subprocess.run(
            [*lastgood(), "declare", "--title", "t", "--severity", "SEV2", "--commander", "A"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        incident_id = declared.stdout.strip()
        commands: dict[str, Command] = {
            "python -c pass": ([sys.executable, "-c", "pass"], env),
            **commands_for(ROOT, env, incident_id, ""),
        }
        if args.also is not None:
            commands.update(commands_for(args.also.resolve(), env, incident_id, " (also)"))
        for command, command_env in commands.values():  # compiles and caches the bytecode
            run_once(command, command_env)
        walls: dict[str, list[float]] = {name: [] for name in commands}
        cpus: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(rounds):
            for name, (command, command_env) in commands.items():
                wall, cpu = run_once(command, command_env)
                walls[name].append(wall)
                cpus[name].append(cpu)
    base_wall = statistics.median(walls["python -c pass"])
    base_cpu = statistics.median(cpus["python -c pass"])
    print(f"{rounds} rounds, interleaved; medians (wall interquartile range in brackets)")
    if args.also is not None:
        print(f"(also): {args.also}")
    print(f"{'command':31} {'wall ms':>8} {'IQR':>13} {'ratio':>6} {'cpu ms':>8} {'ratio':>6}")
    for name in commands:
        wall, cpu = statistics.median(walls[name]), statistics.median(cpus[name])
        low, high = quartiles(walls[name])
        spread = f"[{low * 1000:.0f}-{high * 1000:.0f}]"
        print(
            f"{name:31} {wall * 1000:8.1f} {spread:>13} {wall / base_wall:6.2f} "
            f"{cpu * 1000:8.1f} {cpu / base_cpu:6.2f}"
        )


if __name__ == "__main__":
    main()
