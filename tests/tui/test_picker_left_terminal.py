"""Leaving the incident picker opens nothing, and says so (review 6 #15), in a real
terminal (tmux) as a user runs it: two incidents open in a shared file, `lastgood
--as Bo`, then Esc (or ctrl+q) at "Open incidents". It dropped back to the shell
with no word and exit 0; the name prompt says what it did not open and exits 1.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from incident import commands
from incident.core.clock import ManualClock
from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import ROOT, lastgood_command
from tests.tmux import child_env
from tests.tui.tmux_server import tmux_server
from tests.waiting import poll_until
from tui.demo.scenarios import DECLARATION, SCENARIO_T0, bundled_runbook

DEADLINE_S = 30.0
NOTHING_PICKED = (
    "nothing was opened: no incident was picked "
    "(lastgood start ID opens one; lastgood list lists them)"
)


def two_open(db: Path) -> None:
    clock = ManualClock(SCENARIO_T0)
    runbook = bundled_runbook()
    with SqliteEventLog.open(db) as log:
        for incident_id in ("INC-20261128-AAAA", "INC-20261128-BBBB"):
            declared = commands.declare(
                runbook, DECLARATION, actor="ada", clock=clock, incident_id=incident_id
            )
            log.append([declared])


@pytest.mark.parametrize("key", ["Escape", "C-q"], ids=["esc", "quit"])
def test_leaving_the_picker_opens_nothing_and_says_so(tmp_path: Path, key: str) -> None:
    db = tmp_path / "shared.db"
    two_open(db)
    env = child_env({"PYTHONPATH": str(ROOT), "TERM": "xterm-256color"})
    command = shlex.join([*lastgood_command(), "--db", str(db), "--as", "Bo", "--no-probes"])
    status = tmp_path / "status"
    with tmux_server(env) as tmux:
        pane = tmux(
            "new-session", "-d", "-s", "lg", "-x", "80", "-y", "24", "-P", "-F", "#{pane_id}",
            "--", "sh", "-c", f'{command}; echo $? > "$0"', str(status),
        ).strip()  # fmt: skip
        tmux("set-option", "-g", "-w", "remain-on-exit", "on")
        tmux.wait_for(pane, "the picker", lambda s: "Open incidents" in s, timeout=DEADLINE_S)
        tmux.keys(pane, key)
        poll_until(
            lambda: status.exists() and bool(status.read_text().strip()), "the exit", DEADLINE_S
        )
        after = tmux("capture-pane", "-p", "-J", "-S", "-", "-t", pane)
    assert status.read_text().strip() == "1", after
    assert f"lastgood start: {NOTHING_PICKED}" in after, after
