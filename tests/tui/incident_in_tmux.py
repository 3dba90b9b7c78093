"""An incident declared through the CLI and opened with `lastgood start` in a real
120x40 terminal: the set-up of the tests that type or paste into the running app."""

from __future__ import annotations

import shlex
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.cli_helpers import Cli, lastgood_command
from tests.tmux import Tmux, app_env
from tests.tui.tmux_server import tmux_server


def declared_incident(tmp_path: Path) -> tuple[Cli, str]:
    """A CLI on a new record in `tmp_path`, Ada acting, and the incident it declared."""
    cli = Cli(tmp_path / "incident.db", actor="ada")
    incident = cli.ok(
        "declare", "--title", "Checkout errors", "--severity", "SEV2", "--commander", "Ada"
    ).strip()
    return cli, incident


@contextmanager
def incident_open(cli: Cli, incident: str, tmp_path: Path) -> Iterator[tuple[Tmux, str]]:
    """`lastgood start` on the incident in a real 120x40 terminal, without probes."""
    env = app_env(cli.db, tmp_path)
    start = shlex.join([*lastgood_command(), "start", "--incident", incident, "--no-probes"])
    with tmux_server(env) as tmux:
        tmux("new-session", "-d", "-s", "rollback", "-x", "120", "-y", "40")
        pane = "rollback:0"
        tmux.keys(pane, f"{start}; echo exit=$?", "Enter")
        tmux.wait_for(pane, "the incident", lambda s: "Checkout errors" in s, timeout=30)
        yield tmux, pane


@contextmanager
def note_dialog(cli: Cli, incident: str, tmp_path: Path) -> Iterator[tuple[Tmux, str]]:
    """As `incident_open`, its note dialog open (`n`)."""
    with incident_open(cli, incident, tmp_path) as (tmux, pane):
        tmux.keys(pane, "n")
        tmux.wait_for(pane, "the note dialog", lambda s: "Text *" in s)
        yield tmux, pane
