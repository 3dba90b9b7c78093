"""What a recording verb says about the messages that wait, from a phone (46 columns).

`lastgood decide` answered in 17 wrapped lines: a line per due message, each with its
two full commands, the 17-character ID six times, the terminal breaking the commands
mid-word (`lastgood send INC-20261207-7` / `69C --template ...`) (ux_review13 #4). Now
the names on one line and each command once, the same lines in a pipe, wrapped at
words on a terminal.
"""

from __future__ import annotations

from pathlib import Path

from tests.cli_helpers import Cli
from tests.test_cli_fitted import on_a_terminal


def on_a_terminal_both(cli: Cli, columns: int, *args: str) -> str:
    """What `lastgood ARGS` writes, stdout and stderr, to one pseudo-terminal."""
    return on_a_terminal(cli, columns, *args, rows=22, stderr_too=True)


def declared(cli: Cli) -> str:
    return cli.ok(
        "declare", "--title", "Checkout errors after shop 2.4.1", "--severity", "SEV2",
        "--issue", "checkout failing", "--commander", "Eve Engineer",
    ).strip()  # fmt: skip


def test_decide_on_a_46_column_terminal_says_each_command_once_at_words(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "phone.db", actor="Eve Engineer")
    incident_id = declared(cli)
    shown = on_a_terminal_both(cli, 46, "decide", incident_id, "--reason", "12% errors")
    lines = shown.splitlines()
    assert max(len(line) for line in lines) <= 46, shown
    # once in each command, never cut: the baseline's (ux_review15 #1), send's, decline's
    assert shown.count(incident_id) == 3, shown
    assert len(lines) <= 13, shown  # 3 of them the baseline's, 2 the assessment checked with it
    words = " ".join(shown.split())
    assert "due: the announce, initiating and paging messages (step:decide-rollback)" in words
    assert f"send them: lastgood send {incident_id} --template NAME" in words
    assert f"or decline one: lastgood decline {incident_id} NAME --reason ..." in words


def test_a_pipe_gets_the_same_lines_whole(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "pipe.db", actor="Eve Engineer")
    incident_id = declared(cli)
    cli.env = {**cli.env, "COLUMNS": "46"}
    decided = cli.run("decide", incident_id, "--reason", "12% errors")
    assert decided.code == 0, decided.err
    assert decided.err.splitlines()[-3:] == [
        "due: the announce, initiating and paging messages (step:decide-rollback)",
        f"  send them: lastgood send {incident_id} --template NAME",
        f"  or decline one: lastgood decline {incident_id} NAME --reason ...",
    ]
    sent = cli.run("send", incident_id, "--template", "announce")
    assert sent.code == 0, sent.err
    checked = cli.run("check", incident_id, "confirm-version", "--evidence", "/version: 2.4.0")
    assert checked.code == 0, checked.err
    assert checked.err.splitlines()[-3:] == [
        "due: the initiating and paging messages (step:decide-rollback)",
        f"  send them: lastgood send {incident_id} --template NAME",
        f"  or decline one: lastgood decline {incident_id} NAME --reason ...",
    ]
