"""`InProcessCli` answers as the `lastgood` process does (tests/cli_helpers.py).

Most CLI tests call `main` in their own process; they would test something else if
its exit status, stdout or stderr differed from a process's for the same arguments:
a usage error (argparse's SystemExit), `--help`, a refusal, a success, text on stdin,
an environment variable and a control character made visible.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.cli_helpers import Cli, InProcessCli

MOMENTS = re.compile(r"T\+\d\d:\d\d|\d+m\d\ds|[0-9a-f]{64}")
"""What two runs a moment apart, on two files, print differently: T+, countdowns, hashes."""


def test_each_answer_is_the_process_answer(tmp_path: Path) -> None:
    process, in_process = Cli(tmp_path / "a.db", actor="Ada"), InProcessCli(tmp_path / "b.db")
    in_process.env["LASTGOOD_USER"] = "Ada"
    declare = ("declare", "--title", "T\x1b[2J", "--severity", "SEV3", "--commander", "Ada")
    ids = [cli.ok(*declare).strip() for cli in (process, in_process)]
    cases = [
        ("frobnicate",),
        ("note", "--help"),
        ("check", "{id}", "no-such-step"),
        ("note", "{id}", "rolled back\x07"),
        ("status", "{id}"),
        ("verify", "{id}"),
        ("declare", "--title", "x", "--severity", "SEV1"),
    ]
    for case in cases:
        answers = []
        for cli, incident_id in zip((process, in_process), ids, strict=True):
            done = cli.run(*(a.replace("{id}", incident_id) for a in case))
            out = MOMENTS.sub("~", done.out.replace(incident_id, "ID"))
            answers.append((done.code, out, done.err))
        assert answers[1] == answers[0], case
    shown = in_process.ok("status", ids[1])
    assert "T\u241b[2J" in shown and "\x1b" not in shown  # shown, not obeyed, in both


def test_a_verb_that_needs_a_process_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="lastgood monitor runs only as a process"):
        InProcessCli(tmp_path / "x.db").run("monitor", "INC-X", "--for", "1")
