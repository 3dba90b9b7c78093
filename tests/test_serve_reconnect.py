"""The browser's view after a dropped connection (UX review 13, #10): it said "Session
ended." with a Restart button, for good, and read as if the incident had ended.

The view only reads, so the page reconnects by itself: textual.js marks the body
`-closed`; the page's own script says when the connection was lost, asks the server
for the page again after 1, 2, 4 ... 30 s, and reloads once it answers. The script is
the one a real `serve` sends, run in Node (`tests/reconnect_harness.js`) with the
page's body and timers stood in for and Node's real fetch against a real server.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import httpx

from tests.cli_helpers import ROOT, Cli
from tests.test_serve import declared, free_port, serving

HARNESS = ROOT / "tests" / "reconnect_harness.js"
LOST = re.compile(r"Connection lost at \d\d:\d\d:\d\d \u2014 reconnecting")


def run_script(script: str, *, down: str, up: str, tries: int, stored: str | None = None) -> dict:
    node = shutil.which("node")
    assert node, "the page's script runs in Node, which machines of this kind have"
    asked = {"script": script, "down": down, "up": up, "downTries": tries, "stored": stored}
    done = subprocess.run(
        [node, str(HARNESS)], input=json.dumps(asked), capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    result: dict = json.loads(done.stdout)
    return result


def test_a_dropped_view_says_when_and_reconnects_with_backoff(tmp_path):
    cli = Cli(tmp_path / "serve.db")
    incident_id = declared(cli)
    with serving(cli, incident_id, logs=tmp_path) as (port, _):
        page = httpx.get(f"http://127.0.0.1:{port}/", timeout=10).text
        assert "Session ended." not in page
        found = re.search(r'<script id="reconnect">(.*?)</script>', page, re.DOTALL)
        assert found is not None, "no reconnect script in the page"
        up = f"http://127.0.0.1:{port}/"
        down = f"http://127.0.0.1:{free_port()}/"  # nothing listens: the tunnel is down

        ran = run_script(found.group(1), down=down, up=up, tries=4)
        assert ran["reloaded"]  # once the server answered
        assert ran["delays"] == [1000, 2000, 4000, 8000, 16000]
        assert all(LOST.match(line) for line in ran["said"]), ran["said"]
        assert ran["said"][0].endswith("reconnecting in 1 s")
        assert len({line[19:27] for line in ran["said"]}) == 1  # one time: when it was lost

        # Reloaded, and the WebSocket refused again: the tries go on where they were,
        # the same time said, never more than 30 s apart.
        again = run_script(found.group(1), down=down, up=up, tries=2, stored=ran["stored"])
        assert again["delays"] == [30000, 30000, 30000] and again["reloaded"]
        assert again["said"][0] == ran["said"][0].replace("in 1 s", "in 30 s")
