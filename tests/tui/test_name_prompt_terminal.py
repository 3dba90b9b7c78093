"""Leaving "Who is coordinating?" unanswered, in a real terminal (tmux), as a user runs it.

Nothing names the coordinator here (no --as, no $LASTGOOD_USER, git without a name,
the login "root"), so `start`, `demo` and `drill` ask first. Esc at the question, or
quitting (ctrl+q), opens nothing: each command says so in one line and exits 1.
`demo` and `drill` used to exit 0 ("no incident was declared", or nothing at all).
A scratch database made for the demo or the drill is removed again: nothing was
recorded in it.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from tests.cli_helpers import ROOT, lastgood_command
from tests.tmux import child_env
from tests.tui.tmux_server import tmux_server
from tests.waiting import poll_until

DEADLINE_S = 30.0
NOTHING_OPENED = (
    "nothing was opened: no one was named as coordinator "
    "(give the name with --as NAME or $LASTGOOD_USER)"
)


def _nameless_env(tmp_path: Path) -> dict[str, str]:
    """A shell that names no one: the login is root, git has no user.name."""
    return child_env(
        {
            "PYTHONPATH": str(ROOT),
            "TERM": "xterm-256color",
            "LOGNAME": "root",
            "USER": "root",
            "GIT_CONFIG_GLOBAL": "/dev/null",
            "GIT_CONFIG_NOSYSTEM": "1",
            "XDG_DATA_HOME": str(tmp_path / "xdg"),
            "TMPDIR": str(tmp_path / "tmp"),
        }
    )


@pytest.mark.parametrize(
    ("words", "key"),
    [
        (["demo"], "Escape"),
        (["drill", "--fault", "bad-release"], "Escape"),
        (["demo"], "C-q"),
        (["start", "--no-probes"], "C-q"),
    ],
    ids=["demo-esc", "drill-esc", "demo-quit", "start-quit"],
)
def test_leaving_the_name_prompt_opens_nothing_and_says_so(
    tmp_path: Path, words: list[str], key: str
) -> None:
    env = _nameless_env(tmp_path)
    (tmp_path / "tmp").mkdir()
    db = ["--db", str(tmp_path / "team.db")] if words[0] == "start" else []
    command = shlex.join([*lastgood_command(), *db, *words])
    status = tmp_path / "status"
    with tmux_server(env) as tmux:
        pane = tmux(
            "new-session", "-d", "-s", "lg", "-x", "100", "-y", "30", "-P", "-F", "#{pane_id}",
            "--", "sh", "-c", f'{command}; echo $? > "$0"', str(status),
        ).strip()  # fmt: skip
        tmux("set-option", "-g", "-w", "remain-on-exit", "on")
        tmux.wait_for(
            pane, "the name prompt", lambda s: "Who is coordinating?" in s, timeout=DEADLINE_S
        )
        tmux.keys(pane, key)
        poll_until(
            lambda: status.exists() and bool(status.read_text().strip()), "the exit", DEADLINE_S
        )
        after = tmux("capture-pane", "-p", "-J", "-S", "-", "-t", pane)
    assert status.read_text().strip() == "1", after
    assert f"lastgood {words[0]}: {NOTHING_OPENED}" in after, after
    assert "no incident was declared" not in after
    assert list((tmp_path / "tmp").iterdir()) == []  # no scratch database left behind
    assert not (tmp_path / "xdg").exists()  # nor the default one made
