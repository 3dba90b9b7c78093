"""Small things a script trips on, as it runs `lastgood`: a real process, a real file
(review 9, findings 6, 12 and 18)."""

from __future__ import annotations

from pathlib import Path

from tests.cli_helpers import Cli

RUNBOOK = """\
runbook: versions
title: Versions
phases:
  - id: execute
    title: Execute Rollback
    window: [0, 30]
    steps:
      - id: record-running-version
        title: Record the running version
        kind: command
        command: 'printf ''{"version": "2.4.1"}'''
      - id: quiet
        title: Print nothing
        kind: command
        command: "true"
      - id: lines
        title: Print a line
        kind: command
        command: "echo done"
"""


def _declared(tmp_path: Path) -> tuple[Cli, str]:
    runbook = tmp_path / "versions.yaml"
    runbook.write_text(RUNBOOK, encoding="utf-8")
    cli = Cli(tmp_path / "lastgood.db", actor="Ada")
    declared = ("declare", "--title", "t", "--severity", "SEV3", "--commander", "Ada")
    return cli, cli.ok(*declared, "--runbook", str(runbook)).strip()


def test_run_says_its_line_on_a_line_of_its_own_after_output_with_no_last_newline(
    tmp_path: Path,
) -> None:
    """`{"version": "2.4.1"}T+05:00  checked record-running-version`: the command's
    output had no final newline and lastgood's answer was glued to it (finding 6)."""
    cli, incident_id = _declared(tmp_path)
    out = cli.ok("run", incident_id, "record-running-version", "--yes")
    first, second = out.splitlines()
    assert first == '{"version": "2.4.1"}'
    assert second.startswith("T+") and second.endswith("checked record-running-version")
    # Output that ends its line, or is empty, gets no blank line added.
    lines = cli.ok("run", incident_id, "lines", "--yes").splitlines()
    assert lines[0] == "done" and lines[1].startswith("T+"), lines
    quiet = cli.ok("run", incident_id, "quiet", "--yes").splitlines()
    assert len(quiet) == 1 and quiet[0].startswith("T+"), quiet


def test_a_home_the_shell_did_not_expand_is_refused_not_made_a_directory(tmp_path: Path) -> None:
    """`--db "~/x.db"`, quoted, made a directory named `~` in the working directory and
    said `a new database at ~/x.db` (finding 12). A path whose first component is `~`
    or `~user` is refused, from the option or the variable, before anything is made."""
    cli = Cli(tmp_path / "lastgood.db", actor="Ada")
    cli.cwd = tmp_path
    declared = ("declare", "--title", "t", "--severity", "SEV4", "--commander", "Ada")
    for where in ("~/x.db", "~", "~ada/x.db"):
        done = cli.run("--db", where, *declared)
        assert (done.code, done.out) == (2, ""), (where, done)
        first = where.split("/")[0]
        assert done.err == (
            f"lastgood declare: --db '{where}' starts with {first}, which no shell expanded "
            "(quoted, or read from a file): leave it unquoted, or give the whole path\n"
        )
    cli.env["LASTGOOD_DB"] = "~ada/x.db"  # `~/` there is the home directory, as documented
    listed = cli.run("list")
    assert listed.code == 2 and listed.err.startswith("lastgood list: $LASTGOOD_DB '~ada/x.db'")
    assert sorted(path.name for path in tmp_path.iterdir()) == []
    cli.env["LASTGOOD_DB"] = str(tmp_path / "lastgood.db")
    assert cli.run("--db", "./~/x.db", *declared).code == 0  # a directory named ~, asked for
    assert (tmp_path / "~" / "x.db").is_file()
