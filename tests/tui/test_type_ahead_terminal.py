"""Editing keys typed ahead land in the field they were typed in, in a real terminal.

A laggy SSH link (or tmux, which writes a `send-keys` at once) delivers a burst of
keys in one read. Printable keys went where they were typed, but the keys a field
takes through a binding (Backspace, Delete, ctrl+w, ctrl+u, Home, the arrows) were
looked up only once they had bubbled up to the app, after the keys behind them: in
the declare form, "BSpace BSpace BSpace Tab" left Started at as it was and turned
the next field's `rollback` into `rollb`, and "5xx BSpace BSpace 00s" ended "5x00s"
minus two, since the letters typed after the Backspaces went in first.

Each burst below is one `send-keys` (one write to the terminal); the test waits for
what the whole burst shows, then declares and reads the record back.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.cli_helpers import Cli, lastgood_command
from tests.tmux import Tmux, app_env
from tests.tui.tmux_server import tmux_server

STARTED = (datetime.now(UTC) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:00Z")
"""An hour ago: the form refuses an impact that started over 7 days back."""


def typed(text: str) -> list[str]:
    """`text` as tmux key names, one a character, to go in one `send-keys` with others."""
    return ["Space" if char == " " else char for char in text]


def burst(tmux: Tmux, pane: str, *keys: str) -> None:
    """All of `keys` in one `send-keys`: one write to the pane's terminal."""
    tmux("send-keys", "-t", pane, *keys)


def field_line(screen: str, label: str) -> str:
    """The dialog line under the one that names `label` (where its value is drawn)."""
    lines = screen.splitlines()
    at = next(i for i, line in enumerate(lines) if f" {label} " in line)
    return lines[at + 1]


def focused_on(label: str) -> Callable[[str], bool]:
    """Whether the field labelled `label` has the focus (its label is marked)."""
    return lambda screen: f"› {label}" in screen


def test_editing_keys_in_a_burst_apply_in_order_to_the_field_they_were_typed_in(
    tmp_path: Path,
) -> None:
    cli = Cli(tmp_path / "typed.db", actor="ada")
    env = app_env(cli.db, tmp_path)
    start = shlex.join([*lastgood_command(), "start", "--no-probes"])
    with tmux_server(env) as tmux:
        tmux("new-session", "-d", "-s", "declare", "-x", "80", "-y", "24")
        pane = "declare:0"
        tmux.keys(pane, f"{start}; echo exit=$?", "Enter")
        tmux.wait_for(pane, "the declare form", lambda s: "Declare incident" in s, timeout=30)

        # Title: Backspaces between letters, then Tab.
        burst(tmux, pane, *typed("Checkout 5xx"), "BSpace", "BSpace", *typed("00s"), "Tab")
        tmux.wait_for(pane, "the severity focused", focused_on("Severity"))
        tmux.keys(pane, "Enter")
        tmux.wait_for(pane, "the severities", lambda s: "SEV4" in s)
        tmux.keys(pane, "Down", "Down", "Enter")
        tmux.wait_for(pane, "SEV2 chosen", lambda s: "SEV4" not in s and "SEV2" in s)

        # Commander: ctrl+u clears the coordinator's name it opens with (ada); Home and
        # Delete take out the stray first letter.
        burst(tmux, pane, "Tab", "C-u", "x", *typed("Ada"), "Home", "Delete", "Tab")
        tmux.wait_for(pane, "the issue focused", focused_on("Issue"))

        # Issue: ctrl+u clears the field, ctrl+w the last word.
        burst(tmux, pane, *typed("oops"), "C-u", *typed("db lock"), "C-w", *typed("lag"), "Tab")
        tmux.wait_for(pane, "the ETA focused", focused_on("ETA minutes"))

        # ETA: Home puts the 2 before the 0; Enter moves on.
        burst(tmux, pane, "0", "Home", "2", "Enter")
        tmux.wait_for(pane, "started at focused", focused_on("Started at"))

        # Started at: the review's burst, Backspaces then Tab.
        tmux.keys(pane, f"{STARTED}xyz", literal=True)
        tmux.wait_for(pane, "the time typed", lambda s: f"{STARTED}xyz" in s)
        burst(tmux, pane, "BSpace", "BSpace", "BSpace", "Tab")
        tmux.wait_for(pane, "the runbook focused", focused_on("Runbook"))
        screen = tmux.screen(pane)
        assert STARTED in field_line(screen, "Started at") and "xyz" not in screen
        assert "rollback" in field_line(screen, "Runbook")

        # Runbook: Backspaces then shift+Tab back; then Backspace then Enter.
        burst(tmux, pane, *typed("xy"), "BSpace", "BSpace", "BTab")
        tmux.wait_for(pane, "started at focused", focused_on("Started at"))
        burst(tmux, pane, "End", "Left", "Z", "BSpace", "Right", "Enter")
        tmux.wait_for(pane, "the runbook focused", focused_on("Runbook"))
        screen = tmux.screen(pane)
        assert STARTED in field_line(screen, "Started at")
        assert "rollback" in field_line(screen, "Runbook")

        tmux.keys(pane, "C-s")
        tmux.wait_for(
            pane,
            "the incident",
            lambda s: "Declare incident" not in s and "Checkout 500s" in s,
        )
        tmux.keys(pane, "q")
        tmux.wait_for(pane, "the app closed", lambda s: "exit=0" in s)

    incident = cli.ok("list").split()[0]
    declared = next(
        event["payload"]
        for event in json.loads(cli.ok("export", incident, "--format", "json"))["events"]
        if event["kind"] == "incident.declared"
    )
    fields = {key: declared[key] for key in ("title", "severity", "commander", "issue", "eta_min")}
    assert fields == {
        "title": "Checkout 500s",
        "severity": "SEV2",
        "commander": "Ada",
        "issue": "db lag",
        "eta_min": 20,
    }
    assert declared["runbook"]["runbook"] == "rollback"
    assert declared["started_at"].startswith(STARTED.removesuffix("Z")), declared
