"""Keypress-to-screen latency while polling 200 probes at 1 s, against no probes.

A probe farm (`bench/probe_farm.py`) serves 200 JSON endpoints on loopback. Two
runbooks are generated from `runbooks/rollback.yaml` (`keypress_setup.py`): one
whose probes are 200 http probes of the farm, polled every second, and one
without probes; both end with a phase of plain steps. An incident is declared
with each through the CLI and `lastgood start` opens it in a 120x40 tmux window.
Two keys are timed, each from `send-keys` to the arrival of the output after which
the screen shows its effect (one tmux control-mode client, `tmux_control.py`):
`right` / `left` in turn (a phase switch: the `Phase N/5` title changes), then
`space` on the last phase's steps (a step check: the step shows `[x]`, which it
does only once its append has committed). The same loop against
`echo` in a plain bash pane gives the measurement floor.

The presses are taken in blocks, the cases' order mirrored from one block to the
next (no probes, probes, probes, no probes, ...), each block in an app started
afresh: a shared machine's load drifts over minutes, and one case timed in full
before the other carried that drift into the ratio (one run's step-check p50 was
1.29x, the next run's 1.03x). Mirrored blocks put both cases in every stretch of
the run alike; the percentiles are of all a case's presses together.

    python bench/keypress_latency.py [--presses 400] [--blocks 4] [--probes 200] [--panels-case]
    python bench/keypress_latency.py --quick       # 10 presses of each in 2 blocks, for CI
    python bench/keypress_latency.py --trace       # and where each key's time goes in the app

Prints min / p50 / p90 / p99 / max per case and key, the probes / no-probes
ratios, the samples recorded per second, and the app's CPU time during the
presses. 400 presses of each key by default: the nearest-rank p99 is then the
fifth slowest (four above it), where with fewer than 100 it is the slowest, and one
stall of a shared machine decides it. Measures; asserts nothing. Needs tmux.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

import app_trace
from keypress_report import Case, count_window_events, table
from keypress_setup import (
    CHECK_STEP_TITLE,
    NAMED_PROBES,
    ProbeFarm,
    declare,
    event_count,
    runbooks,
)
from terminal import (
    HEIGHT,
    WIDTH,
    BenchError,
    Tmux,
    child_env,
    children_cpu_seconds,
    cpu_seconds,
    positive,
    wait_gone,
)
from tmux_control import ControlClient

GAP_S = 0.1
JITTER_S = 0.15
"""After a press shows, wait GAP_S plus up to JITTER_S (uniform) before the next."""
ROUNDS_BEFORE = 3
"""Polling rounds the app must have recorded before the presses start."""
WARMUP_PRESSES = 2
PRESSES = 400
"""Timed presses of each key, over all blocks: p99 is then the fifth slowest."""
BLOCKS = 4
"""Blocks the presses are split into, the cases' order mirrored in each next one."""
PHASE_TITLE = re.compile(r"^ ?Phase (\d+)/(\d+) ·", re.MULTILINE)


# --- presses --------------------------------------------------------------------------


def phase_shown(screen: str) -> tuple[int, int] | None:
    found = PHASE_TITLE.findall(screen)
    return (int(found[0][0]), int(found[0][1])) if len(found) == 1 else None


def to_phase(want: int) -> Callable[[str], bool]:
    return lambda screen: (phase_shown(screen) or (0, 0))[0] == want


def checked(n: int) -> Callable[[str], bool]:
    mark = re.compile(re.escape("[x] " + CHECK_STEP_TITLE.format(n)) + r"\b")
    return lambda screen: mark.search(screen) is not None


def pause(rng: random.Random) -> None:
    time.sleep(GAP_S + rng.uniform(0, JITTER_S))


def phase_presses(control: ControlClient, pane: str, case: Case, presses: int,
                  rng: random.Random, timeout: float, into_last: bool) -> None:  # fmt: skip
    shown = phase_shown(control.screen(pane))
    assert shown is not None
    current, total = shown
    if into_last:
        current = go_to_phase(control, pane, current, total - 1, total, timeout)
    for n in range(WARMUP_PRESSES + presses):
        key = "right" if n % 2 == 0 else "left"
        want = current % total + 1 if key == "right" else (current - 2) % total + 1
        pause(rng)
        what = f"'Phase {want}/…' after {key}"
        elapsed = control.press(pane, [key], to_phase(want), timeout, what)
        if n >= WARMUP_PRESSES:
            case.phase.append(elapsed)
        current = want


def go_to_phase(control: ControlClient, pane: str, current: int, wanted: int, total: int,
                timeout: float) -> int:  # fmt: skip
    """Press `left` (untimed) until phase `wanted` of `total` shows; returns it."""
    while current != wanted:
        current = (current - 2) % total + 1
        what = f"'Phase {current}/…' after left"
        control.press(pane, ["left"], to_phase(current), timeout, what)
    return current


