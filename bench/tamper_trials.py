"""How much random damage `verify` catches, by kind, over many trials.

The same tampers as `tests/test_tamper_trials.py` (see `tests/tampering.py`),
drawn from a seeded generator instead of Hypothesis, so a larger count is cheap:

    python bench/tamper_trials.py                  # 10,000 trials, seed 1
    python bench/tamper_trials.py --trials 50000 --seed 7

Prints, per kind of damage, how many trials `verify` alone reported and how many
a kept head hash (`verify --expect-head`) reported; "missed" counts trials that
neither caught; then in how many the JSON export's read of the record found the
chain as `verify` did (where it breaks, or intact). Asserts nothing; exits 1 if
anything was missed or the export read it otherwise.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.tampering import TAMPERS, RandomPicker, draw, record_intact, trial  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--quick", action="store_true", help="a few seconds, to show it still runs (CI)"
    )
    args = parser.parse_args()
    if args.quick:
        args.trials = 50
    picker = RandomPicker(args.seed)
    drawn: Counter[str] = Counter()
    by_verify: Counter[str] = Counter()
    by_head: Counter[str] = Counter()
    tails: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    export_disagrees = 0
    examples: list[str] = []
    with tempfile.TemporaryDirectory(prefix="lastgood-tamper-") as scratch:
        source = Path(scratch) / "intact.db"
        events = record_intact(source)
        intact, head = source.read_bytes(), events[-1].hash
        started = time.perf_counter()
        for _ in range(args.trials):
            tamper = draw(picker, events)
            outcome = trial(intact, Path(scratch) / "trial.db", tamper, head)
            drawn[tamper.kind] += 1
            by_verify[tamper.kind] += outcome.by_verify
            by_head[tamper.kind] += outcome.by_head
            tails[tamper.kind] += tamper.tail
            if not (outcome.by_verify or outcome.by_head) or not outcome.bystander_ok:
                missed[tamper.kind] += 1
                examples.append(f"{tamper.kind}: {tamper.detail}")
            if not outcome.export_agrees:
                export_disagrees += 1
                examples.append(f"the export read otherwise: {tamper.kind}: {tamper.detail}")
        elapsed = time.perf_counter() - started
    print(f"{args.trials} trials, seed {args.seed}, {len(events)} events per copy")
    print(f"{'kind':<20} {'trials':>7} {'verify':>7} {'head':>7} {'tail':>6} {'missed':>7}")
    for kind in sorted(TAMPERS):
        print(
            f"{kind:<20} {drawn[kind]:>7} {by_verify[kind]:>7} {by_head[kind]:>7} "
            f"{tails[kind]:>6} {missed[kind]:>7}"
        )
    caught = args.trials - missed.total()
    print(
        f"{'all':<20} {args.trials:>7} {by_verify.total():>7} {by_head.total():>7} "
        f"{tails.total():>6} {missed.total():>7}"
    )
    print(
        f"detected: {caught}/{args.trials} ({100 * caught / args.trials:.2f}%); "
        f"by verify alone {by_verify.total()}, only by the kept head "
        f"{caught - by_verify.total()}; {elapsed / args.trials * 1000:.2f} ms per trial"
    )
    agreed = args.trials - export_disagrees
    print(f"the JSON export's read found the chain as verify did: {agreed}/{args.trials}")
    for example in examples[:10]:
        print(f"  missed: {example}")
    return 1 if missed or export_disagrees else 0


if __name__ == "__main__":
    sys.exit(main())
