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

from pathlib import Path

from tests.cli_helpers import Cli
from tests.postgres_server import Cluster
from tests.tui.postgres_screens import two_screens

TYPED = "failover done; replica promoted"
FROM_CLI = "replica lag back under 1s"
LOST = "Database unreachable, retrying"
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
    with two_screens(url, tmp_path) as (tmux, incident, coordinator, follower):
        pg_cluster.stop()
        try:
            tmux.wait_for(coordinator, "the lost toast", lambda s: LOST in s)
            tmux.keys(coordinator, "n")
            tmux.wait_for(coordinator, "the note form", lambda s: FORM in s)
            tmux.keys(coordinator, TYPED, literal=True)
            tmux.wait_for(coordinator, "the typed note", lambda s: TYPED in s)
            tmux.keys(coordinator, "C-s")
            tmux.wait_for(coordinator, "the refusal", lambda s: REFUSED in s and FORM in s)
        finally:
            pg_cluster.start()

        for pane in (coordinator, follower):
            tmux.wait_for(pane, "the reconnected toast", lambda s: BACK in s)
        tmux.keys(coordinator, "C-s")
        tmux.wait_for(coordinator, "the saved note", lambda s: TYPED in s and FORM not in s)

        cli.ok("note", incident, FROM_CLI)
        for pane in (coordinator, follower):
            tmux.wait_for(pane, "the CLI's note", lambda s: FROM_CLI in s)

    timeline = cli.ok("timeline", incident)
    assert timeline.count(TYPED) == 1, timeline
    # Recorded with when it was first submitted, after its text.
    assert f"Note: {TYPED} (written at " in timeline and "UTC, recorded late)" in timeline
    assert timeline.count(FROM_CLI) == 1, timeline
    cli.ok("verify", incident)
