"""A command step reads back that its command took: `verify:` in the runbook.

The judging and the retry loop are pure logic, tested with a scripted shell and a
manual clock; the whole path (the runbook, `lastgood run`, the record, the report)
is tested as a user runs it, with real shell commands.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from incident.app.command_step import verify_command
from incident.core.clock import ManualClock
from incident.health.command_check import judge
from runbooks import load_runbook
from runbooks.model import CommandCheck
from runbooks.serialize import runbook_from_data, runbook_to_data
from tests.cli_helpers import Cli, InProcessCli

ROLLED = 'deployment "checkout" successfully rolled out\n'


@pytest.mark.parametrize(
    ("check", "exit_code", "output", "verdict"),
    [
        (CommandCheck("s"), 0, "", (True, "exit 0")),
        (CommandCheck("s"), 1, "", (False, "exit 1, expected 0")),
        (
            CommandCheck("s", regex="successfully rolled out"),
            0,
            ROLLED,
            (True, "output matched /successfully rolled out/: 'successfully rolled out'"),
        ),
        (
            CommandCheck("s", regex="rolled out"),
            1,
            "Waiting for 2 pods",
            (False, "no match for /rolled out/ (exit 1)"),
        ),
        (
            CommandCheck("s", json_path="info.status", equals="deployed"),
            0,
            json.dumps({"info": {"status": "deployed"}}),
            (True, "info.status is 'deployed'"),
        ),
        (
            CommandCheck("s", json_path="info.status", equals="deployed"),
            0,
            json.dumps({"info": {"status": "pending-rollback"}}),
            (False, "info.status is 'pending-rollback', expected 'deployed'"),
        ),
        (
            CommandCheck("s", json_path="items.0.ready", equals="true"),
            0,
            json.dumps({"items": [{"ready": True}]}),
            (True, "items.0.ready is 'true'"),
        ),
        (  # YAML's spellings of true meet a JSON true (`equals: True` did before it
            # was kept as written); a JSON *string* is still compared as written
            CommandCheck("s", json_path="items.0.ready", equals="True"),
            0,
            json.dumps({"items": [{"ready": True}]}),
            (True, "items.0.ready is 'true'"),
        ),
        (
            CommandCheck("s", json_path="ready", equals="yes"),
            0,
            json.dumps({"ready": False}),
            (False, "ready is 'false', expected 'yes'"),
        ),
        (
            CommandCheck("s", json_path="ready", equals="True"),
            0,
            json.dumps({"ready": "true"}),
            (False, "ready is 'true', expected 'True'"),
        ),
        (
            CommandCheck("s", json_path="info", equals="x"),
            0,
            "Error: \x1b[31mrelease not found",
            (False, "output is not JSON: 'Error: ␛[31mrelease not found'"),
        ),
    ],
)
def test_what_the_answer_shows(check, exit_code, output, verdict):
    assert judge(check, exit_code, output) == verdict


class ScriptedShell:
    """Answers each try from a script, moving the manual clock as a command would."""

    def __init__(self, clock: ManualClock, answers: list[tuple[int, str]]) -> None:
        self.clock, self.answers, self.commands = clock, answers, []

    async def __call__(self, command: str) -> tuple[int, bytes]:
        self.commands.append(command)
        self.clock.advance(1)
        code, output = self.answers.pop(0)
        return code, output.encode()


async def test_tries_until_the_answer_shows_it_then_stops():
    clock = ManualClock(datetime(2026, 12, 2, tzinfo=UTC))
    shell = ScriptedShell(clock, [(1, "Waiting"), (1, "Waiting"), (0, ROLLED), (0, ROLLED)])
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        clock.advance(seconds)

    check = CommandCheck("rollout status", regex="rolled out", within_s=60, every_s=5)
    found = await verify_command(check, clock=clock, shell=shell, sleep=sleep)
    assert (found.passed, found.tries, waits) == (True, 3, [5, 5])
    assert found.evidence == (
        "`rollout status`: output matched /rolled out/: 'rolled out' (3 tries, 13 s)"
    )


async def test_gives_up_at_the_deadline_with_the_last_answer():
    clock = ManualClock(datetime(2026, 12, 2, tzinfo=UTC))
    shell = ScriptedShell(clock, [(1, "Waiting")] * 10)

    async def sleep(seconds: float) -> None:
        clock.advance(seconds)

    check = CommandCheck("rollout status", regex="rolled out", within_s=20, every_s=5)
    found = await verify_command(check, clock=clock, shell=shell, sleep=sleep)
    assert (found.passed, found.tries) == (False, 4)  # tries end at 1, 7, 13, 19 s; a 5th: 24
    assert found.why == "no match for /rolled out/ (exit 1)"


# --- the runbook ---------------------------------------------------------------------

STEP = """\
runbook: verified
title: A verified rollback
phases:
  - id: execute
    title: Execute Rollback
    window: [0, 30]
    steps:
      - id: rollback
        title: Roll back
        kind: command
        command: {command}
        verify:
{verify}
"""


def runbook_file(tmp_path: Path, command: str, verify: str) -> Path:
    path = tmp_path / "verified.yaml"
    indented = "\n".join(f"          {line}" for line in verify.strip().splitlines())
    path.write_text(STEP.format(command=command, verify=indented))
    return path


def test_the_verify_block_loads_and_round_trips(tmp_path):
    path = runbook_file(
        tmp_path,
        "true",
        "command: helm status web -o json\njson_path: info.status\nequals: deployed\n"
        "within_s: 60\nevery_s: 2",
    )
    runbook = load_runbook(path)
    check = runbook.step("rollback").verify  # type: ignore[union-attr]
    assert check == CommandCheck(
        "helm status web -o json", json_path="info.status", equals="deployed", within_s=60,
        every_s=2,
    )  # fmt: skip
    assert runbook_from_data(runbook_to_data(runbook), runbook.source) == runbook


@pytest.mark.parametrize("written", ["2.10", "yes", "010", "1:30", "1e3", "true", "-0"])
def test_equals_is_the_text_as_written(tmp_path, written):
    """YAML would read `2.10` as 2.1, `yes` as true, `010` as 8 and `1:30` as 90: a
    service answering 2.10 then never verified. The text as written is compared, with
    the JSON's value as written too (a number or a string)."""
    path = runbook_file(tmp_path, "true", f"command: x\njson_path: v\nequals: {written}")
    check = load_runbook(path).step("rollback").verify
    assert check is not None and check.equals == written
    assert judge(check, 0, f'{{"v": "{written}"}}') == (True, f"v is '{written}'")
    if written not in ("yes", "010", "1:30"):  # JSON has no such number
        assert judge(check, 0, f'{{"v": {written}}}') == (True, f"v is '{written}'")


