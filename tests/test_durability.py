"""What a command reported as done survives `kill -9`.

A shell loop records notes through the real CLI and writes down each one whose
`lastgood` process exited 0; the whole process group is then SIGKILLed mid-stream,
possibly inside a write. Every note written down must be in the log, the chain
must verify, and a fresh process must carry on appending.
"""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import time

from tests.cli_helpers import Cli, lastgood_command


def test_every_acknowledged_command_survives_sigkill(tmp_path):
    cli = Cli(tmp_path / "durable.db")
    incident_id = cli.ok(
        "declare", "--title", "Durability", "--severity", "SEV3", "--commander", "A"
    ).strip()
    acknowledged = tmp_path / "acknowledged.txt"
    lastgood = " ".join(shlex.quote(part) for part in lastgood_command())
    loop = (
        "for i in $(seq 1 500); do "
        f'{lastgood} note {incident_id} "note $i" >/dev/null && echo $i >> {acknowledged}; '
        "done"
    )
    writer = subprocess.Popen(["bash", "-c", loop], env=cli.env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if acknowledged.exists() and len(acknowledged.read_text().split()) >= 8:
            break
        time.sleep(0.05)
    time.sleep(0.13)  # land somewhere inside a later command, not on a boundary
    os.killpg(writer.pid, signal.SIGKILL)
    writer.wait()

    done = [int(n) for n in acknowledged.read_text().split()]
    assert len(done) >= 8, "the writer never got going"

    exported = cli.ok("export", incident_id, "--format", "json")
    events = json.loads(exported)["events"]
    recorded = {e["payload"]["text"] for e in events if e["kind"] == "note.added"}
    missing = [n for n in done if f"note {n}" not in recorded]
    assert missing == []
    assert "ok," in cli.ok("verify", incident_id)

    cli.ok("note", incident_id, "after the crash")
    assert "ok," in cli.ok("verify", incident_id)
