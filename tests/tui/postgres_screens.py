"""Two screens on one PostgreSQL incident, in real terminals: what the PostgreSQL
terminal tests share. The coordinator runs `lastgood start` in tmux window 0, the
comms lead `lastgood attach` in window 1, each a process with its own connection."""

from __future__ import annotations

import shlex
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from tests.cli_helpers import Cli, lastgood_command
from tests.tmux import Tmux, app_env
from tests.tui.tmux_server import tmux_server

TITLE = "Checkout errors"


class Screens(NamedTuple):
    tmux: Tmux
    incident: str
    coordinator: str
    follower: str


@contextmanager
def two_screens(url: str, tmp_path: Path) -> Iterator[Screens]:
    """An incident declared at `url`, open on both screens once each shows it."""
    cli = Cli(url, actor="dba")  # type: ignore[arg-type]
    incident = cli.ok(
        "declare", "--title", TITLE, "--severity", "SEV2", "--commander", "Ada"
    ).strip()
    env = app_env(url, tmp_path)
    lastgood = shlex.join(lastgood_command())
    with tmux_server(env) as tmux:
        tmux("new-session", "-d", "-s", "rollback", "-x", "120", "-y", "40")
        coordinator = "rollback:0"
        tmux.keys(coordinator, f"{lastgood} start --incident {incident} --no-probes", "Enter")
        tmux("new-window", "-t", "rollback:1")
        follower = "rollback:1"
        tmux.keys(follower, f"{lastgood} attach {incident}", "Enter")
        for pane, ready in ((coordinator, TITLE), (follower, "FOLLOWING")):
            tmux.wait_for(pane, f"{ready} on screen", lambda s, r=ready: r in s, timeout=30)
        yield Screens(tmux, incident, coordinator, follower)
