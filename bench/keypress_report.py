"""What `keypress_latency.py` measured, and how it prints it: per case, the presses'
percentiles, the probes case's ratios to the bare one, and the CPU and samples of each."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from keypress_setup import events_between
from terminal import rank


@dataclass
class Case:
    name: str
    phase: list[float] = field(default_factory=list)
    """Seconds from `right`/`left` to the new phase title on screen."""
    check: list[float] = field(default_factory=list)
    """Seconds from `space` to the step's [x] on screen (or `echo` to its output)."""
    cpu_s: float = 0.0
    child_cpu_s: float = 0.0
    """CPU of the app's child processes over the windows: `start` polls in one."""
    windows: list[tuple[datetime, datetime]] = field(default_factory=list)
    """One per block: from its first timed press to its last."""
    db: Path | None = None
    incident_id: str = ""
    checked: int = 0
    """Steps checked so far, over the blocks: the next block checks the next ones."""
    sample_events: int | None = None
    samples: int | None = None
    other_events: int | None = None
    served: int | None = None

    @property
    def window_s(self) -> float:
        """The measured windows' length, added up."""
        return sum((end - start).total_seconds() for start, end in self.windows)


def count_window_events(env: dict[str, str], case: Case) -> None:
    assert case.db is not None
    events = [
        event
        for window in case.windows
        for event in events_between(env, case.db, case.incident_id, *window)
    ]
    samples = [e for e in events if e["kind"] == "probe.samples"]
    case.sample_events = len(samples)
    case.samples = sum(len(e["payload"].get("samples", [])) for e in samples)
    case.other_events = len(events) - len(samples)


def line(name: str, key: str, times: list[float]) -> str:
    t = [x * 1000 for x in times]
    return (
        f"{name:<34}{key:<7}{len(t):>7}{min(t):>8.1f}{rank(t, 0.5):>8.1f}"
        f"{rank(t, 0.9):>8.1f}{rank(t, 0.99):>8.1f}{max(t):>8.1f}"
    )


def table(cases: list[Case]) -> None:
    """The presses of each case, the ratios of the probes case to the bare one, and what
    each case cost: CPU (the app's, its poller's), samples, the farm's requests."""
    print(f"{'case':<34}{'key':<7}{'presses':>7}{'min':>8}{'p50':>8}{'p90':>8}{'p99':>8}"
          f"{'max':>8}  ms")  # fmt: skip
    floor, *apps = cases
    print(line(floor.name, "echo", floor.check))
    for case in apps:
        print(line(case.name, "phase", case.phase))
        print(line(case.name, "check", case.check))
    print("(nearest-rank percentiles: with fewer than 100 presses p99 is the max)")
    bare, probes = apps[0], apps[-1]
    print()
    for key in ("phase", "check"):
        mine, base = getattr(probes, key), getattr(bare, key)
        ratios = "   ".join(
            f"{label} {rank(mine, q) / rank(base, q):.2f}"
            for label, q in (("p50", 0.5), ("p99", 0.99))
        )
        print(f"ratio {key} (probes / no probes): {ratios}")
    print()
    for case in apps:
        text = (
            f"{case.name}: measured window {case.window_s:.1f} s, app CPU {case.cpu_s:.2f} s "
            f"({100 * case.cpu_s / case.window_s:.0f}% of one CPU)"
        )
        if case.child_cpu_s:
            share = 100 * case.child_cpu_s / case.window_s
            text += f", its probe poller {case.child_cpu_s:.2f} s ({share:.0f}%)"
        if case.sample_events:
            per_s = (case.samples or 0) / case.window_s
            text += (
                f", {case.sample_events} sample events, {case.samples} samples recorded "
                f"({per_s:.0f} per second) + {case.other_events} other events"
            )
        if case.served is not None:
            text += f", farm served {case.served} requests ({case.served / case.window_s:.0f}/s)"
        if len(case.windows) > 1:
            text += f" (over {len(case.windows)} blocks)"
        print(text)
