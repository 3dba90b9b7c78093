"""The crash loop at length: 200+ SIGKILLs of real `lastgood` writers, then an audit.

Runs tests/crash_loop.py (the loop tests/test_durability.py runs with 50 kills):

    python bench/crash_loop.py               # 200 kills, seed 1
    python bench/crash_loop.py --kills 500 --seed 7

Prints kills, acknowledged actions, lost actions (must be 0) and the chain status;
exits 1 if anything acknowledged was lost or a chain does not verify.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.cli_helpers import Cli  # noqa: E402
from tests.crash_loop import KILL_WINDOW, CrashLoop  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=200, help="SIGKILLs to land (default 200)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the kill delays")
    parser.add_argument(
        "--quick", action="store_true", help="a few seconds, to show it still runs (CI)"
    )
    args = parser.parse_args()
    if args.quick:
        args.kills = 5
    if args.kills < 1:
        parser.error("--kills must be at least 1")
    workdir = Path(tempfile.mkdtemp(prefix="lastgood-crash-"))
    try:
        started = time.monotonic()
        loop = CrashLoop(
            workdir, Cli(workdir / "unused.db").env, seed=args.seed, steps=3 * args.kills + 50
        )

        def progress(kills: int) -> None:
            print(f"\r{kills} kills", end="", file=sys.stderr, flush=True)

        outcome = loop.run(args.kills, max_rounds=20 * args.kills, progress=progress)
        print(file=sys.stderr)
        elapsed = time.monotonic() - started
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    acked = len(outcome.acknowledged)
    by_verb = {v: sum(1 for a in outcome.acknowledged if a.verb == v) for v in ("note", "check")}
    low, high = KILL_WINDOW
    scales_ms = sorted(s * 1000 for s in outcome.scales_s)
    scale = f"{scales_ms[0]:.0f}-{scales_ms[-1]:.0f} ms, median {statistics.median(scales_ms):.0f}"
    chain = "ok" if outcome.chain_ok else f"BROKEN (verify exit {outcome.verify_code})"
    rows = [
        ("writer commands started", f"{outcome.attempts} (a note and a check at once)"),
        ("median unkilled round", f"{outcome.round_s * 1000:.0f} ms"),
        ("kill delays", f"{low}-{high}x a scale that followed the load ({scale})"),
        ("SIGKILLs landed", f"{outcome.kills}"),
        (
            "acknowledged (exit 0 + output)",
            f"{acked} (note {by_verb['note']}, check {by_verb['check']})",
        ),
        ("killed after commit, unacked", f"{outcome.killed_but_recorded}"),
        ("acknowledged but lost", f"{len(outcome.lost)}"),
        ("unexplained events in the log", f"{outcome.unexplained_events}"),
        ("chain (lastgood verify --all)", f"{chain}: {outcome.verify_output.strip()}"),
        ("appends after the loop", "ok" if outcome.appended_after else "FAILED"),
        ("wall time", f"{elapsed:.1f} s"),
    ]
    for label, value in rows:
        print(f"{label + ':':32}{value}")
    for action in outcome.lost[:10]:
        print(f"  lost: {action.verb} {action.key}")
    sound = not outcome.lost and outcome.unexplained_events == 0
    return 0 if sound and outcome.chain_ok and outcome.appended_after else 1


if __name__ == "__main__":
    sys.exit(main())
