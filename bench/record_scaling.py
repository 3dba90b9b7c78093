"""How the exports and replay grow with the record, against reading it raw, and their memory.

For incidents of 1k, 10k and 100k events (the `closed` scenario padded with probe
ticks and notes, nine in ten events probe ticks, written through the real store),
each operation runs in a fresh process, so its peak RSS is its own:

    python bench/record_scaling.py              # 1k, 10k, 100k; best of 3
    python bench/record_scaling.py --quick      # 300 and 3,000 events, one run (CI)
    python bench/record_scaling.py --sizes 1000 10000 --runs 1

Every figure is printed with its ratio to the baseline measured in the same run at
the same size, its runs taken in turn with the operation's: a raw sqlite3 read of the
incident's rows plus `json.loads` of each payload; for the exports, `verify`, `status`
and `note` also the ratio of their CPU time to the baseline's (each the least of the
runs), steadier when others share the machine.
Asserts nothing; bench/README.md says how to read it.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import math
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scaled_record import build, offset_text, span, stored_sizes  # noqa: E402

from store.sqlite_log import SqliteEventLog  # noqa: E402
from tui.demo.scenarios import ACTOR, SCENARIO_ID  # noqa: E402

OPERATIONS = (
    "baseline",
    "export-markdown",
    "export-json",
    "replay-at",
    "replay-seek",
    "verify",
    "status",
    "replay-open-list",
    "list",
    "export-ics",
    "note",
)
"""`baseline` first: the others are divided by it; `note` last, as it adds an event
to the record (one a run). See bench/README.md for each."""

SEEK_FRACTIONS = (0.25, 0.75, 0.10, 1.0, 0.5, 0.999, 0.0, 0.6, 0.33)
"""Where the replay seeks, as fractions of the record's span, in this order."""
REPLAY_AT_FRACTIONS = (0.0, 0.5, 0.99)
"""Where `replay --at ... --json` looks."""


# --- in the child process: one operation -------------------------------------------


def _quiet(run: Callable[[], object]) -> tuple[float, float]:
    """Seconds `run` takes with its stdout thrown away (the CLI prints what it exports),
    on the clock and in this process's CPU time (steadier on a machine others share)."""
    with open(os.devnull, "w", encoding="utf-8") as sink, contextlib.redirect_stdout(sink):
        started, cpu = time.perf_counter(), time.process_time()
        run()
        return time.perf_counter() - started, time.process_time() - cpu


def baseline(db: Path) -> None:
    """What reading the record costs at least: the rows, and each payload parsed."""
    connection = sqlite3.connect(f"{db.absolute().as_uri()}?mode=ro", uri=True)
    rows = connection.execute(
        "SELECT incident_id, seq, at, mono_ns, actor, kind, payload, prev_hash, hash "
        "FROM events WHERE incident_id = ? ORDER BY seq",
        (SCENARIO_ID,),
    )
    for row in rows:
        json.loads(row[6])
    connection.close()