def test_a_json_number_is_compared_as_written():
    check = CommandCheck("s", json_path="v", equals="2.1")
    assert judge(check, 0, '{"v": 2.10}') == (False, "v is '2.10', expected '2.1'")
    assert judge(check, 0, '{"v": 2.1}') == (True, "v is '2.1'")


@pytest.mark.parametrize(
    ("verify", "problem"),
    [
        ("regex: ok", "missing required key 'command'"),
        ("command: x\nregex: ok\nexit_code: 0", "say one of exit_code, regex, json_path"),
        ("command: x\njson_path: a.b", "json_path and equals go together"),
        ("command: x\nregex: '('", "invalid regular expression"),
        ("command: x\nwithin_s: 0", "'within_s' must be a positive number of seconds"),
        (  # ran the command 1,041 times in 3 s
            "command: x\nevery_s: 0.001",
            "'every_s' must be a number of seconds from 1 to 3600 (got 0.001)",
        ),
        ("command: x\nregexp: ok", "unknown key 'regexp' (did you mean 'regex'?)"),
        (  # tried once at 0 s and given up on, "within 10 s" (ux_review8 #15)
            "command: x\nwithin_s: 10\nevery_s: 600",
            "'every_s' (600 s) is longer than 'within_s' (10 s): the command would be tried "
            "once and given up on at once; make every_s shorter",
        ),
        (
            "command: x\nevery_s: 600",
            "'every_s' (600 s) is longer than 'within_s' (300 s, its default)",
        ),
    ],
)
def test_a_bad_verify_block_is_refused_where_it_is(tmp_path, verify, problem):
    cli = InProcessCli(tmp_path / "unused.db")
    path = runbook_file(tmp_path, "true", verify)
    checked = cli.run("validate", str(path))
    assert checked.code == 2
    (line,) = [line for line in checked.err.splitlines() if problem in line]
    located = re.match(rf"{re.escape(str(path))}:(\d+):\d+: ", line)
    assert located is not None and int(located.group(1)) >= 10, line  # in the verify block


# --- as a user runs it -----------------------------------------------------------------


def declared(cli: Cli, runbook: Path) -> str:
    return cli.ok(
        "declare", "--title", "t", "--severity", "SEV3", "--commander", "A",
        "--runbook", str(runbook),
    ).strip()  # fmt: skip


def test_the_step_is_checked_once_the_verify_command_shows_it_with_its_evidence(tmp_path):
    """The rollback writes its state a moment later, as a rollout would: the verify
    command is tried until it reads it."""
    state, tries = tmp_path / "state", tmp_path / "tries"
    reader = (
        f"echo x >> {tries}; "
        f'if [ "$(wc -l < {tries})" -ge 2 ]; then cat {state}; else echo waiting; fi'
    )
    runbook = runbook_file(
        tmp_path,
        f"echo 'deployment rolled out' > {state}",
        f"command: {json.dumps(reader)}\nregex: rolled out\nwithin_s: 60\nevery_s: 1",
    )
    cli = Cli(tmp_path / "record.db")
    incident = declared(cli, runbook)
    ran = cli.run("run", incident, "rollback", "--yes")
    assert ran.code == 0, ran.err
    assert "verifying: `" in ran.err and "until output matches /rolled out/" in ran.err
    status = json.loads(cli.ok("status", incident, "--json"))
    (step,) = [s for s in status["steps"] if s["id"] == "rollback"]
    assert step["state"] == "done"
    exported = json.loads(cli.ok("export", incident, "--format", "json"))
    checked = [e["payload"] for e in exported["events"] if e["kind"] == "step.checked"]
    assert re.search(
        r"output matched /rolled out/: 'rolled out' \(2 tries, \d s\)$", checked[-1]["evidence"]
    )
    commands = [e["payload"] for e in exported["events"] if e["kind"] == "command.ran"]
    assert [c["command"] for c in commands] == [f"echo 'deployment rolled out' > {state}", reader]
    assert commands[1]["output_tail"] == "deployment rolled out\n"
    report = cli.ok("export", incident)
    assert "output matched /rolled out/" in report


