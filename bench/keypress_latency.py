"""Keypress-to-screen latency while polling 200 probes at 1 s, against no probes.

A probe farm (`bench/probe_farm.py`) serves 200 JSON endpoints on loopback. Two
runbooks are generated from `runbooks/rollback.yaml`: one whose probes are 200 http
probes of the farm, polled every second, and one without probes (no probe-backed
triggers, no verification probes, so no health panels either). An incident is
declared with each through the CLI, `lastgood start` opens it in a 120x40 tmux
window, and `right` / `left` are pressed in turn; each press is timed from
`tmux send-keys` to the moment `capture-pane` shows the new `Phase N/4` title.
The same loop against `echo` in a plain bash pane gives the measurement floor.

    python bench/keypress_latency.py [--presses 60] [--probes 200] [--panels-case]

Prints min / p50 / p90 / p99 / max per case, the probes / no-probes ratios, the
sample events recorded and the app's CPU time during the measured presses.
Measures; asserts nothing. Needs tmux.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

import yaml
from startup import ROOT, BenchError, Tmux, child_env, positive, wait_gone

# `startup` put the repository root on sys.path.
from incident.core.events import parse_timestamp
from runbooks import validate_runbook_file

WIDTH, HEIGHT = 120, 40
POLL_S = 0.002
"""Sleep between two `capture-pane` calls while waiting for a press to show."""
GAP_S = 0.1
JITTER_S = 0.15
"""After a press shows, wait GAP_S plus up to JITTER_S (uniform) before the next."""
ROUNDS_BEFORE = 3
"""Polling rounds the app must have recorded before the presses start."""
WARMUP_PRESSES = 2
PHASE_TITLE = re.compile(r"^ ?Phase (\d+)/(\d+) ·", re.MULTILINE)
SOURCE_RUNBOOK = ROOT / "runbooks" / "rollback.yaml"
PROBE_BACKED_TRIGGERS = ("metric", "consecutive_failures")
NAMED_PROBES = ("health", "version", "error-rate")
"""The probe names the rollback runbook's triggers and verification steps use."""


@dataclass
class Case:
    name: str
    times: list[float] = field(default_factory=list)
    cpu_s: float | None = None
    window_s: float = 0.0
    window: tuple[datetime, datetime] | None = None
    db: Path | None = None
    incident_id: str = ""
    sample_events: int | None = None
    samples: int | None = None
    other_events: int | None = None
    served: int | None = None


# --- the runbooks ---------------------------------------------------------------------


def probe_list(port: int, count: int) -> list[dict[str, Any]]:
    """`count` http probes of the farm; the first three keep the runbook's names."""
    probes: list[dict[str, Any]] = []
    for n in range(count):
        url = f"http://127.0.0.1:{port}/p/{n}"
        name = NAMED_PROBES[n] if n < len(NAMED_PROBES) else f"p{n:03d}"
        probe: dict[str, Any] = {"name": name, "kind": "http", "url": url}
        if name == "health":
            probe["expect_status"] = 200
        elif name == "version":
            probe.update(kind="version", json_field="version")
        else:
            probe["json_field"] = "error_rate"
        if name == "error-rate":
            probe.update(threshold=0.05, unit="ratio")
        probe.update(interval_s=1, timeout_s=1)
        probes.append(probe)
    return probes


def without_probes(data: dict[str, Any]) -> dict[str, Any]:
    """The runbook with no probes, no probe-backed triggers, no verification probes."""
    data = dict(data, probes=[])
    data["triggers"] = [
        t for t in data.get("triggers", []) if t.get("kind") not in PROBE_BACKED_TRIGGERS
    ]
    for phase in data["phases"]:
        for step in phase.get("steps", []):
            step.pop("probe", None)
    return data


def write_runbook(data: dict[str, Any], path: Path) -> Path:
    path.write_text(
        yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8"
    )
    problems = validate_runbook_file(path)
    if problems:
        raise BenchError(
            f"generated runbook {path.name} does not validate:\n"
            + "\n".join(str(p) for p in problems)
        )
    return path


