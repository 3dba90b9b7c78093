"""The PostgreSQL server restarts under open screens: in real terminals, they carry on.

The coordinator runs `lastgood start` and the comms lead `lastgood attach`, each in
its own tmux window, on the test's own cluster. The server is stopped: the
coordinator is told the connection is lost, and a note typed then is refused in one
line and stays in its dialog. The server starts again: the screens say they
reconnected, the same note is saved from the dialog and shows, and the CLI's
timeline has it once. A note the CLI records after the restart reaches both
screens, which on PostgreSQL can only happen through the live feed listening again
(their tick reads no events there).
"""

from __future__ import annotations

import shlex
from pathlib import Path

from tests.cli_helpers import ROOT, Cli, lastgood_command
from tests.postgres_server import Cluster
from tests.tmux import child_env
from tests.tui.tmux_server import tmux_server

TYPED = "failover done; replica promoted"
FROM_CLI = "replica lag back under 1s"
LOST = "Lost the connection"
BACK = "Reconnected to"
FORM = "ctrl+s submit"
REFUSED = "refused"
"""In the form's one-line refusal: "connection refused (is PostgreSQL running there?)"."""


def test_screens_reconnect_after_the_server_restarts(
    pg_cluster: Cluster, pg_url: str, tmp_path: Path
) -> None:
    # Over TCP, as from another machine: a stopped server refuses the connection.
    url = pg_cluster.tcp_url(database=pg_url.split("@/", 1)[1].split("?", 1)[0])
    cli = Cli(url, actor="dba")  # type: ignore[arg-type]
    incident = cli.ok(
        "declare", "--title", "Checkout errors", "--severity", "SEV2", "--commander", "Ada"
    ).strip()
    env = child_env(
        {
            "PYTHONPATH": str(ROOT),
            "TERM": "xterm-256color",
            "LASTGOOD_DB": url,
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

        pg_cluster.stop()
        try:
            tmux.wait_for(coordinator, "the lost toast", lambda s: LOST in s, timeout=15)
            tmux.keys(coordinator, "n")
            tmux.wait_for(coordinator, "the note form", lambda s: FORM in s, timeout=15)
            tmux.keys(coordinator, TYPED, literal=True)
            tmux.wait_for(coordinator, "the typed note", lambda s: TYPED in s)
            tmux.keys(coordinator, "C-s")
            tmux.wait_for(coordinator, "the refusal", lambda s: REFUSED in s and FORM in s)
        finally:
            pg_cluster.start()

        for pane in (coordinator, follower):
            tmux.wait_for(pane, "the reconnected toast", lambda s: BACK in s, timeout=15)
        tmux.keys(coordinator, "C-s")
        tmux.wait_for(coordinator, "the saved note", lambda s: TYPED in s and FORM not in s)

        cli.ok("note", incident, FROM_CLI)
        for pane in (coordinator, follower):
            tmux.wait_for(pane, "the CLI's note", lambda s: FROM_CLI in s, timeout=15)

    timeline = cli.ok("timeline", incident)
    assert timeline.count(TYPED) == 1, timeline
    assert timeline.count(FROM_CLI) == 1, timeline
    cli.ok("verify", incident)