def test_a_rollback_that_never_verifies_leaves_the_step_open_and_says_why(tmp_path):
    runbook = runbook_file(
        tmp_path,
        "true",
        'command: "echo Waiting for 1 old replica"\nregex: rolled out\nwithin_s: 1\nevery_s: 1',
    )
    cli = InProcessCli(tmp_path / "record.db")  # the test above runs `lastgood run` as a process
    incident = declared(cli, runbook)
    ran = cli.run("run", incident, "rollback", "--yes")
    assert ran.code == 1
    last = ran.err.strip().splitlines()[-1]
    assert last.startswith("lastgood run: `true` exited 0 but did not verify within 1 s: ")
    assert "no match for /rolled out/ (exit 0)" in last and last.endswith("step rollback left open")
    status = json.loads(cli.ok("status", incident, "--json"))
    assert {s["id"]: s["state"] for s in status["steps"]}["rollback"] == "open"
    exported = json.loads(cli.ok("export", incident, "--format", "json"))
    ran_events = [e["payload"] for e in exported["events"] if e["kind"] == "command.ran"]
    assert [r["command"] for r in ran_events] == ["true", "echo Waiting for 1 old replica"]


async def test_the_screens_path_gives_no_database_url_and_records_no_secret(
    tmp_path: Path, log, clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the coordinator's screen calls (tui/app/screens/checking.py): `run_shell`,
    `verify_command`, then `record_command_result` with neither `db` nor `env`."""
    from incident.app import command_runs
    from incident.app.command_step import run_shell
    from incident.app.lifecycle import Declaration, declare
    from tests.leaky_runbook import LEAKY, OPS_TOKEN, PROBE_KEY

    database = "postgresql://coordinator:db-Passw0rd-77@db.example/incidents"
    for name, value in {
        "LASTGOOD_DB": database,
        "DEPLOY_DB_URL": database,
        "OPS_TOKEN": OPS_TOKEN,
        "PROBE_KEY": PROBE_KEY,
    }.items():
        monkeypatch.setenv(name, value)
    (tmp_path / "leaky.yaml").write_text(LEAKY)
    runbook = load_runbook(tmp_path / "leaky.yaml")
    session = declare(log, runbook, Declaration("t", "SEV2", "Ada"), actor="ada", clock=clock)
    step = session.state.steps["redeploy"].step
    assert step.command is not None and step.verify is not None
    code, output = await run_shell(step.command)
    assert output.startswith(b"db=\n")  # the shell was not given $LASTGOOD_DB
    toast = command_runs.shown_output(session.state, output)  # a failed command's toast quotes it
    assert "tok=***" in toast and OPS_TOKEN not in toast
    verification = await verify_command(step.verify, clock=clock)
    done = command_runs.record_command_result(
        session,
        "ada",
        "redeploy",
        command=step.command,
        exit_code=code,
        output=output,
        verification=verification,
    )
    assert done.said == "checked redeploy"
    recorded = json.dumps([event.payload for event in log.events(session.state.id)])
    assert "tok=***" in recorded and "rolled out with ***" in recorded
    assert "coordinator:***@db.example" in recorded
    for secret in (OPS_TOKEN, PROBE_KEY, "db-Passw0rd-77"):
        assert secret not in recorded


def test_a_secret_across_the_tails_cut_is_hidden_whole(
    tmp_path: Path, log, clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The output was cut to its tail before it was redacted: a token straddling the
    cut left its last characters in the record (a review)."""
    from incident.app import command_runs
    from incident.app.lifecycle import Declaration, declare
    from tests.leaky_runbook import LEAKY, OPS_TOKEN

    monkeypatch.setenv("OPS_TOKEN", OPS_TOKEN)
    (tmp_path / "leaky.yaml").write_text(LEAKY)
    runbook = load_runbook(tmp_path / "leaky.yaml")
    state = declare(log, runbook, Declaration("t", "SEV2", "Ada"), actor="ada", clock=clock).state
    for kept in range(1, len(OPS_TOKEN)):  # the token's last `kept` characters in the tail
        output = "x" * 5_000 + OPS_TOKEN + "y" * (command_runs.OUTPUT_TAIL_CHARS - kept)
        shown = command_runs.shown_output(state, output)
        assert len(shown) <= command_runs.OUTPUT_TAIL_CHARS
        assert OPS_TOKEN[-kept:] + "y" not in shown, kept
