"""Small things a script trips on, as it runs `lastgood`: a real process, a real file,
a real webhook receiver on loopback (review 9, findings 6, 7, 12 and 18)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from tests.cli_helpers import Cli, run_beside
from tests.test_cli_messages import declare, setup
from tests.webhook_receivers import WebhookReceiver

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


async def test_deliver_stamps_each_try_with_its_own_moment(tmp_path: Path) -> None:
    """`deliver --wait` printed every retry with the T+ it started at: three lines
    `T+01:42  Delivery to team failed ...` for tries 2 and 4 s apart (finding 7). Each
    line now carries the T+ of its try, as every other CLI line's T+ is."""
    arrivals: list[datetime] = []

    def refuse(_n: int) -> int:
        arrivals.append(datetime.now(UTC))
        return 500

    async with WebhookReceiver(refuse) as hook:
        cli, runbook = setup(tmp_path, hook)
        declared = await declare(cli, runbook)  # its auto message: the first try
        assert declared.code == 0, declared.err
        incident_id = declared.out.splitlines()[0]
        delivered = await run_beside(cli, "deliver", incident_id, "--wait", "4")
    assert delivered.code == 1, delivered
    lines = [line for line in delivered.out.splitlines() if "Delivery to team failed" in line]
    assert len(lines) >= 2, delivered.out  # tries 1 and 2 s after the first: 1 s apart at least
    started = datetime.fromisoformat(
        json.loads(cli.ok("status", incident_id, "--json"))["started_at"]
    )
    stamps = [_seconds(line) for line in lines]
    tried = [(at - started).total_seconds() for at in arrivals[1 : 1 + len(lines)]]
    assert stamps == sorted(set(stamps)), lines  # never one T+ for them all
    for stamp, at in zip(stamps, tried, strict=True):
        assert at - 1 <= stamp <= at + 1, (lines, tried)  # the try's own second


def _seconds(line: str) -> int:
    minutes, seconds = line.split()[0].removeprefix("T+").split(":")
    return int(minutes) * 60 + int(seconds)


def test_verify_given_an_id_and_all_says_both_were_given(tmp_path: Path) -> None:
    """`verify ID --all` said `give an incident ID or --all`: both were given (finding 18)."""
    cli, incident_id = _declared(tmp_path)
    both = cli.run("verify", incident_id, "--all")
    assert (both.code, both.out) == (2, ""), both
    assert both.err == (
        f"lastgood verify: both {incident_id} and --all were given: "
        "the ID checks that incident, --all every one\n"
    )
    neither = cli.run("verify")
    assert neither.err == "lastgood verify: give an incident ID or --all (or --export FILE)\n"


def test_two_json_exports_of_a_closed_record_are_the_same_bytes(tmp_path: Path) -> None:
    """`export --format json` of a closed incident differed on every run, only in
    `status.as_of`, the moment of reading (finding 16): a job syncing what changed
    uploaded every closed record each time. A closed record's status is as of its
    close; a note after the close changes the export, as the record changed."""
    cli, incident_id = _declared(tmp_path)
    cli.ok("close", incident_id, "--force", "--reason", "drill over")
    first, second, third = (tmp_path / name for name in ("1.json", "2.json", "3.json"))
    cli.ok("export", incident_id, "--format", "json", "-o", str(first))
    cli.ok("export", incident_id, "--format", "json", "-o", str(second))
    assert first.read_bytes() == second.read_bytes()
    status = json.loads(first.read_text(encoding="utf-8"))["status"]
    assert status["as_of"] == status["closed_at"] is not None
    assert cli.ok("export", incident_id, "--format", "json") == first.read_text(encoding="utf-8")
    cli.ok("rca", incident_id, "a retry storm")  # recorded after the close
    cli.ok("export", incident_id, "--format", "json", "-o", str(third))
    assert third.read_bytes() != first.read_bytes()
    assert json.loads(third.read_text(encoding="utf-8"))["status"]["as_of"] == status["as_of"]


def test_lastgood_db_with_a_home_no_shell_expanded_is_refused_as_the_option_is(
    tmp_path: Path,
) -> None:
    """`--db "~/x.db"` was refused while `LASTGOOD_DB` holding the same `~/x.db` (quoted,
    or from a systemd unit, which no shell reads) was read from $HOME: one rule now,
    the refusal naming where the path came from, nothing made in the home directory."""
    home = tmp_path / "home"
    home.mkdir()
    cli = Cli(tmp_path / "unused.db", actor="Ada")
    cli.cwd = tmp_path
    declared = ("declare", "--title", "t", "--severity", "SEV4", "--commander", "Ada")
    for where in ("~/x.db", "~"):
        cli.env = {**cli.env, "HOME": str(home), "LASTGOOD_DB": where}
        done = cli.run(*declared)
        assert (done.code, done.out) == (2, ""), (where, done)
        assert done.err == (
            f"lastgood declare: $LASTGOOD_DB '{where}' starts with ~, which no shell "
            "expanded (quoted, or read from a file): leave it unquoted, or give the whole path\n"
        )
        by_option = cli.run("--db", where, *declared)
        assert by_option.err == done.err.replace("$LASTGOOD_DB", "--db"), by_option
    assert list(home.iterdir()) == [] and sorted(p.name for p in tmp_path.iterdir()) == ["home"]
