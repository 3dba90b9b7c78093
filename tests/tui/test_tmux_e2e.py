"""End to end in a real terminal: tmux drives `lastgood start`, then kills it mid-incident.

The coordinator checks two steps and skips a third, the process is SIGKILLed the
moment the screen shows it, and a fresh `lastgood start` must show exactly the same
checklist, with `lastgood status --json` agreeing. Every wait polls the screen
(`capture-pane`) against a deadline; nothing relies on a fixed sleep.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import time
from contextlib import suppress
from pathlib import Path
from typing import Any

import pytest

from tests.cli_helpers import ROOT, Cli, lastgood_command
from tests.process_tree import descendants
from tests.tmux import Tmux, child_env
from tests.tui.tmux_server import tmux_server

WIDTH, HEIGHT = 100, 30
ACTOR = "tmux-tester"
SKIP_REASON = "the team was paged by the deploy bot"
DEADLINE_S = 60.0
"""A net against a hang (lastgood still running after q or a kill), not a measure."""


def _terminal_env(db: Path) -> dict[str, str]:
    """What the pane runs with: this test's choices, nothing inherited that could differ."""
    return child_env(
        {
            "TERM": "xterm-256color",
            "COLUMNS": str(WIDTH),
            "LINES": str(HEIGHT),
            "LASTGOOD_DB": str(db),
            "LASTGOOD_ACTOR": ACTOR,
            "PYTHONPATH": str(ROOT),
        }
    )


def _start_lastgood(tmux: Tmux, cwd: Path, *, first: bool) -> str:
    """`lastgood start` in a new 100x30 window; returns its pane id."""
    names = ("TERM", "COLUMNS", "LINES", "LASTGOOD_DB", "LASTGOOD_ACTOR", "PYTHONPATH")
    pinned = [f"{name}={tmux.env[name]}" for name in names]
    # --no-probes: the bundled runbook's probes point at placeholder loopback ports;
    # this test is about the checklist surviving SIGKILL, not about polling.
    start = shlex.join(["env", *pinned, *lastgood_command(), "start", "--no-probes"])
    # The exit code goes to a file: tmux fills in #{pane_dead_status} only some time
    # after it marks the pane dead, and not reliably.
    command = ["sh", "-c", f'{start}; echo $? > "$0"', str(cwd / "exit-status")]
    where = (
        ["new-session", "-d", "-s", "lg", "-x", str(WIDTH), "-y", str(HEIGHT)]
        if first
        else ["new-window", "-d", "-t", "lg:"]
    )
    pane = tmux(*where, "-P", "-F", "#{pane_id}", "-c", str(cwd), "--", *command).strip()
    if first:
        # Panes outlive their process (killed or quit), so the server stays and they
        # can be asked how it ended.
        tmux("set-option", "-g", "-w", "remain-on-exit", "on")
    size = tmux.show(pane, "#{window_width}x#{window_height}")
    assert size == f"{WIDTH}x{HEIGHT}", f"window is {size}, not {WIDTH}x{HEIGHT}"
    return pane


def _mark(screen: str, title: str) -> str | None:
    """The checklist mark (`x`, `-`, ` `, `!`) in front of a step title, if shown."""
    found = re.search(r"\[(.)\] " + re.escape(title), screen)
    return found.group(1) if found else None


def _to_step(index: int) -> list[str]:
    """Keys that highlight the checklist's step at `index`, wherever the highlight is."""
    return ["Home", *["Down"] * index]


def _sigkill_pane(tmux: Tmux, pane: str) -> None:
    """kill -9 the process the pane runs (lastgood) and anything it started."""
    pid = int(tmux.show(pane, "#{pane_pid}"))
    cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    assert "lastgood" in cmdline or "tui.cli" in cmdline, f"pane runs {cmdline!r}, not lastgood"
    for victim in [*descendants(pid), pid]:
        with suppress(ProcessLookupError):
            os.kill(victim, signal.SIGKILL)
    _wait_dead(tmux, pane, "the killed lastgood")
    died_of = tmux.show(pane, "#{pane_dead_signal}")  # empty before tmux 3.3
    assert died_of in ("", str(int(signal.SIGKILL))), f"lastgood died of signal {died_of}"


