"""What the writers' damage check costs: `PRAGMA quick_check` on every writable opening.

A recording verb, `monitor` and the TUI open the file for writing once each, and that
opening runs SQLite's quick check first (`store.sqlite_file._refuse_damage`), which
reads every page of the file. For records of 1k, 10k and 100k events (the demo's
`declared` scenario padded with probe ticks and notes, `scaled_record.build`), this
prints the file's size and, each the median of the runs:

- *check warm*: the quick check alone, the file's pages in the OS cache (a file just
  written, or read by the command before);
- *check cold*: the same after the file's pages are dropped from the OS cache
  (`posix_fadvise(DONTNEED)`; a file untouched for a while);
- *open*: `SqliteEventLog.open` for writing and close, the check included (warm);
- *open again*: a second writable opening in the same process of the file as it was
  checked (a verb that records then delivers, the screen's record and outbox): not
  checked again.
- *open, no check*: the same with the check skipped, to read what it adds.

    python bench/write_check.py                    # 1k, 10k, 100k; 7 runs
    python bench/write_check.py --sizes 1000 --runs 3

Asserts nothing; bench/README.md says how to read it.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scaled_record import build  # noqa: E402

from store.sqlite_file import _CHECKED  # noqa: E402
from store.sqlite_log import SqliteEventLog  # noqa: E402


def _drop_cache(db: Path) -> None:
    """Ask the kernel to forget the file's cached pages (clean pages; no root needed)."""
    descriptor = os.open(db, os.O_RDONLY)
    try:
        os.posix_fadvise(descriptor, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(descriptor)


def _quick_check(db: Path) -> None:
    connection = sqlite3.connect(db)
    try:
        connection.execute("PRAGMA quick_check(3)").fetchall()
    finally:
        connection.close()


def _open(db: Path) -> None:
    """A writable opening, the first of its process: the file is checked."""
    _CHECKED.clear()
    SqliteEventLog.open(db).close()


def _open_again(db: Path) -> None:
    """A writable opening of a file this process checked as it is: not checked again."""
    SqliteEventLog.open(db).close()


def _open_unchecked(db: Path) -> None:
    with mock.patch("store.sqlite_file._refuse_damage"):
        SqliteEventLog.open(db).close()


def _median_ms(action: Callable[[], None], runs: int, before: Callable[[], None]) -> float:
    times = []
    for _ in range(runs):
        before()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="1,000 events, 2 runs (for CI)")
    args = parser.parse_args()
    if args.quick:
        args.sizes, args.runs = [1000], 2
    print(
        f"{'events':>8} {'file MB':>8} {'check warm':>11} {'check cold':>11} "
        f"{'open':>8} {'open again':>11} {'open, no check':>15} {'ratio':>6}   "
        f"(ms, median of {args.runs}; "
        "ratio: open / open without the check)"
    )
    with tempfile.TemporaryDirectory(prefix="lastgood-write-check-") as scratch:
        for size in args.sizes:
            db = Path(scratch) / f"record-{size}.db"
            events = build(db, size, quick=True)
            _quick_check(db)  # checkpoints the write-ahead log into the file, and warms it

            def nothing() -> None:
                pass

            warm = _median_ms(lambda db=db: _quick_check(db), args.runs, nothing)
            cold = _median_ms(
                lambda db=db: _quick_check(db), args.runs, lambda db=db: _drop_cache(db)
            )
            opened = _median_ms(lambda db=db: _open(db), args.runs, nothing)
            again = _median_ms(lambda db=db: _open_again(db), args.runs, nothing)
            unchecked = _median_ms(lambda db=db: _open_unchecked(db), args.runs, nothing)
            print(
                f"{events:>8} {db.stat().st_size / 1e6:>8.1f} {warm:>11.1f} {cold:>11.1f} "
                f"{opened:>8.1f} {again:>11.1f} {unchecked:>15.1f} {opened / unchecked:>5.2f}x"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
