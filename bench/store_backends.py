"""The two record backends under 1, 4 and 16 writers: appends per second, follow latency.

For each backend, N writer processes append one event per transaction in a tight
loop (one incident, so every append waits for the incident's turn), while one
follower process reads each event as soon as it learns of it:

- SQLite: `SqliteEventLog` on a fresh file (WAL, `synchronous=FULL`); the follower
  polls every `POLL_S` (the TUI's `attach` polls once a second).
- PostgreSQL: `PostgresEventLog` on a throwaway cluster started here with fsync on
  and `synchronous_commit = on` (tests/postgres_server.py, as `nobody` under root);
  the follower blocks on `PostgresListener` (LISTEN/NOTIFY).

Each is set beside a baseline measured in the same run with the same durability
and the same follower mechanism: raw sqlite3 (`BEGIN IMMEDIATE`, one INSERT of a row
of the same size, `synchronous=FULL`) and raw psycopg (one INSERT and a pg_notify
per transaction, `synchronous_commit = on`). The ratio is lastgood / raw.

Follow latency is from the writer starting its append to the follower holding the
event decoded (the writer puts `time.time()` in the note; same machine, same clock).

    python bench/store_backends.py            # 1, 4, 16 writers x 200 appends each
    python bench/store_backends.py --quick    # 1, 4, 16 writers x 25 (.ci/run)

Prints figures and ratios; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.postgres_server import running_cluster  # noqa: E402

POLL_S = 0.01
WORKER = """
import json, os, sqlite3, sys, time
from datetime import UTC, datetime

kind, location, role, count, go, poll = sys.argv[1:7]
count, poll = int(count), float(poll)
VALUES = ", ".join(["%s"] * 9)
COLUMNS = "incident_id, seq, at, mono_ns, actor, kind, payload, prev_hash, hash"

def wait_for_go():
    print("ready", flush=True)
    while not os.path.exists(go):
        time.sleep(0.001)

if kind.startswith("lastgood"):
    from incident.core.events import NewEvent
    from incident.core.payloads import NoteAdded
    from store.backends import open_event_log
    if role == "write":
        with open_event_log(location) as log:
            wait_for_go()
            started = time.time()
            for n in range(count):
                note = NoteAdded(repr(time.time()), "bench")
                log.append([NewEvent("inc-1", "bench", datetime.now(UTC), n, note)])
            print(json.dumps([started, time.time()]))
    else:
        with open_event_log(location, read_only=True) as log:
            listener = None
            if kind == "lastgood-postgres":
                from store.postgres_listen import PostgresListener
                listener = PostgresListener.open(location, "inc-1")
            wait_for_go()
            last, lags = 0, []
            while last < count:
                if listener is not None:
                    listener.wait(60)
                else:
                    time.sleep(poll)
                for event in log.events("inc-1", after_seq=last):
                    lags.append(time.time() - float(event.data.text))
                    last = event.seq
            print(json.dumps(lags))
elif kind == "raw-sqlite":
    db = sqlite3.connect(location, isolation_level=None, timeout=60)
    db.execute("PRAGMA journal_mode=WAL"); db.execute("PRAGMA synchronous=FULL")
    row = ("inc-1", 0, "2026-01-01T00:00:00.000Z", 0, "bench", "note.added", "", "0" * 64, "0" * 64)
    if role == "write":
        wait_for_go()
        started = time.time()
        for n in range(count):
            db.execute("BEGIN IMMEDIATE")
            db.execute(f"INSERT INTO events ({COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?)",
                       row[:6] + (json.dumps({"text": repr(time.time())}),) + row[7:])
            db.execute("COMMIT")
        print(json.dumps([started, time.time()]))
    else:
        wait_for_go()
        last, lags = 0, []
        while len(lags) < count:
            time.sleep(poll)
            for rowid, payload in db.execute(
                "SELECT rowid, payload FROM events WHERE rowid > ? ORDER BY rowid", (last,)
            ).fetchall():
                lags.append(time.time() - float(json.loads(payload)["text"]))
                last = rowid
        print(json.dumps(lags))
else:
    import psycopg
    db = psycopg.connect(location, autocommit=True)
    db.execute("SET synchronous_commit = on")
    row = ("inc-1", 0, "2026-01-01T00:00:00.000Z", 0, "bench", "note.added", "", "0" * 64, "0" * 64)
    if role == "write":
        wait_for_go()
        started = time.time()
        for n in range(count):
            with db.transaction():
                db.execute(f"INSERT INTO events ({COLUMNS}) VALUES ({VALUES})",
                           row[:6] + (json.dumps({"text": repr(time.time())}),) + row[7:])
                db.execute("SELECT pg_notify('bench', 'inc-1')")
        print(json.dumps([started, time.time()]))
    else:
        db.execute("LISTEN bench")
        wait_for_go()
        # ids are drawn before commit, so a lower one may commit after a higher one:
        # read above the highest id below which every row has been seen.
        low, seen, lags = 0, set(), []
        while len(lags) < count:
            for _ in db.notifies(timeout=60, stop_after=1):
                pass
            for rowid, payload in db.execute(
                "SELECT id, payload FROM events WHERE id > %s ORDER BY id", (low,)
            ).fetchall():
                if rowid not in seen:
                    seen.add(rowid)
                    lags.append(time.time() - float(json.loads(payload)["text"]))
            while low + 1 in seen:
                low += 1
        print(json.dumps(lags))