def _wait_dead(tmux: Tmux, pane: str, what: str) -> None:
    deadline = time.monotonic() + DEADLINE_S
    while tmux.show(pane, "#{pane_dead}") != "1":
        if time.monotonic() > deadline:
            pytest.fail(f"{what} is still running; screen:\n{tmux.screen(pane)}")
        time.sleep(0.05)


def _declare(cli: Cli) -> tuple[str, list[dict[str, Any]]]:
    """An incident declared through the CLI; its id and phase 1's first three steps, the
    second and third done by the declaration (it names the channel and the commander),
    and its sixth, assemble-team."""
    incident_id = cli.ok(
        "declare",
        "--title", "Checkout 500s after 2.4.1",
        "--severity", "SEV2",
        "--commander", "Ada",
        "--pattern", "blue-green",
        "--channel", "#inc-checkout",  # which does create-channel, as the commander does hers
    ).strip()  # fmt: skip
    status = json.loads(cli.ok("status", incident_id, "--json"))
    phase_one = [s for s in status["steps"] if s["phase"] == status["phases"][0]["id"]]
    return incident_id, [*phase_one[:3], phase_one[SKIPPED]]


SKIPPED = 5
"""Where assemble-team stands in phase 1's checklist: the step skipped."""


def _marks(screen: str, titles: list[str]) -> list[str | None]:
    return [_mark(screen, title) for title in titles]


def test_checklist_survives_sigkill(tmp_path: Path) -> None:
    db = tmp_path / "incident.db"
    cli = Cli(db, actor=ACTOR)
    incident_id, steps = _declare(cli)
    titles = [step["title"] for step in steps]

    with tmux_server(_terminal_env(db)) as tmux:
        pane = _start_lastgood(tmux, tmp_path, first=True)
        tmux.wait_for(pane, "the phase 1 checklist", lambda s: _mark(s, titles[0]) == " ")

        # Home, then Down to the step: whether or not the highlight advances after a check.
        tmux.keys(pane, *_to_step(0), "Space")
        tmux.wait_for(pane, f"'{titles[0]}' checked", lambda s: _mark(s, titles[0]) == "x")
        assert _marks(tmux.screen(pane), titles[1:3]) == ["x", "x"]  # by the declaration
        tmux.keys(pane, *_to_step(SKIPPED), "s")
        prompt = f"step: {titles[3].lower()}"
        tmux.wait_for(pane, "the skip reason prompt", lambda s: prompt in s.lower())
        tmux.keys(pane, SKIP_REASON, literal=True)
        tmux.wait_for(pane, "the typed reason", lambda s: SKIP_REASON in s)
        tmux.keys(pane, "Enter")
        screen = tmux.wait_for(pane, f"'{titles[3]}' skipped", lambda s: _mark(s, titles[3]) == "-")
        assert _marks(screen, titles) == ["x", "x", "x", "-"], screen

        _sigkill_pane(tmux, pane)

        again = _start_lastgood(tmux, tmp_path, first=False)
        screen = tmux.wait_for(
            again, "the checklist after restart", lambda s: None not in _marks(s, titles)
        )
        assert _marks(screen, titles) == ["x", "x", "x", "-"], screen

        status = json.loads(cli.ok("status", incident_id, "--json"))
        recorded = {s["id"]: s for s in status["steps"]}
        after = [recorded[step["id"]] for step in steps]
        assert [s["state"] for s in after] == ["done", "done", "done", "skipped"]
        assert after[3]["reason"] == SKIP_REASON
        assert {s["by"] for s in after} == {ACTOR}

        tmux.keys(again, "q")
        _wait_dead(tmux, again, "lastgood, after q,")
        exit_status = tmp_path / "exit-status"
        deadline = time.monotonic() + DEADLINE_S
        while not exit_status.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert exit_status.read_text().strip() == "0", "lastgood did not exit 0 after q"