def check_presses(control: ControlClient, pane: str, case: Case, presses: int,
                  rng: random.Random, timeout: float) -> None:  # fmt: skip
    shown = phase_shown(control.screen(pane))
    assert shown is not None
    current, total = shown
    go_to_phase(control, pane, current, total, total, timeout)  # the steps to check
    first = case.checked + 1  # the steps an earlier block checked stay checked
    for n in range(first, first + WARMUP_PRESSES + presses):
        pause(rng)
        step = CHECK_STEP_TITLE.format(n)
        elapsed = control.press(pane, ["space"], checked(n), timeout, f"'[x] {step}'")
        case.checked = n
        if n >= first + WARMUP_PRESSES:
            case.check.append(elapsed)


def run_app_case(tmux: Tmux, control: ControlClient, env: dict[str, str], case: Case, *,
                 presses: int, rng: random.Random, timeout: float, settle_s: float,
                 no_probes_flag: bool = False, farm: ProbeFarm | None = None, rounds: int = 0,
                 pids: list[int], into_last: bool) -> str:  # fmt: skip
    """Open the incident, wait until ready, time the presses. Returns the last screen."""
    assert case.db is not None
    command = [sys.executable, "-m", "tui.cli", "start", "--db", str(case.db),
               "--incident", case.incident_id]  # fmt: skip
    if no_probes_flag:
        command.append("--no-probes")
    pane, pid = tmux.spawn(command)
    pids.append(pid)
    try:
        control.wait_for(pane, lambda s: phase_shown(s) is not None, time.perf_counter(),
                         timeout, "phase title")  # fmt: skip
        tmux.check_size(pane)
        if rounds:
            first = event_count(env, case.db, case.incident_id)
            deadline = time.monotonic() + timeout
            while event_count(env, case.db, case.incident_id) < first + rounds:
                if time.monotonic() > deadline:
                    raise BenchError(f"{case.name}: fewer than {rounds} polling rounds recorded")
                time.sleep(0.5)
        else:
            time.sleep(settle_s)  # settle, as the probes case does while it waits for rounds
        cpu_before, child_cpu_before = cpu_seconds(pid), children_cpu_seconds(pid)
        served_before = farm.served() if farm else None
        wall_start = datetime.now(UTC)
        phase_presses(control, pane, case, presses, rng, timeout, into_last)
        check_presses(control, pane, case, presses, rng, timeout)
        case.windows.append((wall_start, datetime.now(UTC)))
        case.cpu_s += cpu_seconds(pid) - cpu_before
        case.child_cpu_s += children_cpu_seconds(pid) - child_cpu_before
        if farm is not None and served_before is not None:
            case.served = (case.served or 0) + farm.served() - served_before
        return control.screen(pane)
    finally:
        # `q` quits the app cleanly (closing its HTTP client); the window goes with it.
        tmux.quietly("send-keys", "-t", pane, "q")
        wait_gone(pid)
        pids.remove(pid)
        tmux.quietly("kill-window", "-t", pane)


def run_floor(tmux: Tmux, control: ControlClient, case: Case, *, presses: int,
              rng: random.Random, timeout: float, pids: list[int]) -> None:  # fmt: skip
    """The same loop against `echo` in a plain bash: what tmux and polling cost alone."""
    pane, pid = tmux.spawn(["env", "PS1=$ ", "bash", "--norc", "--noprofile", "-i"])
    pids.append(pid)
    try:
        control.wait_for(pane, lambda s: "$" in s, time.perf_counter(), timeout, "bash prompt")
        for n in range(WARMUP_PRESSES + presses):
            marker = f"m{n:04d}"
            pause(rng)
            lines = lambda screen, m=marker: m in screen.split("\n")  # noqa: E731
            elapsed = control.press(pane, [f"echo {marker}", "Enter"], lines, timeout, marker)
            if n >= WARMUP_PRESSES:
                case.check.append(elapsed)
    finally:
        tmux.quietly("kill-window", "-t", pane)
        wait_gone(pid)
        pids.remove(pid)


def split(presses: int, blocks: int) -> list[int]:
    """`presses` over `blocks` as evenly as they go, the larger shares first."""
    share, left = divmod(presses, blocks)
    return [share + (1 if block < left else 0) for block in range(blocks)]


# --- report ---------------------------------------------------------------------------