def measure(db: Path, operation: str) -> dict[str, object]:
    """One operation's seconds (several for replay), and the process's peak RSS."""
    from incident.core.replay import ReplaySession
    from tui.cli import comms_verbs, launch, reading, record_verbs, recording  # noqa: F401
    from tui.cli.arguments import Arguments
    from tui.cli.main import main
    from tui.cli.reading import replay_events, replay_recording

    # The handlers' modules are imported above, untimed, as the CLI imports them all
    # on every command (asyncio among them, some 30 ms): a cost of starting, not of size.
    cli = ["--db", str(db)]
    started_at, first_at, last_at = span(db)
    result: dict[str, object] = {}
    if operation == "baseline":
        result["seconds"], result["cpu_seconds"] = _quiet(lambda: baseline(db))
    elif operation == "export-markdown":
        result["seconds"], result["cpu_seconds"] = _quiet(
            lambda: main([*cli, "export", SCENARIO_ID, "--tz", "UTC"])
        )
    elif operation == "export-json":
        result["seconds"], result["cpu_seconds"] = _quiet(
            lambda: main([*cli, "export", SCENARIO_ID, "--format", "json"])
        )
    elif operation == "verify":
        result["seconds"], result["cpu_seconds"] = _quiet(
            lambda: main([*cli, "verify", SCENARIO_ID])
        )
    elif operation == "status":
        result["seconds"], result["cpu_seconds"] = _quiet(
            lambda: main([*cli, "status", SCENARIO_ID, "--json"])
        )
    elif operation == "list":  # each incident read as the TUI's picker reads it too
        result["seconds"], result["cpu_seconds"] = _quiet(lambda: main([*cli, "list", "--json"]))
    elif operation == "export-ics":
        result["seconds"], result["cpu_seconds"] = _quiet(
            lambda: main([*cli, "export", SCENARIO_ID, "--format", "ics"])
        )
    elif operation == "note":
        result["seconds"], result["cpu_seconds"] = _quiet(
            lambda: main([*cli, "note", SCENARIO_ID, "from the bench", "--as", ACTOR])
        )
    elif operation == "replay-at":
        times = []
        for fraction in REPLAY_AT_FRACTIONS:
            at = offset_text((first_at - started_at) + (last_at - first_at) * fraction)
            replay = [*cli, "replay", SCENARIO_ID, "--at", at, "--json"]
            times.append(_quiet(lambda replay=replay: main(replay))[0])
        result["seconds"] = max(times)
    elif operation == "replay-seek":
        with SqliteEventLog.open(db, read_only=True, snapshot=True) as log:
            began = time.perf_counter()
            kept, report = replay_recording(log, SCENARIO_ID)  # as `lastgood replay` opens it
            session = ReplaySession(kept, None if report.ok else report)
            result["open_seconds"] = time.perf_counter() - began
            seeks = []
            for fraction in SEEK_FRACTIONS:
                session.clock.jump(first_at + (last_at - first_at) * fraction)
                began = time.perf_counter()
                session.refresh()
                seeks.append(time.perf_counter() - began)
        result["seconds"] = max(seeks)
        result["seeks"] = seeks
    elif operation == "replay-open-list":
        args = Arguments(db=str(db), id=SCENARIO_ID)
        began = time.perf_counter()
        events, report = replay_events(args)
        session = ReplaySession(events, None if report.ok else report)
        result["seconds"] = time.perf_counter() - began
        seeks = []
        for fraction in SEEK_FRACTIONS:
            session.clock.jump(first_at + (last_at - first_at) * fraction)
            began = time.perf_counter()
            session.refresh()
            seeks.append(time.perf_counter() - began)
        result["seek_seconds"] = max(seeks)
    else:
        raise SystemExit(f"unknown operation {operation!r}")
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


# --- in the parent: build, run each child, print -----------------------------------


Figures = dict[str, float]
"""One child's figures in the parent: seconds, CPU seconds, peak RSS and the like."""


def run_once(db: Path, operation: str) -> Figures:
    """One fresh process's figures for `operation` (its lists of times left out)."""
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(db), operation],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{operation} failed on {db.name}:\n{done.stderr}")
    given: dict[str, object] = json.loads(done.stdout)
    return {key: float(value) for key, value in given.items() if isinstance(value, int | float)}


def best_of(runs: list[Figures]) -> Figures:
    """The run with the least seconds (the least disturbed by other work on the machine),
    with the least CPU time of all the runs, as the time is."""
    best = dict(min(runs, key=lambda figures: figures["seconds"]))
    best["cpu_seconds"] = min(figures.get("cpu_seconds", math.inf) for figures in runs)
    return best


def run_child(db: Path, operation: str, runs: int) -> Figures:
    """The best of `runs` fresh processes."""
    return best_of([run_once(db, operation) for _ in range(runs)])


def run_paired(db: Path, operation: str, runs: int) -> tuple[Figures, Figures]:
    """The best of `runs` processes of `operation` and of as many of the baseline, taken
    in turns (the order mirrored each round), so a ratio is of figures measured in the
    same minutes: the load of a shared machine drifts over a run of the bench, and a
    baseline measured once, minutes before, carried that drift into every ratio."""
    mine: list[Figures] = []
    baselines: list[Figures] = []
    for round_ in range(runs):
        turns = [(baselines, "baseline"), (mine, operation)]
        for into, name in turns if round_ % 2 == 0 else reversed(turns):
            into.append(run_once(db, name))
    return best_of(mine), best_of(baselines)


Growth = dict[str, dict[int, float]]
"""Operation label -> events -> seconds, for the figures that grow with the record."""


