"""What a command reported as done survives `kill -9`.

A shell loop records notes through the real CLI and writes down each one whose
`lastgood` process exited 0; the whole process group is then SIGKILLed mid-stream,
possibly inside a write. Every note written down must be in the log, the chain
must verify, and a fresh process must carry on appending. The crash loop
(tests/crash_loop.py) does the same fifty times over, with two writers at once.
"""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import time

from tests.cli_helpers import Cli, lastgood_command
from tests.crash_loop import CrashLoop
from tests.depth import examples
from tests.waiting import poll_until


def test_every_acknowledged_command_survives_sigkill(tmp_path):
    cli = Cli(tmp_path / "durable.db")
    setup = cli.in_process()  # the declaration and the read-back: the notes are processes
    incident_id = setup.ok(
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
    poll_until(
        lambda: acknowledged.exists() and len(acknowledged.read_text().split()) >= 8,
        "eight acknowledged notes",
        timeout=60,
    )
    time.sleep(0.13)  # land somewhere inside a later command, not on a boundary
    os.killpg(writer.pid, signal.SIGKILL)
    writer.wait()

    done = [int(n) for n in acknowledged.read_text().split()]
    assert len(done) >= 8, "the writer never got going"

    exported = setup.ok("export", incident_id, "--format", "json")
    events = json.loads(exported)["events"]
    recorded = {e["payload"]["text"] for e in events if e["kind"] == "note.added"}
    missing = [n for n in done if f"note {n}" not in recorded]
    assert missing == []
    assert "ok," in cli.ok("verify", incident_id)

    cli.ok("note", incident_id, "after the crash")
    assert "ok," in cli.ok("verify", incident_id)


def test_crash_loop_of_note_and_check_writers_loses_nothing_acknowledged(tmp_path):
    """At least 50 SIGKILLs of concurrent writers at seeded random moments (25 in the
    suite, 50 in `.ci/run`'s deep pass: `tests/depth.py`).

    bench/crash_loop.py runs the same loop with 200 kills or more and prints the figures.
    """
    kills = examples(50)
    loop = CrashLoop(tmp_path, Cli(tmp_path / "unused.db").env, seed=10, steps=200)
    outcome = loop.run(kills=kills, acknowledged=10, max_rounds=8 * kills)
    assert outcome.kills >= kills
    assert len(outcome.acknowledged) >= 10, "too few commands finished to show anything"
    assert outcome.lost == []
    assert outcome.unexplained_events == 0  # nothing recorded twice, nothing invented
    assert outcome.verify_code == 0, outcome.verify_output
    assert outcome.verify_output.startswith(f"{loop.incident_id}: ok, ")
    assert outcome.appended_after
