"""A record written at schema 6, read as it is and upgraded to 7, against a fresh one.

Version 6's tick summaries keep a failed sample's probe alone, so a reader of such a
file (any read-only opening: `export`, `status`, `verify`) reads each tick from its
row; the first opening that writes upgrades the file to 7, rewriting every summary
in the transaction that raises the version (`store/summary_upgrade.py`), and its
readers read the summaries again. For the record `record_scaling.py` builds (the
`closed` scenario padded to a size, nine events in ten ticks), each figure the best
of fresh processes:

    python bench/summary_upgrade.py                    # 100k events, best of 3
    python bench/summary_upgrade.py --sizes 10000 --runs 1
    python bench/summary_upgrade.py --quick            # 3,000 events, one run (CI)

Prints the Markdown export of the fresh record, of its copy at version 6 read as it
is, and of that copy once upgraded, each with its ratio to the raw read
(`record_scaling.py`'s baseline, taken in turn with it); and the upgrade itself, an
opening for writing of a fresh copy of the version 6 file (`SqliteEventLog.open`,
then closed). The version 6 copy is the fresh file with each summary rewritten to
`legacy_summary_text` of its tick and the version set to 6, which is what a version
6 release writes. Asserts nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from record_scaling import run_paired  # noqa: E402
from scaled_record import build, stored_sizes  # noqa: E402

from incident.core.ticks import legacy_summary_text, read_samples  # noqa: E402
from store.backends import open_event_log  # noqa: E402
from store.derived import add_summary_triggers_v5  # noqa: E402
from tui.demo.scenarios import SCENARIO_ID  # noqa: E402


def as_version_6(db: Path) -> int:
    """`db`'s summaries as a version 6 release writes them, and its version 6; how many
    rows changed."""
    changed = 0
    with contextlib.closing(sqlite3.connect(db, isolation_level=None)) as conn:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("DROP TRIGGER tick_samples_no_update")
        rows = conn.execute(
            "SELECT t.incident_id, t.seq, e.payload, t.readings FROM tick_samples AS t "
            "JOIN events AS e ON e.incident_id = t.incident_id AND e.seq = t.seq"
        ).fetchall()
        for incident_id, seq, payload, readings in rows:
            samples = read_samples(payload)
            legacy = None if samples is None else legacy_summary_text(samples)
            if legacy is not None and legacy != readings:
                conn.execute(
                    "UPDATE tick_samples SET readings = ? WHERE incident_id = ? AND seq = ?",
                    (legacy, incident_id, seq),
                )
                changed += 1
        conn.execute("UPDATE meta SET value = '6' WHERE key = 'schema_version'")
        conn.execute("PRAGMA user_version = 6")
        add_summary_triggers_v5(conn)
        conn.execute("COMMIT")
    return changed


def version(db: Path) -> int:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        (found,) = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(found)


def upgrade_child(location: str) -> dict[str, float]:
    """In a fresh process: the seconds of one opening for writing (the upgrade) and close."""
    began, cpu = time.perf_counter(), time.process_time()
    open_event_log(location).close()
    return {"seconds": time.perf_counter() - began, "cpu_seconds": time.process_time() - cpu}


def timed_upgrade(old: Path, scratch: Path, runs: int) -> tuple[float, float, Path]:
    """The best of `runs` upgrades, each of a fresh copy of `old`; the last copy."""
    best, best_cpu = float("inf"), float("inf")
    copy = scratch / "upgraded.db"
    for _ in range(runs):
        copy.unlink(missing_ok=True)
        shutil.copyfile(old, copy)
        done = json.loads(
            subprocess.run(
                [sys.executable, __file__, "--upgrade-child", str(copy)],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        best, best_cpu = min(best, done["seconds"]), min(best_cpu, done["cpu_seconds"])
    return best, best_cpu, copy


def exported(db: Path) -> str:
    """The Markdown export's text, as `lastgood export` prints it."""
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", "--db", str(db), "export", SCENARIO_ID, "--tz", "UTC"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    ).stdout


