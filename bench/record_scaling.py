"""How export and replay-seek grow with the size of the record, and their peak memory.

For incidents of 1k, 10k and 100k events (probe ticks, notes and the rollback's
steps, written through the real store), each measurement runs in a fresh process
so its peak RSS is its own:

    python bench/record_scaling.py              # 1k, 10k, 100k
    python bench/record_scaling.py --sizes 1000 10000

Prints seconds per operation, microseconds per event, and peak RSS; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from incident import commands  # noqa: E402
from incident.core.events import NewEvent  # noqa: E402
from incident.core.payloads import ProbeSamples  # noqa: E402
from incident.core.samples import Outcome, Sample  # noqa: E402
from store.sqlite_log import SqliteEventLog  # noqa: E402
from tui.demo.scenarios import ACTOR, SCENARIO_ID, closed  # noqa: E402

OPERATIONS = ("read", "read-verified", "fold", "export-markdown", "export-json", "replay-seek")
"""`read-verified` is what a session does at open: read, decode and verify the chain."""


def build(db: Path, size: int) -> int:
    """The `closed` scenario, padded with probe ticks and notes up to `size` events."""
    scenario = closed(db)
    log, clock = scenario.log, scenario.clock
    have = log.last_seq(SCENARIO_ID)
    batch: list[NewEvent] = []
    n = 0
    while have + len(batch) < size:
        clock.advance(5)
        now = clock.now()
        if n % 10 == 9:
            batch.append(
                commands.add_note(scenario_state(log), f"observation {n}", actor=ACTOR, clock=clock)
            )
        else:
            samples = (
                Sample("health", now, Outcome.OK, 12.0, 200, text="ok"),
                Sample("version", now, Outcome.OK, 6.0, 200, text="2.4.0"),
                Sample("error-rate", now, Outcome.OK, 30.0, 200, value=0.004),
            )
            batch.append(
                NewEvent(SCENARIO_ID, "probes", now, clock.monotonic_ns(), ProbeSamples(samples))
            )
        n += 1
        if len(batch) >= 1000:
            log.append(batch)
            have += len(batch)
            batch = []
    if batch:
        log.append(batch)
    count = log.last_seq(SCENARIO_ID)
    log.close()
    return count


_STATE_CACHE: dict[str, object] = {}


def scenario_state(log: SqliteEventLog):  # type: ignore[no-untyped-def]
    """Notes need a state only for its id and closed flag; fold once and reuse."""
    from incident.core.state import fold

    if "state" not in _STATE_CACHE:
        _STATE_CACHE["state"] = fold(log.events(SCENARIO_ID))
    return _STATE_CACHE["state"]


def measure(db: Path, operation: str) -> dict[str, float]:
    """Run in a child process: one operation, its time and the process's peak RSS."""
    from incident.core.replay import Replayer
    from incident.core.state import fold
    from incident.reports.report import json_export, markdown_report

    started = time.perf_counter()
    with SqliteEventLog.open(db, read_only=True, snapshot=True) as log:
        events = log.events(SCENARIO_ID)
    read_s = time.perf_counter() - started
    result = {"events": float(len(events)), "read_s": read_s}
    begin = time.perf_counter()
    if operation == "fold":
        fold(events)
    elif operation == "export-markdown":
        markdown_report(fold(events), events, events[-1].at)
    elif operation == "export-json":
        json_export(fold(events), events, events[-1].at)
    elif operation == "read-verified":
        with SqliteEventLog.open(db, read_only=True, snapshot=True) as log:
            log.read_chain(SCENARIO_ID)
    elif operation == "replay-seek":
        replayer = Replayer(events)
        span = events[-1].at - events[0].at
        for fraction in (0.25, 0.75, 0.10, 1.0, 0.5):
            replayer.seek(events[0].at + timedelta(seconds=span.total_seconds() * fraction))
    result["op_s"] = time.perf_counter() - begin if operation != "read" else read_s
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def child(db: str, operation: str) -> None:
    print(json.dumps(measure(Path(db), operation)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--child", nargs=2, metavar=("DB", "OPERATION"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return 0
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; each cell a fresh process")
    print(f"{'events':>8} {'operation':<16} {'seconds':>9} {'µs/event':>9} {'peak RSS MB':>12}")
    with tempfile.TemporaryDirectory(prefix="lastgood-scaling-") as scratch:
        for size in args.sizes:
            db = Path(scratch) / f"incident-{size}.db"
            built = time.perf_counter()
            count = build(db, size)
            _STATE_CACHE.clear()
            print(f"{count:>8} {'(build)':<16} {time.perf_counter() - built:>9.2f}")
            for operation in OPERATIONS:
                out = subprocess.run(
                    [sys.executable, __file__, "--child", str(db), operation],
                    env=env,
                    capture_output=True,
                    text=True,
                    check=True,
                )
                figures = json.loads(out.stdout)
                per_event = figures["op_s"] / figures["events"] * 1e6
                print(
                    f"{int(figures['events']):>8} {operation:<16} {figures['op_s']:>9.3f} "
                    f"{per_event:>9.1f} {figures['peak_rss_mb']:>12.1f}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
