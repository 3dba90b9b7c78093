"""Keys from the demo's first frame to a closed incident, per phase, in a real terminal.

Drives `lastgood demo --db FILE` in a private tmux server at 80x24 with the same
driver as `tests/tui/test_keys_to_verified.py` (`tests/demo_keys.py`): only the key
the guidance names, one decision at a time, a typed entry counted as one key, and
every wait on the screen. Prints the keys per phase, to "service verified" (phases
1-3) and to closed, against the figures issue #14 measured before the change (25 to
verified, 33 to closed). Counts, not times; asserts nothing. Needs tmux.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from terminal import ROOT, BenchError

from tests.cli_helpers import lastgood_command
from tests.demo_keys import PHASES, KeyDriver, demo_env, start_demo, to_closed, to_verified
from tests.tmux import Tmux, TmuxError, have_tmux

BEFORE = {"verified": 25, "closed": 33}
"""Keys the issue counted by hand before the guidance named one key per step."""
TARGET_VERIFIED = 20


def one_run(home: Path) -> KeyDriver:
    tmux = Tmux(demo_env(ROOT, home / "xdg"), name="lastgood-bench")
    try:
        pane = start_demo(tmux, lastgood_command(), home / "demo.db")
        driver = KeyDriver(tmux, pane)
        to_verified(driver)
        to_closed(driver)
        return driver
    finally:
        tmux.kill_server()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2, help="demo runs (default 2)")
    parser.add_argument("--quick", action="store_true", help="one run (CI)")
    parser.add_argument("--keys", action="store_true", help="print every key sent")
    args = parser.parse_args()
    runs = 1 if args.quick else max(1, args.runs)
    if not have_tmux(demo_env(ROOT, Path("."))):
        print("keys_to_close: tmux is not installed", file=sys.stderr)
        return 2
    totals: list[tuple[int, int]] = []
    for run in range(runs):
        with tempfile.TemporaryDirectory(prefix="lastgood-keys-") as scratch:
            try:
                driver = one_run(Path(scratch))
            except (TmuxError, BenchError) as error:
                print(f"keys_to_close: run {run + 1}: {error}", file=sys.stderr)
                return 1
        per_phase = {phase: driver.counts[phase] for phase in PHASES}
        verified = sum(per_phase[phase] for phase in PHASES[:3])
        closed = sum(per_phase.values())
        totals.append((verified, closed))
        print(f"run {run + 1}: " + "  ".join(f"{p} {n}" for p, n in per_phase.items()))
        if args.keys:
            print("\n".join(f"  {line}" for line in driver.log))
    verified, closed = totals[-1]
    same = all(t == totals[0] for t in totals)
    print(
        f"keys to verified: {verified} (target <= {TARGET_VERIFIED}; before {BEFORE['verified']},"
        f" ratio {verified / BEFORE['verified']:.2f})"
    )
    print(
        f"keys to closed:   {closed} (before {BEFORE['closed']},"
        f" ratio {closed / BEFORE['closed']:.2f})"
    )
    print(f"runs: {runs}, every run the same count: {'yes' if same else 'no'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
