"""How `validate_runbook_file` grows with the number of phases, YAML and Markdown.

Valid runbooks of 1k, 2k, 4k and 8k phases are generated in each format (the
YAML one also pulls tasks from a Markdown file with `steps_from`, and both repeat
titles, so step ids made from titles collide and must be numbered). Each file is
validated a few times; the best time counts:

    python bench/runbook_validate.py                  # 1k, 2k, 4k, 8k; best of 5
    python bench/runbook_validate.py --runs 5 --sizes 500 1000 2000

Prints, per format and size, the file size, the best CPU and wall time, the time
per phase and the ratio to the size before it, then the growth per doubling over
the whole range (less noisy on a shared machine than any single step). Loading is
linear when each doubling costs about 2x; the target is at most 2.2x. Measures;
asserts nothing.
"""

from __future__ import annotations

import argparse
import gc
import math
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from runbooks import validate_runbook_file  # noqa: E402

TARGET_RATIO = 2.2
PLAN = """\
# Service plan

## Verify (T+15 to T+45 minutes)

- [ ] **Confirm the version:** the old version answers on every instance.
- [ ] Check health
- [ ] Watch the error rate (optional)
"""
"""The Markdown file every other YAML phase takes its steps from."""

_HEAD = """\
runbook: bench
title: Generated rollback
description: A long runbook, generated to time validation.
roles: [incident-commander, deployment-coordinator, ops]
templates:
  update: "Update on {title}: now in {phase}."
notify:
  send:
    update: {on: "step:s0"}
phases:
"""
_SECTIONS = (
    "Decision and Communication (T+0 to T+5 minutes)",
    "Phase 2: Execute Rollback (T+5-30)",
    "Verification (T+15 to T+45 minutes)",
    "Close-out",
)


def yaml_runbook(phases: int) -> str:
    """`phases` phases: even ones list one step, odd ones take `PLAN`'s three tasks."""
    lines = [_HEAD]
    for n in range(phases):
        if n % 2 == 0:
            lines.append(
                f"  - {{id: p{n}, title: Execute, steps: [{{id: s{n}, title: Switch}}]}}\n"
            )
        else:
            lines.append(f"  - {{id: p{n}, title: Verify, steps_from: plan.md}}\n")
    return "".join(lines)


def markdown_runbook(phases: int) -> str:
    """`phases` sections cycling through four headings, two tasks each."""
    lines = ["# Generated rollback\n\nA long checklist, generated to time validation.\n"]
    for n in range(phases):
        lines.append(f"\n## {_SECTIONS[n % len(_SECTIONS)]}\n")
        lines.append("- [ ] **Stop deploys:** pause the pipeline\n- [ ] Check health (optional)\n")
    return "".join(lines)


@dataclass
class Row:
    phases: int
    size: int
    cpu_s: float
    wall_s: float


def time_file(path: Path, runs: int) -> tuple[float, float]:
    """Best CPU and best wall seconds of `runs` validations; the file must be valid."""
    best_cpu = best_wall = float("inf")
    for _ in range(runs):
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        problems = validate_runbook_file(path)
        best_cpu = min(best_cpu, time.process_time() - cpu)
        best_wall = min(best_wall, time.perf_counter() - wall)
        if problems:
            shown = "\n".join(str(p) for p in problems[:5])
            raise SystemExit(f"bench/runbook_validate.py: generated runbook is invalid:\n{shown}")
    return best_cpu, best_wall


def measure(
    directory: Path, suffix: str, make: Callable[[int], str], sizes: list[int], runs: int
) -> list[Row]:
    rows: list[Row] = []
    for phases in sizes:
        path = directory / f"bench-{phases}{suffix}"
        path.write_text(make(phases), encoding="utf-8")
        cpu_s, wall_s = time_file(path, runs)
        rows.append(Row(phases, path.stat().st_size, cpu_s, wall_s))
    return rows


def report(label: str, rows: list[Row]) -> float:
    """Print the table; the largest CPU-time ratio between consecutive doublings."""
    print(f"\n{label}")
    print(f"{'phases':>8} {'KiB':>7} {'cpu s':>8} {'wall s':>8} {'µs/phase':>9} {'ratio':>6}")
    worst = 0.0
    for index, row in enumerate(rows):
        ratio = ""
        if index:
            before = rows[index - 1]
            value = row.cpu_s / before.cpu_s
            ratio = f"{value:.2f}"
            if row.phases == 2 * before.phases:
                worst = max(worst, value)
        per_phase = row.cpu_s / row.phases * 1e6
        print(
            f"{row.phases:>8} {row.size / 1024:>7.0f} {row.cpu_s:>8.3f} {row.wall_s:>8.3f} "
            f"{per_phase:>9.1f} {ratio:>6}"
        )
    first, last = rows[0], rows[-1]
    if len(rows) > 1 and last.phases > first.phases:
        doublings = math.log2(last.phases / first.phases)
        growth = (last.cpu_s / first.cpu_s) ** (1 / doublings)
        total = last.cpu_s / first.cpu_s
        print(f"{first.phases} -> {last.phases}: x{total:.1f} cpu time, {growth:.2f} per doubling")
    return worst


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000, 4000, 8000])
    parser.add_argument("--runs", type=int, default=5, help="validations per file (best counts)")
    parser.add_argument(
        "--quick", action="store_true", help="a few seconds, to show it still runs (CI)"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.runs = [100, 200], 1
    if args.runs < 1 or any(size < 1 for size in args.sizes):
        parser.error("--runs and --sizes must be positive")
    with tempfile.TemporaryDirectory(prefix="lastgood-validate-") as scratch:
        directory = Path(scratch)
        (directory / "plan.md").write_text(PLAN, encoding="utf-8")
        time_file(_write(directory / "warm.yaml", yaml_runbook(10)), 1)
        time_file(_write(directory / "warm.md", markdown_runbook(10)), 1)
        yaml_rows = measure(directory, ".yaml", yaml_runbook, args.sizes, args.runs)
        md_rows = measure(directory, ".md", markdown_runbook, args.sizes, args.runs)
    worst = max(
        report("YAML (half the phases use steps_from: plan.md)", yaml_rows),
        report("Markdown", md_rows),
    )
    print(f"\nlargest ratio per doubling (cpu): {worst:.2f} (target <= {TARGET_RATIO})")
    return 0


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


if __name__ == "__main__":
    sys.exit(main())
