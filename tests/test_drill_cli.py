"""`lastgood drill --headless` driven to closed through the other verbs, as a script would,
against the real shop on loopback; then `score`, `list` and `list --drills`.

The drill and `monitor` run as processes; the other verbs call the CLI's `main` in
this process (`InProcessCli`), as tests/test_cli.py runs them as processes."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.cli_helpers import ROOT, Cli, InProcessCli, lastgood_command
from tests.test_json_schemas import assert_valid


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path / "drill.db", actor="Ada")


def test_list_faults_names_each_fault(cli: Cli) -> None:
    out = cli.ok("drill", "--list-faults")
    names = [line.split()[0] for line in out.splitlines()]
    assert names == ["bad-release", "slow-release", "irreversible-migration", "flapping-health"]
    assert "/version lists migration 0042, which has no down step" in out


def test_bad_arguments_are_one_line(cli: Cli) -> None:
    refused = cli.run("drill", "--for", "5")
    assert refused.code == 2
    assert (
        refused.err == "lastgood drill: --for needs --headless (the TUI runs until you quit it)\n"
    )
    unknown = cli.run("drill", "--headless", "--fault", "nope")
    assert unknown.code == 2 and "invalid choice: 'nope'" in unknown.err
    assert len(unknown.err.splitlines()) == 1


def test_a_headless_drill_driven_to_closed_prints_its_score_card(cli: Cli, tmp_path: Path) -> None:
    drill = subprocess.Popen(
        [*lastgood_command(), "drill", "--headless", "--fault", "slow-release", "--for", "240"],
        env=cli.env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    cli = InProcessCli(cli.db, actor="Ada")
    try:
        assert drill.stdout is not None
        incident_id = drill.stdout.readline().strip()
        assert incident_id.startswith("INC-"), drill.stderr.read() if drill.stderr else ""
        drive(cli, incident_id, tmp_path)
        out, err = drill.communicate(timeout=60)  # it ends by itself once closed
    finally:
        if drill.poll() is None:
            drill.kill()
            drill.communicate()
    assert drill.returncode == 0, err
    card = cli.ok("score", incident_id)
    assert out == card
    lines = card.splitlines()
    assert lines[0] == (
        f"Drill {incident_id} (closed): A slow release that only latency shows [slow-release]"
    )
    assert lines[1] == "Score: 6 of 8 met"
    assert "Phase 1 Decision and Communication: done at T+00:" in lines[2]
    assert lines[2].endswith("of its T+0-5m window - within")
    tier = next(line for line in lines if line.startswith("Database tier"))
    assert tier == (
        "Database tier: down-migrations does not fit; none does: 2.4.1 changed no schema: "
        "there is nothing for the database to undo; the tier dialog showed: 2.4.1 → 2.4.0 "
        "undoes 3 commits and 0 migrations; suggested tier none: no migrations between the "
        "releases: the old code reads the schema - missed"
    )
    evidence = next(line for line in lines if line.startswith("Evidence"))
    assert evidence.startswith(
        "Evidence on verification steps: 2 of 3 on evidence (confirm-version: version 2.4.0 "
        "confirmed at T+"
    )
    assert evidence.endswith(
        "check-health: checked on an override (drill: not waiting for the settle); "
        "smoke-test: logged in, checked out) - missed"
    )
    status = cli.ok("status", incident_id).splitlines()
    assert status[2] == f"drill: a rehearsal; its score card: lastgood score {incident_id}"
    data = json.loads(cli.ok("score", incident_id, "--json"))
    assert (data["fault"], data["closed"], data["met"], data["of"]) == (
        "slow-release",
        True,
        6,
        8,
    )
    assert [line["verdict"] for line in data["lines"]].count("missed") == 2

    # Drills stay out of `list` unless asked for; a real incident is listed as before.
    assert cli.ok("list") == f"no incidents yet ({cli.db}; 1 drill: lastgood list --drills)\n"
    real = cli.ok(
        "declare", "--title", "Checkout down", "--severity", "SEV1", "--commander", "Ada"
    ).strip()
    assert [row["id"] for row in json.loads(cli.ok("list", "--json"))] == [real]
    both = json.loads(cli.ok("list", "--json", "--drills"))
    assert_valid("list", both)
    assert {row["id"]: row["drill"] for row in both} == {
        incident_id: "slow-release",
        real: None,
    }
    assert f"{incident_id}  SEV2  closed" in cli.ok("list", "--drills")
    refused = cli.run("score", real)
    assert (refused.code, refused.err) == (
        2,
        f"lastgood score: {real} is not a drill (lastgood drill rehearses one)\n",
    )


def drive(cli: Cli, incident_id: str, tmp_path: Path) -> None:
    """The rollback through the CLI: the decision, messages, the real switch on the shop,
    probes recorded by `monitor`, a tier that does not fit, one step checked over its
    evidence, close-out."""
    cli.ok("check", incident_id, "assess-severity")  # the declaration did the channel's and
    # the commander's steps: it names both
    cli.ok("decide", incident_id, "--reason", "checkout slow since 2.4.1")
    for template in ("announce", "paging", "initiating"):  # each checks its step
        cli.ok("send", incident_id, "--template", template)
    cli.ok("run", incident_id, "app-rollback-blue-green", "--yes")  # POSTs to the shop
    cli.ok("db-tier", incident_id, "down-migrations", "--reason", "undo 2.4.1")
    cli.ok("check", incident_id, "database-rollback")
    monitor = Cli(cli.db, actor="Ada")
    monitor.ok("monitor", incident_id, "--for", "2")  # under 5 samples: no health evidence
    cli.ok("check", incident_id, "confirm-version")
    cli.ok(
        "check",
        incident_id,
        "check-health",
        "--override",
        "drill: not waiting for the settle",
    )
    cli.ok("check", incident_id, "smoke-test", "--evidence", "logged in, checked out")
    cli.ok("send", incident_id, "--template", "resolved")
    cli.ok("export", incident_id, "-o", str(tmp_path / "report.md"), "--check-step")
    cli.ok("rca", incident_id, "2.4.1 made checkout slow")
    at = (datetime.now(UTC) + timedelta(hours=26)).strftime("%Y-%m-%dT%H:00:00Z")
    cli.ok("schedule-postmortem", incident_id, "--at", at, "--attendees", "Ada,Bo")
    cli.ok("close", incident_id)


def test_a_drill_left_open_says_how_to_go_on_with_its_probes_off(cli: Cli) -> None:
    """The shop stops with the drill: reopened with its probes on, they fail and their
    triggers may be recorded as met. The closing line said to reopen it so, warning
    that its probes would fail; it names `--no-probes` now, as the demo's does."""
    done = cli.run("drill", "--headless", "--for", "1")
    assert done.code == 0, done.err
    incident_id, last = done.out.splitlines()
    db = cli.db
    assert last == (
        f"Drill {incident_id} is still open; its score card, once it is closed: "
        f"lastgood --db {db} score {incident_id}; go on: lastgood --db {db} start "
        f"--incident {incident_id} --no-probes --as Ada (the shop has stopped: its probes off)"
    )
    assert "fail" not in last
