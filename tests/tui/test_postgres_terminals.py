"""Three machines, one record: in real terminals, on a shared PostgreSQL.

The coordinator runs `lastgood start` and the comms lead `lastgood attach`, each in
its own tmux pane and process with its own connection; the database engineer
records a note with the CLI, a third process. Both screens must show the note. On
PostgreSQL a screen's tick reads no events (the live feed does), so the note can
only reach them through LISTEN/NOTIFY.
"""

from __future__ import annotations

import shlex
from pathlib import Path

from tests.cli_helpers import ROOT, Cli, lastgood_command
from tests.tmux import child_env
from tests.tui.tmux_server import tmux_server

NOTE = "replica lag back under 1s"


def test_a_note_from_the_cli_reaches_both_screens(pg_url: str, tmp_path: Path) -> None:
    cli = Cli(pg_url, actor="dba")  # type: ignore[arg-type]
    incident = cli.ok(
        "declare", "--title", "Checkout errors", "--severity", "SEV2", "--commander", "Ada"
    ).strip()
    env = child_env(
        {
            "PYTHONPATH": str(ROOT),
            "TERM": "xterm-256color",
            "LASTGOOD_DB": pg_url,
            "LASTGOOD_USER": "ada",
            "XDG_STATE_HOME": str(tmp_path / "xdg"),
        }
    )
    lastgood = shlex.join(lastgood_command())
    with tmux_server(env) as tmux:
        tmux("new-session", "-d", "-s", "rollback", "-x", "120", "-y", "40")
        coordinator = "rollback:0"
        tmux.keys(coordinator, f"{lastgood} start --incident {incident} --no-probes", "Enter")
        tmux("new-window", "-t", "rollback:1")
        follower = "rollback:1"
        tmux.keys(follower, f"{lastgood} attach {incident}", "Enter")
        for pane, ready in ((coordinator, "Checkout errors"), (follower, "FOLLOWING")):
            tmux.wait_for(pane, f"{ready} on screen", lambda s, r=ready: r in s, timeout=30)

        cli.ok("note", incident, NOTE)

        for pane in (coordinator, follower):
            tmux.wait_for(pane, "the CLI's note", lambda s: NOTE in s, timeout=15)