"""

RAW_TABLE = (
    "CREATE TABLE events (id {key}, incident_id TEXT, seq BIGINT, at TEXT, mono_ns BIGINT, "
    "actor TEXT, kind TEXT, payload TEXT, prev_hash TEXT, hash TEXT)"
)


def _start(kind: str, location: str, role: str, count: int, go: Path) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", WORKER, kind, location, role, str(count), str(go), str(POLL_S)],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if line != "ready\n":
        raise SystemExit(
            f"{kind} {role} did not start: {process.stderr.read() if process.stderr else ''}"
        )
    return process


def run(
    kind: str, location: str, writers: int, each: int, scratch: Path
) -> tuple[float, list[float]]:
    """(appends per second, follow lags in seconds) of one round."""
    go = scratch / f"go-{kind}-{writers}"
    follower = _start(kind, location, "follow", writers * each, go)
    started = [_start(kind, location, "write", each, go) for _ in range(writers)]
    go.touch()
    spans = []
    for writer in started:
        out, errors = writer.communicate(timeout=600)
        if writer.returncode != 0:
            raise SystemExit(f"{kind} writer failed: {errors}")
        spans.append(json.loads(out))
    out, errors = follower.communicate(timeout=600)
    if follower.returncode != 0:
        raise SystemExit(f"{kind} follower failed: {errors}")
    elapsed = max(end for _, end in spans) - min(start for start, _ in spans)
    return writers * each / elapsed, json.loads(out)


def _fresh_sqlite(scratch: Path, name: str, raw: bool) -> str:
    path = scratch / f"{name}.db"
    if raw:
        import sqlite3

        with sqlite3.connect(path) as db:
            db.execute(RAW_TABLE.format(key="INTEGER PRIMARY KEY"))
    else:
        from store import SqliteEventLog

        SqliteEventLog.open(path).close()
    return str(path)


def _p(lags: list[float], q: float) -> float:
    ordered = sorted(lags)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="25 appends per writer")
    parser.add_argument("--appends", type=int, default=200, help="appends per writer")
    options = parser.parse_args()
    each = 25 if options.quick else options.appends
    with tempfile.TemporaryDirectory() as temp, running_cluster(durable=True) as cluster:
        scratch = Path(temp)
        print(f"{each} appends per writer, one event per transaction; follow lag p50/p95 in ms")
        print(
            f"{'backend':<10} {'writers':>7} {'appends/s':>10} {'raw/s':>8} {'ratio':>6}"
            f" {'lag p50':>8} {'p95':>7} {'raw p50':>8} {'p95':>7}"
        )
        for writers in (1, 4, 16):
            for backend in ("sqlite", "postgres"):
                name = f"{backend}-{writers}"
                if backend == "sqlite":
                    ours = _fresh_sqlite(scratch, name, raw=False)
                    raw = _fresh_sqlite(scratch, name + "-raw", raw=True)
                else:
                    ours = cluster.fresh_database(name.replace("-", "_"))
                    from store.postgres_log import PostgresEventLog

                    PostgresEventLog.open(ours).close()
                    raw = cluster.fresh_database(name.replace("-", "_") + "_raw")
                    cluster.admin(
                        RAW_TABLE.format(key="BIGSERIAL PRIMARY KEY"),
                        raw.split("@/")[1].split("?")[0],
                    )
                rate, lags = run(f"lastgood-{backend}", ours, writers, each, scratch)
                raw_rate, raw_lags = run(f"raw-{backend}", raw, writers, each, scratch)
                print(
                    f"{backend:<10} {writers:>7} {rate:>10.0f} {raw_rate:>8.0f}"
                    f" {rate / raw_rate:>6.2f}"
                    f" {_p(lags, 0.5):>8.1f} {_p(lags, 0.95):>7.1f}"
                    f" {_p(raw_lags, 0.5):>8.1f} {_p(raw_lags, 0.95):>7.1f}",
                    flush=True,
                )
        print(f"SQLite followers poll every {POLL_S * 1000:.0f} ms; PostgreSQL ones LISTEN")


if __name__ == "__main__":
    main()