def postgres_upgrade(fresh: Path, runs: int) -> None:
    """The record copied into a throwaway cluster (`lastgood migrate`), made version 6's
    as `as_version_6` makes a file, and upgraded by the owner's opening (best of `runs`,
    each of a fresh copy); the Markdown export before and after, as a CLI process."""
    import psycopg

    from tests.postgres_server import running_cluster

    with running_cluster(durable=True) as cluster:
        best, best_cpu = float("inf"), float("inf")
        timings: dict[str, float] = {}
        for attempt in range(runs):
            url = cluster.fresh_database(f"upgrade_{attempt}")
            cli(["migrate", "--from", str(fresh), "--to", url])
            with psycopg.connect(url, autocommit=False) as conn:
                conn.execute("SET session_replication_role = replica")
                rows = conn.execute(
                    "SELECT t.incident_id, t.seq, e.payload FROM tick_samples AS t "
                    "JOIN events AS e ON e.incident_id = t.incident_id AND e.seq = t.seq"
                ).fetchall()
                legacy = []
                for incident_id, seq, payload in rows:
                    samples = read_samples(payload)
                    text = None if samples is None else legacy_summary_text(samples)
                    if text is not None:
                        legacy.append((text, incident_id, seq))
                with conn.cursor() as cursor:
                    cursor.executemany(
                        "UPDATE tick_samples SET readings = %s WHERE incident_id = %s AND seq = %s",
                        legacy,
                    )
                conn.execute("UPDATE meta SET value = '6' WHERE key = 'schema_version'")
            if attempt == 0:
                timings["export at 6"] = timed_cli(["--db", url, "export", SCENARIO_ID])
            done = json.loads(
                subprocess.run(
                    [sys.executable, __file__, "--upgrade-child", url],
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
            )
            best, best_cpu = min(best, done["seconds"]), min(best_cpu, done["cpu_seconds"])
            with psycopg.connect(url) as conn:
                found = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'")
                assert found.fetchone() == ("7",)
            if attempt == 0:
                timings["export upgraded"] = timed_cli(["--db", url, "export", SCENARIO_ID])
        print(f"{'PostgreSQL: upgrade 6 to 7 (owner, close)':<46} {best * 1000:10.1f}")
        print(f"{'  its CPU (client)':<46} {best_cpu * 1000:10.1f}")
        for label, seconds in timings.items():
            print(f"{'PostgreSQL: ' + label + ' (CLI process, wall)':<46} {seconds * 1000:10.1f}")


def cli(args: list[str]) -> str:
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *args],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    ).stdout


def timed_cli(args: list[str]) -> float:
    began = time.perf_counter()
    cli(args)
    return time.perf_counter() - began


def row(label: str, figures: dict[str, float], paired: dict[str, float]) -> None:
    print(
        f"{label:<46} {figures['seconds'] * 1000:10.1f} "
        f"{figures['seconds'] / paired['seconds']:10.2f} "
        f"{figures['cpu_seconds'] / paired['cpu_seconds']:8.2f} {figures['peak_rss_mb']:10.1f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--runs", type=int, default=3, help="fresh processes per figure (best)")
    parser.add_argument("--quick", action="store_true", help="3,000 events, one run (CI)")
    parser.add_argument(
        "--postgres", action="store_true", help="also the upgrade of the record in PostgreSQL"
    )
    parser.add_argument("--upgrade-child", metavar="DB", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.upgrade_child:
        print(json.dumps(upgrade_child(args.upgrade_child)))
        return 0
    if args.quick:
        args.sizes, args.runs = [3000], 1
    print(f"Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}; best of {args.runs}")
    with tempfile.TemporaryDirectory(prefix="lastgood-upgrade-") as scratch_name:
        scratch = Path(scratch_name)
        for size in args.sizes:
            fresh, old = scratch / "fresh.db", scratch / "old.db"
            for path in (fresh, old):
                path.unlink(missing_ok=True)
            count = build(fresh, size, quick=args.quick)
            shutil.copyfile(fresh, old)
            changed = as_version_6(old)
            print(f"{count} events ({stored_sizes(fresh)}); {changed} summaries made version 6's")
            print(f"{'':<46} {'ms':>10} {'× base':>10} {'CPU ×':>8} {'RSS MB':>10}")
            row("export (Markdown), fresh record", *run_paired(fresh, "export-markdown", args.runs))
            row(
                "export (Markdown), version 6 read as it is",
                *run_paired(old, "export-markdown", args.runs),
            )
            seconds, cpu, upgraded = timed_upgrade(old, scratch, args.runs)
            print(f"{'upgrade 6 to 7 (open for writing, close)':<46} {seconds * 1000:10.1f}")
            print(f"{'  its CPU':<46} {cpu * 1000:10.1f}")
            assert version(upgraded) == 7 and version(old) == 6
            row(
                "export (Markdown), upgraded to 7",
                *run_paired(upgraded, "export-markdown", args.runs),
            )
            if args.quick:  # the `declared` scenario: an open incident's report says now
                print("the exports' text not compared (an open incident's report says now)")
            else:
                same = exported(fresh) == exported(upgraded) == exported(old)
                print(f"the three exports' text alike: {same}")
            if args.postgres:
                postgres_upgrade(fresh, args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
