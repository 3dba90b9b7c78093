"""`lastgood demo` in a real terminal (tmux): where it records, and how to come back.

Without `--db` the demo keeps a scratch database and, once the TUI is gone, says in
one line where it is and the command that reopens the incident; that command, run as
printed, opens it. With `--db` the demo records into that file, and a bare
`lastgood --db FILE --no-probes` opens the incident there. Every wait polls the pane
against a deadline.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from tests.cli_helpers import ROOT, lastgood_command
from tests.tmux import Tmux
from tests.tui.tmux_server import tmux_server
from tests.waiting import poll_until

WIDTH, HEIGHT = 100, 30
DEADLINE_S = 30.0
FAREWELL = re.compile(
    r"Reopen it: (lastgood --db .+ start --incident (INC-\S+) --no-probes --as Ada)$", re.MULTILINE
)
"""The command printed: with the shop gone, its probes off (else their triggers turn met)."""


def _env(tmp_path: Path) -> dict[str, str]:
    """A coordinator's shell: named, no database chosen, a data home of the test's own."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TEXTUAL", "TMUX", "LASTGOOD_")) and key not in ("COLUMNS", "LINES")
    }
    env.update(
        TERM="xterm-256color",
        LASTGOOD_USER="Ada",
        PYTHONPATH=str(ROOT),
        XDG_DATA_HOME=str(tmp_path / "xdg"),
    )
    return env


def _run(tmux: Tmux, tmp_path: Path, name: str, words: list[str], shows: str = "INC-") -> str:
    """`lastgood WORDS` in a new window; q once `shows` is on screen; the pane after."""
    env = {k: tmux.env[k] for k in ("TERM", "LASTGOOD_USER", "PYTHONPATH", "XDG_DATA_HOME")}
    command = shlex.join(["env", *(f"{k}={v}" for k, v in env.items()), *words])
    status = tmp_path / f"{name}.status"
    shell = ["sh", "-c", f'{command}; echo $? > "$0"', str(status)]
    if _has_session(tmux):
        pane = tmux("new-window", "-d", "-P", "-F", "#{pane_id}", "-t", "lg:", "--", *shell)
    else:
        pane = tmux(
            "new-session", "-d", "-s", "lg", "-x", str(WIDTH), "-y", str(HEIGHT),
            "-P", "-F", "#{pane_id}", "--", *shell,
        )  # fmt: skip
        tmux("set-option", "-g", "-w", "remain-on-exit", "on")
    pane = pane.strip()
    tmux.wait_for(pane, f"{shows} on screen", lambda s: shows in s, timeout=DEADLINE_S)
    tmux.keys(pane, "q")
    deadline = time.monotonic() + DEADLINE_S
    while not status.exists() or not status.read_text().strip():
        if time.monotonic() > deadline:
            pytest.fail(f"lastgood {words[1:]} did not quit; screen:\n{tmux.screen(pane)}")
        time.sleep(0.05)
    assert status.read_text().strip() == "0", tmux.screen(pane)
    return tmux("capture-pane", "-p", "-J", "-S", "-", "-t", pane)  # the history too


