"""Writers appending at once: refusals and waits, SQLite's busy handler against ours.

Each of N processes opens the log and appends M events in a tight loop, so the
file is never idle. Two ways of waiting for the write lock, measured in the same
run on fresh files:

- `busy-handler`: plain `BEGIN IMMEDIATE` under `busy_timeout=5000`, as the
  previous release did (SQLite's handler sleeps in steps growing to 100 ms);
- `polling`: `store.connection.begin_immediate` (tries every 0.5-2 ms, up to
  `WRITE_WAIT_S`).

    python bench/write_contention.py                       # 8 writers x 3000
    python bench/write_contention.py --writers 4 --appends 5000

Prints refusals ("database is locked"), the per-append wait (p50, p99, max),
wall time and appends per second, and the ratios of polling to the busy handler.
Asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODES = ("busy-handler", "polling")

WRITER = """
import json, os, sqlite3, sys, time
from datetime import UTC, datetime
import store.sqlite_file
from incident.core.events import NewEvent
from incident.core.payloads import NoteAdded
from store import SqliteEventLog, StoreError

db, name, count, go, mode = sys.argv[1:6]
if mode == "busy-handler":
    def plain(connection: sqlite3.Connection) -> None:
        connection.execute("BEGIN IMMEDIATE")  # busy_timeout=5000 from connect()
    store.sqlite_file.begin_immediate = plain
waits, refused = [], 0
with SqliteEventLog.open(db) as log:
    print("ready", flush=True)
    while not os.path.exists(go):
        pass
    for n in range(int(count)):
        started = time.perf_counter()
        try:
            log.append([NewEvent("inc-1", name, datetime.now(UTC), n, NoteAdded(str(n), name))])
        except StoreError:
            refused += 1
        waits.append(time.perf_counter() - started)
print(json.dumps({"waits": waits, "refused": refused}))
"""


def run(mode: str, writers: int, appends: int, scratch: Path) -> dict[str, float]:
    sys.path.insert(0, str(ROOT))
    from store import SqliteEventLog

    db, go = scratch / f"{mode}.db", scratch / f"{mode}.go"
    SqliteEventLog.open(db).close()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db), f"w{i}", str(appends), str(go), mode],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for i in range(writers)
    ]
    for process in processes:
        assert process.stdout is not None
        process.stdout.readline()
    started = time.perf_counter()
    go.touch()
    waits: list[float] = []
    refused = 0
    for process in processes:
        out, _ = process.communicate()
        result = json.loads(out)
        waits += result["waits"]
        refused += result["refused"]
    wall = time.perf_counter() - started
    waits.sort()
    with SqliteEventLog.open(db, read_only=True) as log:
        ok = log.verify("inc-1").ok
    return {
        "refused": refused,
        "p50_ms": waits[len(waits) // 2] * 1000,
        "p99_ms": waits[int(len(waits) * 0.99)] * 1000,
        "max_ms": waits[-1] * 1000,
        "wall_s": wall,
        "per_s": (writers * appends - refused) / wall,
        "chain_ok": float(ok),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--appends", type=int, default=3000)
    parser.add_argument(
        "--quick", action="store_true", help="a few seconds, to show it still runs (CI)"
    )
    args = parser.parse_args()
    if args.quick:
        args.writers, args.appends = 2, 50
    total = args.writers * args.appends
    print(f"{args.writers} writers x {args.appends} appends, {os.cpu_count()} CPUs")
    print(
        f"{'mode':<13} {'refused':>8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>9} "
        f"{'wall s':>7} {'appends/s':>10} {'chain':>6}"
    )
    figures = {}
    with tempfile.TemporaryDirectory(prefix="lastgood-contention-") as scratch:
        for mode in MODES:
            f = figures[mode] = run(mode, args.writers, args.appends, Path(scratch))
            print(
                f"{mode:<13} {int(f['refused']):>8} {f['p50_ms']:>8.2f} {f['p99_ms']:>8.1f} "
                f"{f['max_ms']:>9.1f} {f['wall_s']:>7.1f} {f['per_s']:>10.0f} "
                f"{'ok' if f['chain_ok'] else 'BROKEN':>6}"
            )
    base, ours = figures["busy-handler"], figures["polling"]
    print(
        f"refused: {int(base['refused'])}/{total} -> {int(ours['refused'])}/{total}; "
        f"max wait x{ours['max_ms'] / base['max_ms']:.2f}; "
        f"throughput x{ours['per_s'] / base['per_s']:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