def report(cases: list[Case], args: argparse.Namespace, tmux_version: str,
           port: int) -> None:  # fmt: skip
    print(
        f"Keypress to screen, {WIDTH}x{HEIGHT} tmux window, {WARMUP_PRESSES} untimed presses "
        f"of each key first, the screen read after each output (tmux control mode), "
        f"{GAP_S * 1000:.0f}+0..{JITTER_S * 1000:.0f} ms between presses (seed {args.seed})"
    )
    print(
        f"Python {sys.version.split()[0]}, Textual {version('textual')}, {tmux_version}, "
        f"{os.cpu_count()} CPUs; probe farm 127.0.0.1:{port}, {args.probes} endpoints"
    )
    print("'no probes' is a runbook without probes (no panel, nothing polled), not --no-probes")
    print(
        f"the apps' presses in {args.blocks} blocks, each app started afresh for each, "
        "the cases' order mirrored from one block to the next (A B, B A, A B, ...)"
    )
    where = " into and out of the last phase" if args.into_last else ""
    print(f"phase: right/left{where} until the new 'Phase N/5' title shows; check: space until [x]")
    print()
    table(cases)


# --- main -----------------------------------------------------------------------------


def _interrupted(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--presses", type=positive, default=PRESSES,
        help=f"timed presses of each key, all blocks together (default {PRESSES}; under 100, "
        "p99 is the max)",
    )  # fmt: skip
    parser.add_argument(
        "--blocks", type=positive, default=BLOCKS,
        help=f"blocks the presses are split into, the cases' order mirrored (default {BLOCKS})",
    )  # fmt: skip
    parser.add_argument("--probes", type=positive, default=200, help="probes polled (default 200)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the pauses' jitter")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per wait")
    parser.add_argument(
        "--quick", action="store_true", help="10 presses of each key in 2 blocks (for CI)"
    )
    parser.add_argument(
        "--panels-case", action="store_true",
        help="also time the probes runbook with `start --no-probes` (panel, no polling)",
    )  # fmt: skip
    parser.add_argument(
        "--into-last", action="store_true",
        help="time the phase switches into and out of the last phase (the footer's `P` "
        "comes and goes) instead of from the phase shown at start to the next",
    )  # fmt: skip
    parser.add_argument("--show-screen", action="store_true", help="print the probes case's screen")
    parser.add_argument(
        "--trace", action="store_true",
        help="also stamp each key's read, display and flush in the apps (bench/app_trace.py)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.probes < len(NAMED_PROBES):
        parser.error(f"--probes must be at least {len(NAMED_PROBES)}")
    rounds, settle_s = ROUNDS_BEFORE, 2.0
    if args.quick:
        args.presses, args.blocks, rounds, settle_s = 10, 2, 2, 1.0
    if args.presses < args.blocks:
        parser.error("--presses must be at least --blocks")

    if shutil.which("tmux") is None:
        print("bench/keypress_latency.py: tmux is not installed (apt-get install tmux)",
              file=sys.stderr)  # fmt: skip
        return 2
    signal.signal(signal.SIGTERM, _interrupted)
    rng = random.Random(args.seed)
    env = child_env()
    pids: list[int] = []
    farm: ProbeFarm | None = None
    control: ControlClient | None = None
    scratch = tempfile.TemporaryDirectory(prefix="lastgood-keys-")
    traced: list[str] = []
    # The panes alone get the hook: the CLI calls made here run without it.
    tmux = Tmux({**env, **app_trace.install(Path(scratch.name))} if args.trace else env)
    try:
        farm = ProbeFarm(args.probes)
        directory = Path(scratch.name)
        checks = WARMUP_PRESSES * args.blocks + args.presses
        with_probes, bare = runbooks(directory, farm.port, args.probes, checks)
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
        control = ControlClient(tmux, "bench")
        run_floor(
            tmux, control, floor, presses=args.presses, rng=rng, timeout=args.timeout, pids=pids
        )
        screen = ""
        ran: list[tuple[str, int]] = []  # the apps' cases and timed presses, in order
        in_order = [case for case, _ in app_cases]
        for block, presses in enumerate(split(args.presses, args.blocks)):
            for case in in_order if block % 2 == 0 else in_order[::-1]:
                polled = case is probes
                ran.append((case.name, presses))
                shown = run_app_case(
                    tmux, control, env, case, presses=presses, rng=rng, timeout=args.timeout,
                    settle_s=settle_s, no_probes_flag=case is panels,
                    farm=farm if polled else None, rounds=rounds if polled else 0, pids=pids,
                    into_last=args.into_last,
                )  # fmt: skip
                if polled:
                    screen = shown
        for case, _ in app_cases:
            count_window_events(env, case)
        if args.trace:
            traced = app_trace.summary(Path(scratch.name), ran, WARMUP_PRESSES)
    except BenchError as error:
        print(f"bench/keypress_latency.py: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("bench/keypress_latency.py: interrupted; cleaned up", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        if control is not None:
            control.close()
        tmux.kill_server()
        for pid in pids:
            wait_gone(pid)
        if farm is not None:
            farm.stop()
        scratch.cleanup()

    report([floor, *(case for case, _ in app_cases)], args, tmux.version(), farm.port)
    if traced:
        print()
        print("in the app (--trace), its timed keys:")
        print("\n".join(traced))
    if args.show_screen:
        print()
        print(screen)
    return 0


if __name__ == "__main__":
    sys.exit(main())