def _has_session(tmux: Tmux) -> bool:
    done = subprocess.run(
        ["tmux", "-L", tmux.socket, "has-session", "-t", "lg"],
        env=tmux.env,
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


def _list(env: dict[str, str], db: Path) -> list[dict[str, object]]:
    done = subprocess.run(
        [*lastgood_command(), "--db", str(db), "list", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    listed: list[dict[str, object]] = json.loads(done.stdout)
    return listed


def test_demo_without_db_says_where_and_the_printed_command_reopens_it(tmp_path: Path) -> None:
    env = _env(tmp_path)
    with tmux_server(env) as tmux:
        after = _run(tmux, tmp_path, "demo", [*lastgood_command(), "demo"])
        found = FAREWELL.search(after)
        assert found, f"no reopen line after the demo:\n{after}"
        reopen, incident_id = shlex.split(found.group(1)), found.group(2)
        db = Path(reopen[2])
        assert db.name == "demo.db" and db.parent.name.startswith("lastgood-demo-")
        assert [i["id"] for i in _list(env, db)] == [incident_id]
        assert not (tmp_path / "xdg").exists(), "the demo wrote to the default database"
        again = _run(tmux, tmp_path, "reopen", [*lastgood_command(), *reopen[1:]], incident_id)
        assert "Reopen it" not in again  # start, not the demo
    shutil.rmtree(db.parent)


def test_demo_records_into_db_and_bare_lastgood_no_probes_opens_it(tmp_path: Path) -> None:
    env = _env(tmp_path)
    db = tmp_path / "team.db"
    with tmux_server(env) as tmux:
        after = _run(tmux, tmp_path, "demo", [*lastgood_command(), "demo", "--db", str(db)])
        (incident,) = _list(env, db)
        reopen = f"lastgood --db {db} start --incident {incident['id']} --no-probes"
        assert f"Reopen it: {reopen}" in after
        bare = [*lastgood_command(), "--db", str(db), "--no-probes"]
        _run(tmux, tmp_path, "bare", bare, str(incident["id"]))
    assert not (tmp_path / "xdg").exists()


def test_a_drill_in_a_terminal_shows_its_score_card_when_closed_from_elsewhere(
    tmp_path: Path,
) -> None:
    """`lastgood drill` against the demo's shop: the screen names the shop (curled here), a
    second terminal closes the drill, the screen shows the score card, and after the TUI
    the card is printed; `list` leaves the drill out."""
    env = _env(tmp_path)
    db = tmp_path / "drills.db"
    words = [*lastgood_command(), "drill", "--fault", "bad-release", "--db", str(db)]
    command = shlex.join(["env", *(f"{k}={env[k]}" for k in ("TERM", "LASTGOOD_USER",
                                                             "PYTHONPATH", "XDG_DATA_HOME")),
                          *words])  # fmt: skip
    status = tmp_path / "drill.status"
    with tmux_server(env) as tmux:
        pane = tmux(
            "new-session", "-d", "-s", "lg", "-x", str(WIDTH), "-y", str(HEIGHT),
            "-P", "-F", "#{pane_id}", "--", "sh", "-c", f'{command}; echo $? > "$0"', str(status),
        ).strip()  # fmt: skip
        tmux("set-option", "-g", "-w", "remain-on-exit", "on")
        tmux.wait_for(pane, "the drill's screen", lambda s: "INC-" in s, timeout=DEADLINE_S)
        # The panel's title names the shop once it is laid out (its width says how much).
        tmux.wait_for(pane, "the shop named", lambda s: "Production · " in s, timeout=DEADLINE_S)
        running = tmux.screen(pane)
        assert "bad-release" not in running and "bad release" not in running, running
        named = re.search(r"Production · (\S+) ─", running)  # the shop, for the player to curl
        assert named, running
        shop = named[1] if named[1].startswith("http://") else f"http://{named[1]}"
        assert httpx.get(f"{shop}/version", timeout=5).json()["version"] == "2.4.1"
        assert _list(env, db) == []  # drills are left out of `list`
        listed = subprocess.run(
            [*lastgood_command(), "--db", str(db), "list", "--drills", "--json"],
            env=env, capture_output=True, text=True, timeout=60, check=True,
        )  # fmt: skip
        [drill] = json.loads(listed.stdout)
        assert drill["drill"] == "hidden"  # the coordinator is still looking for it
        subprocess.run(
            [*lastgood_command(), "--db", str(db), "--as", "Bo", "close", str(drill["id"]),
             "--force", "--reason", "rehearsal over"],
            env=env, capture_output=True, text=True, timeout=60, check=True,
        )  # fmt: skip
        tmux.wait_for(pane, "the score card", lambda s: "Drill score card" in s, timeout=DEADLINE_S)
        tmux.keys(pane, "q")  # the card
        tmux.wait_for(
            pane, "the card closed", lambda s: "Drill score card" not in s, timeout=DEADLINE_S
        )
        tmux.keys(pane, "q")  # the app
        poll_until(lambda: status.exists() and bool(status.read_text().strip()), "the quit",
                   DEADLINE_S)  # fmt: skip
        assert status.read_text().strip() == "0", tmux.screen(pane)
        after = tmux("capture-pane", "-p", "-J", "-S", "-", "-t", pane)
    assert f"Drill {drill['id']} (closed): A bad release with rising errors" in after, after
    assert re.search(r"Score: \d of 8 met", after), after
