"""What `keypress_latency.py` sets up before it presses anything.

Two runbooks generated from `runbooks/rollback.yaml` (one whose probes are N http
probes of the probe farm, polled every second; one without probes), each with an
extra last phase of plain steps for the step-check presses; the probe farm in a
child process; and the `lastgood` commands that declare and read the incidents.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from terminal import ROOT, BenchError

# `terminal` put the repository root on sys.path.
from incident.core.events import parse_timestamp
from runbooks import validate_runbook_file

SOURCE_RUNBOOK = ROOT / "runbooks" / "rollback.yaml"
PROBE_BACKED_TRIGGERS = ("metric", "consecutive_failures")
NAMED_PROBES = ("health", "version", "error-rate")
"""The probe names the rollback runbook's triggers and verification steps use."""
CHECK_PHASE_TITLE = "Bench checks"
CHECK_STEP_TITLE = "Bench step {:03d}"
"""How the step-check presses find the step they checked: `[x] Bench step 007`."""


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


def with_check_phase(data: dict[str, Any], steps: int) -> dict[str, Any]:
    """A last phase of `steps` plain steps, nothing gating them, for `space` to check."""
    phase = {
        "id": "bench-checks",
        "title": CHECK_PHASE_TITLE,
        "steps": [
            {"id": f"bench-{n:03d}", "title": CHECK_STEP_TITLE.format(n), "required": False}
            for n in range(1, steps + 1)
        ],
    }
    return dict(data, phases=[*data["phases"], phase])


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


def runbooks(directory: Path, port: int, count: int, checks: int) -> tuple[Path, Path]:
    """(with `count` farm probes, without probes), both with `checks` steps to check."""
    source = source_runbook()
    with_probes = dict(source, runbook="bench-probes", probes=probe_list(port, count))
    bare = dict(without_probes(source_runbook()), runbook="bench-no-probes")
    return (
        write_runbook(with_check_phase(with_probes, checks), directory / "probes.yaml"),
        write_runbook(with_check_phase(bare, checks), directory / "no-probes.yaml"),
    )


# --- the CLI ----------------------------------------------------------------------------


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


# --- the probe farm ---------------------------------------------------------------------


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
        # The farm stands in for production, which runs elsewhere, not on the
        # coordinator's cores: at the lowest priority it takes only what the app and
        # its poller leave, as remote services would.
        os.setpriority(os.PRIO_PROCESS, self.process.pid, 19)
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
