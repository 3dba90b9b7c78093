"""At most 20 keys from the demo's first frame to "service verified", in a real terminal.

tmux runs the real `lastgood demo --db FILE` at 80x24 with its built-in shop on
loopback. The driver (`tests/demo_keys.py`) presses only the key the guidance panel
names, one decision at a time, waiting on the screen before each; a typed reason
counts as one key. The test fails above 20 keys, and when the screen does not show
phases 1 to 3 done; the record must agree.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.cli_helpers import ROOT, Cli, lastgood_command
from tests.demo_keys import KeyDriver, demo_env, start_demo, to_verified
from tests.tmux import Tmux, TmuxError
from tests.tui.tmux_server import tmux_server
from tests.waiting import poll_until

MAX_KEYS = 20


def test_the_demo_reaches_verified_in_at_most_20_keys(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    with tmux_server(demo_env(ROOT, tmp_path / "xdg")) as tmux:
        pane = start_demo(tmux, lastgood_command(), db)
        driver = KeyDriver(tmux, pane)
        screen = to_verified(driver)
        keys = "\n".join(driver.log)
        assert driver.total <= MAX_KEYS, f"{driver.total} keys to verified:\n{keys}"
        assert screen.count("✓ DONE") >= 3, screen
        found = re.search(r"INC-[0-9]{8}-[0-9A-F]{4}", screen)
        assert found is not None, screen
        tmux.keys(pane, "q")
        poll_until(lambda: demo_gone(tmux, pane), "the demo gone", 60)

    status = json.loads(Cli(db, actor="Ada").ok("status", found.group(0), "--json"))
    verify = {s["id"]: s["state"] for s in status["steps"] if s["phase"] == "verify"}
    assert verify == {"confirm-version": "done", "check-health": "done", "smoke-test": "done"}


def demo_gone(tmux: Tmux, pane: str) -> bool:
    """The demo has left its screen; or it has ended, its pane and (the last session
    gone) the tmux server with it, which a capture between two polls met in CI."""
    try:
        screen = tmux.screen(pane)
    except TmuxError:
        return True
    return "Reopen it" in screen or "INC-" not in screen
