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
load cannot skew.

Two groups, each against its own `python -c pass`: this checkout's virtualenv, and
this tree's wheel installed in a virtualenv of its own, as users have it (see
`installed_wheel`: an editable install's finder makes the first baseline 10 ms
dearer, so its ratios are the kinder ones). Each group also times its libraries'
floors (`LIBRARY_FLOORS`): Python importing what `--help` and `status` cannot do
without, and nothing of lastgood. Prints figures and ratios; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent

Command = tuple[list[str], dict[str, str]]


def lastgood() -> list[str]:
    script = Path(sys.executable).parent / "lastgood"
    return [str(script)] if script.exists() else [sys.executable, "-m", "tui.cli"]


def run_once(command: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one run of `command`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        command,
        env=env,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


class Group(NamedTuple):
    """Commands timed against the `python -c pass` of the same interpreter and site."""

    label: str
    baseline: Command
    commands: dict[str, Command]


class Incidents(NamedTuple):
    """What the commands read and write: `status` reads one, `note` appends to the other
    (so the incident `status` folds does not grow as the rounds go)."""

    read: str
    noted: str


LIBRARY_FLOORS = {
    "floor: import argparse": "import argparse",
    "floor: status's libraries": (  # msgspec loaded as `tui.cli.dispatch` loads it
        "import sys; sys.modules['typing_extensions'] = None; "
        "import datetime, json, msgspec, sqlite3"
    ),
}
"""What the libraries alone cost, before any of lastgood: `--help` parses with argparse,
and `status` decodes its record with msgspec from sqlite3 through json (a plain
`status ID` is read without argparse: `tui.cli.arguments`). A ratio target under a
floor's ratio cannot be met without leaving that library."""


def floors(python: str, env: dict[str, str], label: str) -> dict[str, Command]:
    """`LIBRARY_FLOORS`, run by `python` in `env`."""
    return {f"{name}{label}": ([python, "-c", code], env) for name, code in LIBRARY_FLOORS.items()}


def commands_for(
    script: list[str], env: dict[str, str], incidents: Incidents, label: str
) -> dict[str, Command]:
    """The timed commands, run as `script` in `env`."""
    return {
        f"lastgood --help{label}": ([*script, "--help"], env),
        f"lastgood check --help{label}": ([*script, "check", "--help"], env),
        f"lastgood status ID{label}": ([*script, "status", incidents.read], env),
        f"lastgood note ID TEXT{label}": ([*script, "note", incidents.noted, "deployed"], env),
    }


def tree_commands(
    tree: Path, env: dict[str, str], incidents: Incidents, label: str
) -> dict[str, Command]:
    """The timed commands with `tree` first on the path, in this checkout's virtualenv."""
    return commands_for(lastgood(), {**env, "PYTHONPATH": str(tree)}, incidents, label)


NOT_BUILT = (".git", ".venv", "build", "*.egg-info", "__pycache__", ".*_cache")


def quietly(*command: str | Path) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"cli_startup: {' '.join(map(str, command))} failed:\n{done.stderr}")


def installed_wheel(scratch: Path, env: dict[str, str], incidents: Incidents) -> Group:
    """lastgood as a user has it: its wheel, in a virtualenv of its own.

    A checkout's virtualenv (`pip install -e .`) imports an editable finder, and with
    it `pathlib` and `re`, in every process: its `python -c pass` costs about 17 ms,
    against 7 ms for a virtualenv without one, and ratios against it flatter every
    command. The wheel is built from this tree and installed without its
    dependencies, which it finds through a `.pth` line naming this interpreter's
    site-packages (a path line: the editable finder there is not loaded).
    """
    dist, venv, source = scratch / "dist", scratch / "venv", scratch / "source"
    # Built from a copy: pip builds in the tree, and a build/ left there goes into
    # the next wheel.
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*NOT_BUILT))
    quietly(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", dist, source)
    quietly(sys.executable, "-m", "venv", "--without-pip", venv)
    site_packages = next((venv / "lib").glob("python3*/site-packages"))
    (site_packages / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    wheel = next(dist.glob("lastgood-*.whl"))
    pip = (sys.executable, "-m", "pip", "--python", venv / "bin" / "python")
    quietly(*pip, "install", "-q", "--no-deps", "--no-index", wheel)
    wheel_env = {key: value for key, value in env.items() if key != "PYTHONPATH"}
    python = str(venv / "bin" / "python")
    return Group(
        " (installed wheel)",
        ([python, "-c", "pass"], wheel_env),
        {
            **floors(python, wheel_env, " (wheel)"),
            **commands_for([str(venv / "bin" / "lastgood")], wheel_env, incidents, " (wheel)"),
        },
    )


def quartiles(values: list[float]) -> tuple[float, float]:
    if len(values) < 2:
        return values[0], values[0]
    low, _, high = statistics.quantiles(values, n=4)
    return low, high


def declare(env: dict[str, str]) -> str:
    """A new incident's id, declared in the bench's database."""
    declared = subprocess.run(
        [*lastgood(), "declare", "--title", "t", "--severity", "SEV2", "--commander", "A"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return declared.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--quick", action="store_true", help="5 rounds, to show it still runs")
    parser.add_argument(
        "--also", type=Path, metavar="TREE", help="another checkout to time in the same rounds"
    )
    args = parser.parse_args()
    rounds = 5 if args.quick else args.rounds
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
        env.update(
            LASTGOOD_DB=str(scratch / "bench.db"),
            PYTHONPATH=str(ROOT),
            PYTHONPYCACHEPREFIX=str(scratch / "pycache"),
        )
        incidents = Incidents(declare(env), declare(env))
        checkout = {**floors(sys.executable, env, ""), **tree_commands(ROOT, env, incidents, "")}
        if args.also is not None:
            checkout.update(tree_commands(args.also.resolve(), env, incidents, " (also)"))
        groups = [Group(" (checkout venv)", ([sys.executable, "-c", "pass"], env), checkout)]
        groups.append(installed_wheel(scratch, env, incidents))
        timed = [
            (group, name, command)
            for group in groups
            for name, command in {
                f"python -c pass{group.label}": group.baseline,
                **group.commands,
            }.items()
        ]
        for _, _, (command, command_env) in timed:  # compiles and caches the bytecode
            run_once(command, command_env, scratch)
        walls: dict[str, list[float]] = {name: [] for _, name, _ in timed}
        cpus: dict[str, list[float]] = {name: [] for _, name, _ in timed}
        for _ in range(rounds):
            for _, name, (command, command_env) in timed:
                wall, cpu = run_once(command, command_env, scratch)
                walls[name].append(wall)
                cpus[name].append(cpu)
    print(f"{rounds} rounds, interleaved; medians (wall interquartile range in brackets)")
    if args.also is not None:
        print(f"(also): {args.also}")
    for group in groups:
        base = f"python -c pass{group.label}"
        base_wall, base_cpu = statistics.median(walls[base]), statistics.median(cpus[base])
        print(f"\nratios to {base}")
        print(f"{'command':36} {'wall ms':>8} {'IQR':>13} {'ratio':>6} {'cpu ms':>8} {'ratio':>6}")
        for name in [base, *group.commands]:
            wall, cpu = statistics.median(walls[name]), statistics.median(cpus[name])
            low, high = quartiles(walls[name])
            spread = f"[{low * 1000:.0f}-{high * 1000:.0f}]"
            print(
                f"{name[:36]:36} {wall * 1000:8.1f} {spread:>13} {wall / base_wall:6.2f} "
                f"{cpu * 1000:8.1f} {cpu / base_cpu:6.2f}"
            )


if __name__ == "__main__":
    main()