def report_size(db: Path, count: int, runs: int, growth: Growth, *, quick: bool) -> None:
    def row(
        label: str,
        seconds: float,
        figures: Figures,
        paired: Figures,
        per_event: bool = True,
        cpu: float = math.inf,
    ) -> None:
        """One line: `seconds` of `figures`' run, as a ratio to the `paired` baseline's."""
        if per_event:
            growth.setdefault(label, {})[count] = seconds
        us = f"{seconds / count * 1e6:9.2f}" if per_event else f"{'':>9}"
        by_cpu = f"{cpu / paired['cpu_seconds']:8.2f}" if math.isfinite(cpu) else f"{'':>8}"
        print(
            f"{count:>8} {label:<32} {seconds * 1000:10.1f} {us} "
            f"{seconds / paired['seconds']:10.2f} {by_cpu} {figures['peak_rss_mb']:10.1f}"
        )

    base = run_child(db, "baseline", runs)
    row("baseline (sqlite3 + json.loads)", base["seconds"], base, base, cpu=base["cpu_seconds"])
    for operation in OPERATIONS[1:]:
        if operation == "export-ics" and quick:
            continue  # the `declared` scenario has no post-mortem to book
        figures, paired = run_paired(db, operation, runs)
        seconds, cpu = figures["seconds"], figures["cpu_seconds"]
        if operation == "replay-at":
            label = f"replay --at --json (worst of {len(REPLAY_AT_FRACTIONS)})"
            row(label, seconds, figures, paired)
        elif operation == "replay-seek":
            row("lastgood replay: open (Recording)", figures["open_seconds"], figures, paired)
            label = f"replay: seek (worst of {len(SEEK_FRACTIONS)})"
            row(label, seconds, figures, paired, per_event=False)
        elif operation == "replay-open-list":
            row("replay from a list (as before)", seconds, figures, paired)
            row("  its seek (worst)", figures["seek_seconds"], figures, paired, per_event=False)
        else:
            row(LABELS.get(operation, operation), seconds, figures, paired, cpu=cpu)


def report_growth(growth: Growth) -> None:
    """What each added event costs between two sizes: flat from size to size is linear."""
    sizes = sorted({count for by_size in growth.values() for count in by_size})
    if len(sizes) < 2:
        return
    steps = list(itertools.pairwise(sizes))
    print("\nµs per added event between sizes (× the baseline's, same step):")
    print(f"{'operation':<34}" + "".join(f"{f'{a}→{b}':>24}" for a, b in steps))
    base = growth["baseline (sqlite3 + json.loads)"]
    for label, by_size in growth.items():
        cells = []
        for a, b in steps:
            added = (by_size[b] - by_size[a]) / (b - a) * 1e6
            base_added = (base[b] - base[a]) / (b - a) * 1e6
            cells.append(f"{added:12.2f} (×{added / base_added:5.2f})")
        print(f"{label:<34}" + "".join(f"{cell:>24}" for cell in cells))


LABELS = {
    "status": "status --json (opens the session)",
    "note": "note (opens it to write, records)",
    "list": "list --json (as the picker reads)",
    "export-ics": "export --format ics (booked last)",
}
"""The rows whose operation's name alone would not say what it times."""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--runs", type=int, default=3, help="fresh processes per figure (best)")
    parser.add_argument("--quick", action="store_true", help="300 and 3,000 events, one run")
    parser.add_argument("--child", nargs=2, metavar=("DB", "OPERATION"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(Path(args.child[0]), args.child[1])))
        return 0
    sizes, runs = ([300, 3000], 1) if args.quick else (args.sizes, args.runs)
    print(
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, SQLite {sqlite3.sqlite_version}; "
        f"each figure a fresh process, best of {runs}"
    )
    print(f"each ratio is to the best of {runs} baseline runs taken in turn with the operation's")
    print(
        f"{'events':>8} {'operation':<32} {'ms':>10} {'µs/event':>9} "
        f"{'× baseline':>10} {'CPU ×':>8} {'peak RSS MB':>10}"
    )
    growth: Growth = {}
    with tempfile.TemporaryDirectory(prefix="lastgood-scaling-") as scratch:
        for size in sizes:
            db = Path(scratch) / f"incident-{size}.db"
            began = time.perf_counter()
            count = build(db, size, quick=args.quick)
            print(f"{count:>8} (built in {time.perf_counter() - began:.1f} s; {stored_sizes(db)})")
            report_size(db, count, runs, growth, quick=args.quick)
    report_growth(growth)
    return 0


if __name__ == "__main__":
    sys.exit(main())
