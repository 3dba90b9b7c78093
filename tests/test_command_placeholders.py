"""`{last_good_version}` and the incident's other facts in a command step's command.

A custom rollback names the release it goes back to; written into the runbook, the
version goes stale with the next release. The placeholder ran as literal braces
(`alembic downgrade {last_good_version}`) and validate said ok (ux_review8 #6). Now it
is filled in, shell-quoted, when the step runs, and what cannot be filled is refused
by validate, or by declare when the incident would lack the value.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.cli_helpers import Cli, InProcessCli
from tests.worker_runbook import runbook_file


def declare(cli: Cli, runbook: Path, *extra: str) -> str:
    return cli.ok(
        "declare", "--title", "Mailer down", "--severity", "SEV2", "--commander", "Ada",
        "--runbook", str(runbook), *extra,
    ).strip()  # fmt: skip


def test_the_command_runs_with_the_incidents_versions_quoted_for_the_shell(tmp_path):
    """The values are data: a last-good version typed with a `;` and a `$(...)` stays
    one argument, and nothing it names runs."""
    seen, pwned = tmp_path / "seen", tmp_path / "pwned"
    runbook = runbook_file(
        tmp_path,
        f"printf '%s\\n' mailer:{{last_good_version}} {{from_version}} {{id}} > {seen}",
        verify=f"grep -q -- {{last_good_version}} {seen} && echo rolled back",
    )
    cli = Cli(tmp_path / "record.db")
    hostile = f"4.9.2; touch {pwned} $(touch {pwned})"
    incident = declare(cli, runbook, "--last-good", hostile, "--from-version", "5.0.0")
    ran = cli.run("run", incident, "redeploy", "--yes")
    assert ran.code == 0, ran.err
    assert seen.read_text().splitlines() == [f"mailer:{hostile}", "5.0.0", incident]
    assert not pwned.exists()
    exported = json.loads(cli.ok("export", incident, "--format", "json"))
    ran_events = [e["payload"] for e in exported["events"] if e["kind"] == "command.ran"]
    assert [r["command"] for r in ran_events] == [
        f"printf '%s\\n' mailer:'{hostile}' 5.0.0 {incident} > {seen}",
        f"grep -q -- '{hostile}' {seen} && echo rolled back",
    ]
    status = json.loads(cli.ok("status", incident, "--json"))
    assert {s["id"]: s["state"] for s in status["steps"]}["redeploy"] == "done"


def test_declare_without_a_value_the_commands_name_says_so_and_the_run_is_refused(tmp_path):
    """Declared: a declaration starts the clock and must not wait on a version nobody
    knows yet (it was refused). Said on stderr, and the step's command is refused when
    run, saying to run it by hand, never run with the braces or an empty value."""
    cli = Cli(tmp_path / "record.db", actor="Ada")
    runbook = runbook_file(tmp_path, "kubectl set image cronjob/m w=mailer:{last_good_version}")
    declared = cli.run(
        "declare", "--title", "t", "--severity", "SEV2", "--commander", "Ada",
        "--runbook", str(runbook),
    )  # fmt: skip
    assert declared.code == 0, declared
    incident = declared.out.strip()
    assert (
        "lastgood declare: the runbook's commands name what the declaration left out "
        "({last_good_version} in redeploy: no last-good version was given): run those by hand"
    ) in declared.err.splitlines(), declared.err
    refused = cli.run("run", incident, "redeploy", "--yes")
    assert refused.code == 2, refused
    assert "declared without its last-good version: run it by hand" in refused.err, refused


@pytest.mark.parametrize(
    ("command", "problem"),
    [
        (
            "alembic downgrade '{last_good_version}'",
            "placeholder '{last_good_version}' inside quotes: write it unquoted, "
            "lastgood quotes the value for the shell",
        ),
        (
            "alembic downgrade {last_good_verison}",
            "unknown placeholder '{last_good_verison}' (did you mean 'last_good_version'? "
            "write '{{last_good_verison}}' for braces); a command takes id, title, severity, "
            "issue, commander, channel, from_version, last_good_version, pattern",
        ),
        (
            "notify --at {eta}",
            "'{eta}' is a message placeholder: it changes as the incident goes on; a command "
            "takes id, title, severity, issue, commander, channel, from_version, "
            "last_good_version, pattern",
        ),
    ],
)
def test_validate_refuses_a_placeholder_that_cannot_be_filled(tmp_path, command, problem):
    cli = InProcessCli(tmp_path / "unused.db")
    path = runbook_file(tmp_path, command)
    checked = cli.run("validate", str(path))
    assert checked.code == 2
    assert checked.err.strip() == f"{path}:11:18: {problem}"


def test_validate_refuses_it_in_the_verify_command_too(tmp_path):
    cli = InProcessCli(tmp_path / "unused.db")
    path = runbook_file(tmp_path, "true", verify="kubectl get deploy -o name | grep {servce}")
    checked = cli.run("validate", str(path))
    assert checked.code == 2
    assert re.match(rf"{re.escape(str(path))}:13:20: unknown placeholder '{{servce}}'", checked.err)


@pytest.mark.parametrize(
    "command",
    [
        "awk '{print $1}' x",
        "awk '{print}' x",
        "jq '{name: .metadata.name}' x",
        "find . -name '*.tmp' -exec rm {} +",
        "echo ${HOME} ${last_good_version:-none}",
        "echo {a,b}",
    ],
)
def test_shell_braces_are_left_as_the_shell_reads_them(command):
    from runbooks.command_text import COMMAND_PLACEHOLDERS, command_problems, fill_command

    assert command_problems(command) == []
    assert fill_command(command, dict.fromkeys(COMMAND_PLACEHOLDERS, "v")) == command


def test_double_braces_write_the_braces():
    from runbooks.command_text import command_problems, fill_command

    assert command_problems("echo {{service}}") == []
    assert fill_command("echo {{service}} {id}", {"id": "INC-1"}) == "echo {service} INC-1"
