"""`run` keeps the tail of a command's output, not all of it, while the command runs.

Only the last 2,000 characters are recorded (and shown), but the whole output was
held, about three bytes a byte once decoded: 300 MB printed took 898 MB of memory
(review5, finding 18), and a command printing gigabytes by mistake (`kubectl logs
-f`, a `set -x` loop) would have ended `run` before anything was recorded. The CLI
reads the pipe a chunk at a time (`run_shell_waiting`), the TUI likewise
(`run_shell`), keeping `KEPT_BYTES`; the record is what it was.
"""

from __future__ import annotations

import asyncio
import json
import random
import subprocess
import sys
import tracemalloc
from pathlib import Path

from incident.app.command_runs import OUTPUT_TAIL_CHARS, SECRET_ROOM_CHARS, output_tail
from incident.app.command_step import KEPT_BYTES, OutputTail, run_shell
from tests.cli_helpers import ROOT, Cli, lastgood_command

PRINTED = 100_000_000
"""What the command prints: zeros, then a line whose last character takes 3 bytes."""

COMMAND = f"printf start; head -c {PRINTED} /dev/zero; printf 'the end €'"

RUNBOOK = f"""\
runbook: loud
title: A loud command
phases:
  - id: execute
    title: Execute Rollback
    window: [0, 30]
    steps:
      - id: loud
        title: Print a great deal
        kind: command
        command: "{COMMAND}"
"""

PEAK = """\
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True)
print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024)
"""
"""Runs `lastgood` and says its exit status and its peak resident memory, in bytes (the
largest of the children's: `lastgood`; the shell and `head` are far smaller)."""


def test_the_cli_holds_a_tail_not_what_the_command_printed(tmp_path: Path) -> None:
    runbook = tmp_path / "loud.yaml"
    runbook.write_text(RUNBOOK)
    cli = Cli(tmp_path / "lastgood.db", actor="Ada")
    declared = ("declare", "--title", "t", "--severity", "SEV3", "--commander", "Ada")
    incident_id = cli.ok(*declared, "--runbook", str(runbook)).strip()
    measured = subprocess.run(
        [sys.executable, "-c", PEAK, *lastgood_command(), "run", incident_id, "loud", "--yes"],
        env=cli.env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    code, peak = (int(word) for word in measured.stdout.split())
    assert code == 0
    assert peak < PRINTED / 2  # before: 4x what it printed (the bytes, then decoded)
    exported = json.loads(cli.ok("export", incident_id, "--format", "json"))
    [ran] = [e["payload"] for e in exported["events"] if e["kind"] == "command.ran"]
    assert ran["output_tail"] == "\x00" * (OUTPUT_TAIL_CHARS - 9) + "the end €"


def test_the_tui_s_runner_holds_a_tail_too() -> None:
    """The coroutine the TUI's checklist awaits (`run_command_step`), on a real shell."""
    tracemalloc.start()
    try:
        code, output = asyncio.run(run_shell("head -c 20000000 /dev/zero; printf 'the end €'"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert code == 0
    assert output == b"\x00" * (KEPT_BYTES - 11) + "the end €".encode()
    assert peak < 2_000_000  # before: the 20 MB, read into chunks and joined


def test_the_tail_decodes_to_the_whole_output_s_last_characters() -> None:
    """Cut anywhere, in any chunks, the characters shown and redacted (the tail and the
    room for a secret across its start) are the whole output's: three-byte and
    four-byte characters, and bytes that are no UTF-8 at all, at every cut."""
    pieces = ["€".encode(), "🙂".encode(), b"\xff", b"\x80\x80", b"a", b"\xe2\x82"]
    generator = random.Random(18)
    data = b"".join(generator.choice(pieces) for _ in range(40_000))
    room = OUTPUT_TAIL_CHARS + SECRET_ROOM_CHARS
    whole = data.decode("utf-8", errors="replace")[-room:]
    for start in range(0, 8):
        tail = OutputTail()
        at = start
        tail.add(data[:at])
        while at < len(data):
            size = generator.randint(1, 70_000)
            tail.add(data[at : at + size])
            at += size
        kept = tail.output
        assert len(kept) == KEPT_BYTES
        assert kept.decode("utf-8", errors="replace")[-room:] == whole
        assert output_tail(kept) == output_tail(data)
