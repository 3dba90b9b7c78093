"""A database tier says what to run, and `lastgood run` runs it from the database step.

A runbook author wanted the down-migrations tier to run `alembic downgrade` and the
restore-backup tier `pg_restore`: `command:` on a tier was an unknown key, on the
database step it applied only to command steps, and what was left, an optional command
step named "(tier down-migrations only)", ran and was checked with no tier chosen
(ux_review8 #9). Now a tier may carry a `command` (and a `verify`), checked by
`validate` as a command step's, and run as a user runs it: `run ID database-rollback`
is refused until the tier is chosen and, if it needs it, approved; then it runs the
tier's command with the incident's facts filled in, records it and checks the step.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.cli_helpers import Cli, InProcessCli
from tests.tier_runbook import tier_runbook


def declare(cli: Cli, runbook: Path) -> str:
    return cli.ok(
        "declare", "--title", "Orders failing", "--severity", "SEV1", "--commander", "Ada",
        "--runbook", str(runbook), "--last-good", "4.9.2",
    ).strip()  # fmt: skip


def events(cli: Cli, incident: str, kind: str) -> list[dict[str, object]]:
    exported = json.loads(cli.ok("export", incident, "--format", "json"))
    return [e["payload"] for e in exported["events"] if e["kind"] == kind]


def step_state(cli: Cli, incident: str) -> str:
    steps = json.loads(cli.ok("status", incident, "--json"))["steps"]
    return next(s["state"] for s in steps if s["id"] == "database-rollback")


def test_run_is_refused_before_the_tier_then_runs_the_tiers_command(tmp_path: Path) -> None:
    downgraded = tmp_path / "downgraded"
    down = f"printf '%s\\n' downgraded-to {{last_good_version}} | tee {downgraded}"
    runbook = tier_runbook(tmp_path, down, verify=f"cat {downgraded}")
    cli = Cli(tmp_path / "record.db", actor="Ada")
    incident = declare(cli, runbook)

    refused = cli.run("run", incident, "database-rollback", "--yes")
    assert refused.code == 2, refused
    assert "step 'database-rollback' is blocked: choose a database tier first" in refused.err
    assert not downgraded.exists()

    chosen = cli.ok("db-tier", incident, "down-migrations", "--reason", "0042 has a down step")
    assert chosen.splitlines()[-1].endswith(
        "database-rollback left open: run the tier's command, which checks it"
    ), chosen
    assert step_state(cli, incident) == "open"

    ran = cli.run("run", incident, "database-rollback", "--yes")
    assert ran.code == 0, ran.err
    assert downgraded.read_text() == "downgraded-to\n4.9.2\n"
    assert ran.out.startswith("downgraded-to\n4.9.2\n"), ran.out
    assert step_state(cli, incident) == "done"
    runs = events(cli, incident, "command.ran")
    assert [(r["step"], r["command"], r["exit_code"]) for r in runs] == [
        ("database-rollback", f"printf '%s\\n' downgraded-to 4.9.2 | tee {downgraded}", 0),
        ("database-rollback", f"cat {downgraded}", 0),
    ]
    assert runs[0]["output_tail"] == "downgraded-to\n4.9.2\n"
    [checked] = events(cli, incident, "step.checked")
    assert checked["step"] == "database-rollback"
    assert checked["tier"] == "down-migrations"
    assert "output matched /downgraded/" in str(checked["evidence"]), checked


def test_a_tier_awaiting_approval_is_not_run_until_it_is_approved(tmp_path: Path) -> None:
    restored = tmp_path / "restored"
    runbook = tier_runbook(tmp_path, "true", restore=f"echo restored > {restored}")
    cli = Cli(tmp_path / "record.db", actor="Ada")
    incident = declare(cli, runbook)
    cli.ok("db-tier", incident, "restore-backup", "--reason", "the schema is broken")

    refused = cli.run("run", incident, "database-rollback", "--yes")
    assert refused.code == 2, refused
    assert "tier 'restore-backup' needs approval by leadership" in refused.err, refused.err
    assert not restored.exists()

    cli.ok("assign", incident, "leadership", "Lee")
    cli.ok("approve", incident, "tier:restore-backup", "--by", "Lee", "--reason", "go")
    ran = cli.run("run", incident, "database-rollback", "--yes")
    assert ran.code == 0, ran.err
    assert restored.read_text() == "restored\n"
    assert step_state(cli, incident) == "done"


def test_a_tier_without_a_command_is_checked_by_hand_as_before(tmp_path: Path) -> None:
    runbook = tier_runbook(tmp_path, "true")
    cli = InProcessCli(tmp_path / "record.db", actor="Ada")
    incident = declare(cli, runbook)
    out = cli.ok("db-tier", incident, "none", "--reason", "expand-contract")
    assert "database-rollback checked" in out
    other = declare(cli, runbook)  # a tier without a command, chosen: nothing to run
    cli.ok("db-tier", other, "none", "--reason", "expand-contract")
    cli.ok("reopen", other, "database-rollback", "--reason", "wrong tier")
    refused = cli.run("run", other, "database-rollback", "--yes")
    assert refused.code == 2
    assert "the tier chosen, 'none', has none (only down-migrations, restore-backup)" in (
        refused.err
    )


def test_validate_refuses_a_tier_command_placeholder_it_cannot_fill(tmp_path: Path) -> None:
    cli = InProcessCli(tmp_path / "unused.db")
    path = tier_runbook(tmp_path, "alembic downgrade '{last_good_version}'")
    checked = cli.run("validate", str(path))
    assert checked.code == 2
    assert checked.err.strip() == (
        f"{path}:12:14: placeholder '{{last_good_version}}' inside quotes: write it unquoted, "
        "lastgood quotes the value for the shell"
    )
    path = tier_runbook(tmp_path, "true", verify="alembic current | grep {revison}")
    checked = cli.run("validate", str(path))
    assert checked.code == 2
    where = re.escape(str(path))
    assert re.match(rf"{where}:14:16: unknown placeholder '{{revison}}'", checked.err)
    assert cli.run("validate", str(tier_runbook(tmp_path, "alembic downgrade ${REV}"))).code == 0


def test_validate_refuses_a_tier_verify_without_a_command(tmp_path: Path) -> None:
    cli = InProcessCli(tmp_path / "unused.db")
    path = tier_runbook(tmp_path, "true", verify="true")
    text = path.read_text().replace('    command: "true"\n    verify:', "    verify:", 1)
    path.write_text(text)
    checked = cli.run("validate", str(path))
    assert checked.code == 2
    assert checked.err.strip() == (
        f"{path}:13:7: 'verify' reads back the tier's 'command': give one"
    ), checked.err


def test_declared_without_the_version_a_tier_command_names_it_is_said(tmp_path: Path) -> None:
    """As for a command step's: said at the declaration, and the run refused, saying to
    run it by hand, never run with the braces or an empty value."""
    downgraded = tmp_path / "downgraded"
    runbook = tier_runbook(tmp_path, f"echo {{last_good_version}} > {downgraded}")
    cli = InProcessCli(tmp_path / "record.db", actor="Ada")
    declared = cli.run(
        "declare", "--title", "Orders failing", "--severity", "SEV1", "--commander", "Ada",
        "--runbook", str(runbook),
    )  # fmt: skip
    assert declared.code == 0, declared.err
    assert (
        "({last_good_version} in database-rollback (tier down-migrations): "
        "no last-good version was given)"
    ) in declared.err, declared.err
    incident = declared.out.strip()
    cli.ok("db-tier", incident, "down-migrations", "--reason", "0042 has a down step")
    refused = cli.run("run", incident, "database-rollback", "--yes")
    assert refused.code == 2, refused
    assert "declared without its last-good version: run it by hand" in refused.err
    assert not downgraded.exists()