def source_runbook() -> dict[str, Any]:
    """`runbooks/rollback.yaml` as data, its `on:` keys kept as the string "on".

    PyYAML reads a bare `on` key as True (YAML 1.1), and would write it back as
    `true:`, which the runbook loader rightly calls an unknown key. The string "on"
    is written back quoted (`'on':`), which reads as the key the format means.
    """
    return on_keys(yaml.safe_load(SOURCE_RUNBOOK.read_text(encoding="utf-8")))


def on_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {("on" if key is True else key): on_keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [on_keys(item) for item in value]
    return value


def runbooks(directory: Path, port: int, count: int) -> tuple[Path, Path]:
    """(with `count` farm probes, without probes), both validated."""
    source = source_runbook()
    with_probes = dict(source, runbook="bench-probes", probes=probe_list(port, count))
    bare = dict(without_probes(source_runbook()), runbook="bench-no-probes")
    return (
        write_runbook(with_probes, directory / "probes.yaml"),
        write_runbook(bare, directory / "no-probes.yaml"),
    )


# --- the CLI, the farm, /proc ---------------------------------------------------------


def lastgood(env: dict[str, str], *args: str, timeout: float = 60) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "tui.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise BenchError(f"lastgood {args[0]} failed: {done.stderr.strip()}")
    return done.stdout


def declare(env: dict[str, str], db: Path, runbook: Path) -> str:
    return lastgood(
        env, "declare", "--db", str(db), "--runbook", str(runbook),
        "--title", "Keypress latency bench", "--severity", "SEV2", "--commander", "bench",
        "--issue", "benchmark", "--from-version", "2.4.1", "--last-good", "2.4.0",
    ).strip()  # fmt: skip


def event_count(env: dict[str, str], db: Path, incident_id: str) -> int:
    status = json.loads(lastgood(env, "status", "--db", str(db), "--json", incident_id))
    return int(status["events"])


def events_between(
    env: dict[str, str], db: Path, incident_id: str, start: datetime, end: datetime
) -> list[dict[str, Any]]:
    export = json.loads(lastgood(env, "export", "--db", str(db), "--format", "json", incident_id))
    return [e for e in export["events"] if start <= parse_timestamp(e["at"]) <= end]


class ProbeFarm:
    """`bench/probe_farm.py` in a child process, stopped by `stop` (or when we die)."""

    def __init__(self, endpoints: int) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "bench" / "probe_farm.py"),
             "--endpoints", str(endpoints), "--exit-on-eof", "--quiet"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        assert self.process.stdout is not None
        line = self.process.stdout.readline().split()
        if len(line) != 3 or line[0] != "listening":
            self.stop()
            raise BenchError("the probe farm did not start")
        self.port = int(line[2])

    def served(self) -> int:
        url = f"http://127.0.0.1:{self.port}/_count"
        with urllib.request.urlopen(url, timeout=5) as answer:
            return int(json.load(answer)["served"])

    def stop(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.close()  # --exit-on-eof: this alone stops it
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()


def cpu_seconds(pid: int) -> float:
    """utime + stime of `pid`, from /proc/PID/stat."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# --- presses --------------------------------------------------------------------------


def wait_for(
    tmux: Tmux, pane: str, seen: Callable[[str], bool], started: float, timeout: float, what: str
) -> float:
    """Poll `capture-pane` until `seen(screen)`; seconds since `started`."""
    while True:
        screen = tmux("capture-pane", "-p", "-t", pane)
        if seen(screen):
            return time.perf_counter() - started
        if time.perf_counter() - started > timeout:
            raise BenchError(f"no {what} on screen after {timeout:.0f}s; last screen:\n{screen}")
        time.sleep(POLL_S)


def phase_shown(screen: str) -> tuple[int, int] | None:
    found = PHASE_TITLE.findall(screen)
    return (int(found[0][0]), int(found[0][1])) if len(found) == 1 else None


def press(tmux: Tmux, pane: str, key: str, want: int, timeout: float) -> float:
    started = time.perf_counter()
    tmux("send-keys", "-t", pane, key)
    return wait_for(
        tmux, pane, lambda s: (phase_shown(s) or (0, 0))[0] == want, started, timeout,
        f"'Phase {want}/…' after {key}",
    )  # fmt: skip


def pause(rng: random.Random) -> None:
    time.sleep(GAP_S + rng.uniform(0, JITTER_S))


def run_app_case(
    tmux: Tmux,
    env: dict[str, str],
    case: Case,
    *,
    presses: int,
    rng: random.Random,
    timeout: float,
    no_probes_flag: bool = False,
    farm: ProbeFarm | None = None,
    rounds: int = 0,
    pids: list[int],
) -> str:
    """Open the incident, wait until ready, time `presses` presses. Returns the last screen."""
    assert case.db is not None
    command = [sys.executable, "-m", "tui.cli", "start", "--db", str(case.db),
               "--incident", case.incident_id]  # fmt: skip
    if no_probes_flag:
        command.append("--no-probes")
    out = tmux(
        "new-window", "-d", "-t", "bench:", "-P", "-F", "#{pane_id} #{pane_pid}",
        "-c", str(ROOT), "--", *command,
    )  # fmt: skip
    pane, pid_text = out.split()
    pid = int(pid_text)
    pids.append(pid)
    try:
        wait_for(tmux, pane, lambda s: phase_shown(s) is not None, time.perf_counter(),
                 timeout, "phase title")  # fmt: skip
        size = tmux("display-message", "-p", "-t", pane, "#{window_width}x#{window_height}")
        if size.strip() != f"{WIDTH}x{HEIGHT}":
            raise BenchError(f"tmux gave a {size.strip()} window, not {WIDTH}x{HEIGHT}")
        if rounds:
            first = event_count(env, case.db, case.incident_id)
            deadline = time.monotonic() + timeout
            while event_count(env, case.db, case.incident_id) < first + rounds:
                if time.monotonic() > deadline:
                    raise BenchError(f"{case.name}: fewer than {rounds} polling rounds recorded")
                time.sleep(0.5)
        else:
            time.sleep(2.0)  # settle, as the probes case does while it waits for rounds

        shown = phase_shown(tmux("capture-pane", "-p", "-t", pane))
        assert shown is not None
        current, total = shown
        keys = ["right", "left"]
        for n in range(WARMUP_PRESSES + presses):
            key = keys[n % 2]
            want = current % total + 1 if key == "right" else (current - 2) % total + 1
            if n == WARMUP_PRESSES:
                cpu_before = cpu_seconds(pid)
                served_before = farm.served() if farm else None
                wall_start, mono_start = datetime.now(UTC), time.perf_counter()
            pause(rng)
            elapsed = press(tmux, pane, key, want, timeout)
            if n >= WARMUP_PRESSES:
                case.times.append(elapsed)
            current = want
        case.window_s = time.perf_counter() - mono_start
        case.window = (wall_start, datetime.now(UTC))
        case.cpu_s = cpu_seconds(pid) - cpu_before
        if farm is not None and served_before is not None:
            case.served = farm.served() - served_before
        return tmux("capture-pane", "-p", "-t", pane)
    finally:
        # `q` quits the app cleanly (closing its HTTP client); the window goes with it.
        subprocess.run(
            ["tmux", "-L", tmux.socket, "send-keys", "-t", pane, "q"],
            env=tmux.env, capture_output=True, timeout=10, check=False,
        )  # fmt: skip
        wait_gone(pid)
        pids.remove(pid)
        subprocess.run(
            ["tmux", "-L", tmux.socket, "kill-window", "-t", pane],
            env=tmux.env, capture_output=True, timeout=10, check=False,
        )  # fmt: skip


def line_is(text: str) -> Callable[[str], bool]:
    """A test that some line of the screen is exactly `text` (the output, not the command)."""
    return lambda screen: text in screen.split("\n")


def run_floor(tmux: Tmux, case: Case, *, presses: int, rng: random.Random, timeout: float,
              pids: list[int]) -> None:  # fmt: skip
    """The same loop against `echo` in a plain bash: what tmux and polling cost alone."""
    out = tmux(
        "new-window", "-d", "-t", "bench:", "-P", "-F", "#{pane_id} #{pane_pid}",
        "--", "env", "PS1=$ ", "bash", "--norc", "--noprofile", "-i",
    )  # fmt: skip
    pane, pid_text = out.split()
    pid = int(pid_text)
    pids.append(pid)
    try:
        wait_for(tmux, pane, lambda s: "$" in s, time.perf_counter(), timeout, "bash prompt")
        for n in range(WARMUP_PRESSES + presses):
            marker = f"m{n:04d}"
            pause(rng)
            started = time.perf_counter()
            tmux("send-keys", "-t", pane, f"echo {marker}", "Enter")
            elapsed = wait_for(tmux, pane, line_is(marker), started, timeout, marker)
            if n >= WARMUP_PRESSES:
                case.times.append(elapsed)
    finally:
        subprocess.run(
            ["tmux", "-L", tmux.socket, "kill-window", "-t", pane],
            env=tmux.env, capture_output=True, timeout=10, check=False,
        )  # fmt: skip
        wait_gone(pid)
        pids.remove(pid)


# --- report ---------------------------------------------------------------------------


def rank(values: list[float], q: float) -> float:
    """Nearest-rank percentile: with fewer than 100 values, p99 is the largest."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def count_window_events(env: dict[str, str], case: Case) -> None:
    assert case.db is not None and case.window is not None
    events = events_between(env, case.db, case.incident_id, *case.window)
    samples = [e for e in events if e["kind"] == "probe.samples"]
    case.sample_events = len(samples)
    case.samples = sum(len(e["payload"].get("samples", [])) for e in samples)
    case.other_events = len(events) - len(samples)


def capture_pane_cost(tmux: Tmux, calls: int = 50) -> float:
    """Mean seconds of one `capture-pane` of the (idle) session window."""
    started = time.perf_counter()
    for _ in range(calls):
        tmux("capture-pane", "-p", "-t", "bench:0")
    return (time.perf_counter() - started) / calls


def report(cases: list[Case], args: argparse.Namespace, tmux_version: str, capture_s: float,
           port: int) -> None:  # fmt: skip
    print(
        f"Keypress to screen, {WIDTH}x{HEIGHT} tmux window, right/left alternately, "
        f"{WARMUP_PRESSES} untimed presses first, capture-pane every {POLL_S * 1000:.0f} ms, "
        f"{GAP_S * 1000:.0f}+0..{JITTER_S * 1000:.0f} ms between presses (seed {args.seed})"
    )
    print(
        f"Python {sys.version.split()[0]}, Textual {version('textual')}, {tmux_version}, "
        f"{os.cpu_count()} CPUs; probe farm 127.0.0.1:{port}, {args.probes} endpoints"
    )
    print("'no probes' is a runbook without probes (no panels, nothing polled), not --no-probes")
    print()
    print(f"{'case':<34}{'presses':>8}{'min':>8}{'p50':>8}{'p90':>8}{'p99':>8}{'max':>8}  ms")
    for case in cases:
        t = [x * 1000 for x in case.times]
        print(
            f"{case.name:<34}{len(t):>8}{min(t):>8.1f}{rank(t, 0.5):>8.1f}"
            f"{rank(t, 0.9):>8.1f}{rank(t, 0.99):>8.1f}{max(t):>8.1f}"
        )
    print("(nearest-rank percentiles: with fewer than 100 presses p99 is the max)")
    print(f"one capture-pane call: {capture_s * 1000:.1f} ms on average")
    floor, bare, probes = cases[0], cases[1], cases[-1]
    print()
    for label, q in (("p50", 0.5), ("p99", 0.99)):
        ratio = rank(probes.times, q) / rank(bare.times, q)
        above = (
            (rank(probes.times, q) - rank(floor.times, q))
            / (rank(bare.times, q) - rank(floor.times, q))
            if rank(bare.times, q) > rank(floor.times, q)
            else float("nan")
        )
        print(f"ratio {label} (probes / no probes): {ratio:.2f}   (above the floor: {above:.2f})")
    print()
    for case in cases[1:]:
        line = (
            f"{case.name}: measured window {case.window_s:.1f} s, app CPU {case.cpu_s:.2f} s "
            f"({100 * (case.cpu_s or 0) / case.window_s:.0f}% of one CPU)"
        )
        if case.sample_events is not None:
            line += (
                f", {case.sample_events} sample events ({case.samples} samples)"
                f" + {case.other_events} other events recorded"
            )
        if case.served is not None:
            line += f", farm served {case.served} requests ({case.served / case.window_s:.0f}/s)"
        print(line)


# --- main -----------------------------------------------------------------------------


def _interrupted(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=positive, default=60, help="timed presses per case")
    parser.add_argument("--probes", type=positive, default=200, help="probes polled (default 200)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the pauses' jitter")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per wait")
    parser.add_argument(
        "--panels-case", action="store_true",
        help="also time the probes runbook with `start --no-probes` (panels, no polling)",
    )  # fmt: skip
    parser.add_argument("--show-screen", action="store_true", help="print the probes case's screen")
    args = parser.parse_args(argv)
    if args.probes < len(NAMED_PROBES):
        parser.error(f"--probes must be at least {len(NAMED_PROBES)}")

    if shutil.which("tmux") is None:
        print("bench/keypress_latency.py: tmux is not installed (apt-get install tmux)",
              file=sys.stderr)  # fmt: skip
        return 2
    signal.signal(signal.SIGTERM, _interrupted)
    rng = random.Random(args.seed)
    env = child_env()
    tmux = Tmux(env)
    pids: list[int] = []
    farm: ProbeFarm | None = None
    scratch = tempfile.TemporaryDirectory(prefix="lastgood-keys-")
    try:
        farm = ProbeFarm(args.probes)
        directory = Path(scratch.name)
        with_probes, bare = runbooks(directory, farm.port, args.probes)
        floor = Case("floor: echo in bash")
        no_probes = Case("lastgood, no probes", db=directory / "bare.db")
        panels = Case(f"lastgood, {args.probes} probes, --no-probes", db=directory / "panels.db")
        probes = Case(f"lastgood, {args.probes} probes @ 1 s", db=directory / "probes.db")
        app_cases = [(no_probes, bare), (probes, with_probes)]
        if args.panels_case:
            app_cases.insert(1, (panels, with_probes))
        for case, runbook in app_cases:
            assert case.db is not None
            case.incident_id = declare(env, case.db, runbook)

        tmux.start()
        tmux_version = subprocess.run(
            ["tmux", "-V"], capture_output=True, text=True, check=False
        ).stdout.strip()
        run_floor(tmux, floor, presses=args.presses, rng=rng, timeout=args.timeout, pids=pids)
        screen = ""
        for case, _ in app_cases:
            polled = case is probes
            screen = run_app_case(
                tmux, env, case, presses=args.presses, rng=rng, timeout=args.timeout,
                no_probes_flag=case is panels, farm=farm if polled else None,
                rounds=ROUNDS_BEFORE if polled else 0, pids=pids,
            )  # fmt: skip
        capture_s = capture_pane_cost(tmux)
        for case in (no_probes, probes):
            count_window_events(env, case)
    except BenchError as error:
        print(f"bench/keypress_latency.py: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("bench/keypress_latency.py: interrupted; cleaned up", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        tmux.kill_server()
        for pid in pids:
            wait_gone(pid)
        if farm is not None:
            farm.stop()
        scratch.cleanup()

    cases = [floor, *(case for case, _ in app_cases)]
    report(cases, args, tmux_version, capture_s, farm.port)
    if args.show_screen:
        print()
        print(screen)
    return 0


if __name__ == "__main__":
    sys.exit(main())
