"""`lastgood start ID` and `lastgood ID` open that incident, as `start --incident ID`
does: every other verb takes the ID in order, and `start ID` was refused
(`unrecognized arguments`). Two incidents are open, so without the ID the picker
would ask which."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from tests.cli_helpers import Cli, lastgood_command
from tests.tmux import app_env
from tests.tui.tmux_server import tmux_server


@pytest.mark.parametrize("words", [["start", "{id}"], ["{id}"]], ids=["start-ID", "bare-ID"])
def test_the_id_given_in_order_opens_that_incident(tmp_path: Path, words: list[str]) -> None:
    cli = Cli(tmp_path / "incident.db", actor="ada")
    declare = ("declare", "--severity", "SEV2", "--commander", "Ada", "--title")
    cli.ok(*declare, "Search is slow")
    wanted = cli.ok(*declare, "Checkout errors").strip()
    argv = [word.format(id=wanted) for word in words]
    start = shlex.join([*lastgood_command(), *argv, "--no-probes"])
    with tmux_server(app_env(cli.db, tmp_path)) as tmux:
        tmux("new-session", "-d", "-s", "rollback", "-x", "120", "-y", "40")
        pane = "rollback:0"
        tmux.keys(pane, f"{start}; echo exit=$?", "Enter")
        screen = tmux.wait_for(pane, "the incident", lambda s: "Checkout errors" in s, timeout=30)
        assert "Search is slow" not in screen  # the incident itself, not the picker
