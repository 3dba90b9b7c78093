"""Three machines, one record: in real terminals, on a shared PostgreSQL.

The coordinator runs `lastgood start` and the comms lead `lastgood attach`, each in
its own tmux pane and process with its own connection; the database engineer
records a note with the CLI, a third process. Both screens must show the note. On
PostgreSQL a screen's tick reads no events (the live feed does), so the note can
only reach them through LISTEN/NOTIFY.
"""

from __future__ import annotations

from pathlib import Path

from tests.cli_helpers import Cli
from tests.tui.postgres_screens import two_screens

NOTE = "replica lag back under 1s"


def test_a_note_from_the_cli_reaches_both_screens(pg_url: str, tmp_path: Path) -> None:
    with two_screens(pg_url, tmp_path) as (tmux, incident, coordinator, follower):
        Cli(pg_url, actor="dba").ok("note", incident, NOTE)  # type: ignore[arg-type]

        for pane in (coordinator, follower):
            tmux.wait_for(pane, "the CLI's note", lambda s: NOTE in s)
