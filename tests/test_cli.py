"""The CLI as a user and a pipeline run it, on a real SQLite file: a whole incident.

The whole incident and the demo run `lastgood` as separate processes; the other
tests call the same `main` in this process (`InProcessCli`), as what they check is
what a verb records and prints, not the process around it. Refusals and help are in
`test_cli_usage.py`, which file a verb opens in `test_cli_database.py`, `validate` in
`test_cli_validate.py`.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from tests.cli_helpers import Cli, InProcessCli, declare
from tests.cli_status import status


@pytest.fixture
def cli(tmp_path):
    return InProcessCli(tmp_path / "incidents.db")


@pytest.fixture
def process_cli(tmp_path):
    return Cli(tmp_path / "incidents.db")


def events(cli: Cli, incident_id: str) -> list[dict]:
    return json.loads(cli.ok("export", incident_id, "--format", "json"))["events"]


def _tomorrow() -> str:
    return (datetime.now(UTC) + timedelta(hours=25)).isoformat(timespec="seconds")


CLOSE_OUT_BY_DOING = {
    "create-channel": lambda i, tmp: ("channel", i, "#inc-checkout"),
    "document-incident": lambda i, tmp: ("export", i, "-o", str(tmp / "r.md"), "--check-step"),
    "preliminary-rca": lambda i, tmp: ("rca", i, "2.4.1 retried 502s without backoff"),
    "schedule-post-mortem": lambda i, tmp: ("schedule-postmortem", i, "--at", _tomorrow()),
}
"""The close-out steps and the channel step, each done by recording what it asks for."""


def test_whole_incident_with_the_bundled_runbook(process_cli, tmp_path):
    cli = process_cli
    incident_id = declare(cli)
    assert incident_id.startswith("INC-") and "\n" not in incident_id
    data = status(cli, incident_id)
    assert data["id"] == incident_id and data["severity"] == "SEV2"
    assert [p["window_min"] for p in data["phases"]] == [[0, 5], [5, 30], [15, 45], None]
    required = [s for s in data["steps"] if s["required"]]
    assert any(s["requires_approval"] for s in required), "the bundled runbook has a gate"

    done = [s["id"] for s in required if s["state"] == "done"]
    assert done == ["assign-commander"]  # the declaration named the commander: done by it
    for step in required:
        if step["state"] == "done":
            continue
        if step["requires_approval"]:
            blocked = cli.run("check", incident_id, step["id"])
            assert blocked.code == 2 and "needs approval" in blocked.err
            cli.ok("approve", incident_id, step["id"], "--by", "Ada", "--reason", "error rate 12%")
        if step["kind"] == "database":  # no database rollback: the choice checks the step
            tiered = cli.ok("db-tier", incident_id, "none", "--reason", "expand-contract migration")
            assert f"{step['id']} checked" in tiered
            continue
        if step["kind"] == "communication" and step["template"]:
            sent = cli.ok("send", incident_id, "--template", step["template"])
            if f"checked {step['id']}: the message was due" in sent:
                continue  # the runbook made it due: sending it completed the step
        if step["id"] in CLOSE_OUT_BY_DOING:  # recording the artefact checks the step
            done = cli.ok(*CLOSE_OUT_BY_DOING[step["id"]](incident_id, tmp_path))
            assert f"checked {step['id']}" in done
            continue
        # No probe polled here: what Bo saw is a verification step's evidence, and what
        # was done the application rollback's (ux_review15 #6).
        by_hand = step["kind"] == "verification" or step["id"].startswith("app-rollback")
        seen = ("--evidence", "seen by Bo") if by_hand else ()
        cli.ok("check", incident_id, step["id"], "--by", "Bo", *seen)

    assert cli.ok("close", incident_id)
    final = status(cli, incident_id)
    assert final["status"] == "closed"
    assert {s["state"] for s in final["steps"] if s["required"]} == {"done"}
    verified = [s for s in final["steps"] if s["kind"] == "verification"]
    assert verified and all(s["evidence"] == "seen by Bo" for s in verified)

    report = cli.ok("export", incident_id)
    assert report.startswith("# Incident report: Checkout errors after 2.4.1")
    for heading in ("## Roles", "## Phases against targets", "## Timeline"):
        assert heading in report
    assert "Initiating rollback due to checkout failing. ETA" in report
    messages = [e for e in events(cli, incident_id) if e["kind"] == "communication.sent"]
    assert [m["payload"].get("moment") for m in messages] == [
        "step:decide-rollback",
        "step:decide-rollback",
        "step:decide-rollback",
        "phase:verify",
    ]

    out_file = tmp_path / "record.json"
    cli.ok("export", incident_id, "--format", "json", "-o", str(out_file))
    record = json.loads(out_file.read_text())
    assert record["status"]["status"] == "closed"
    assert record["events"][0]["kind"] == "incident.declared"
    assert record["events"][-1]["kind"] == "incident.closed"

    verified = cli.ok("verify", incident_id)
    assert f"ok, {len(record['events'])} events, head {record['head_hash']}" in verified
    assert incident_id in cli.ok("list")


def test_close_refuses_open_required_steps_until_forced(cli):
    incident_id = declare(cli)
    refused = cli.run("close", incident_id)
    assert refused.code == 2
    assert "required steps still open" in refused.err
    assert len(refused.err.strip().splitlines()) == 1
    no_reason = cli.run("close", incident_id, "--force")
    assert no_reason.code == 2 and "reason" in no_reason.err
    cli.ok("close", incident_id, "--force", "--reason", "false alarm, metrics bug")
    assert status(cli, incident_id)["status"] == "closed"


def test_backdated_start_shows_in_elapsed(cli):
    started = datetime.now(UTC) - timedelta(days=6)
    incident_id = declare(cli, "--started-at", started.isoformat())
    data = status(cli, incident_id)
    assert data["started_at"] == started.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    assert data["elapsed_s"] > 86400 * 6
    # The windows start at the declaration, not six days back: phase 1 has its five
    # minutes. Close-out has no deadline: upcoming until the rollback before it is done.
    assert [p["state"] for p in data["phases"]] == ["active", "upcoming", "upcoming", "upcoming"]


def test_roles_pages_handoff_and_notes(cli):
    incident_id = declare(cli)
    cli.ok("assign", incident_id, "comms-lead", "Cy")
    cli.ok("page", incident_id, "payments on-call", "--note", "via PagerDuty")
    cli.ok("handoff", incident_id, "Bo", "--reason", "Ada's shift ended")
    cli.ok("note", incident_id, "rollback looks good", "--pin")
    cli.ok("severity", incident_id, "SEV1", "--reason", "spreading")
    data = status(cli, incident_id)
    assert data["roles"] == {
        "incident-commander": "Bo",
        "deployment-coordinator": "tester",
        "comms-lead": "Cy",
    }
    assert data["severity"] == "SEV1"
    timeline = cli.ok("export", incident_id)
    assert "Paged payments on-call" in timeline
    assert "handed command from Ada to Bo" in timeline  # by someone else: named first


def test_send_preview_records_nothing(cli):
    incident_id = declare(cli)
    preview = cli.ok("send", incident_id, "--template", "initiating", "--preview")
    assert preview.startswith("Initiating rollback due to checkout failing. ETA ")
    assert status(cli, incident_id)["communications"] == 0


def test_run_executes_a_command_step_only_when_confirmed(cli, tmp_path):
    runbook = tmp_path / "cmd.yaml"
    marker = tmp_path / "ran.txt"
    runbook.write_text(
        "runbook: cmd\n"
        "title: Command runbook\n"
        "phases:\n"
        "  - id: execute\n"
        "    title: Execute Rollback\n"
        "    window: [0, 30]\n"
        "    steps:\n"
        "      - id: switch\n"
        "        title: Switch traffic back\n"
        "        kind: command\n"
        f"        command: echo switched > {marker}\n"
        "      - id: fail\n"
        "        title: A command that fails\n"
        "        kind: command\n"
        "        command: exit 3\n"
    )
    incident_id = cli.ok(
        "declare",
        "--title",
        "t",
        "--severity",
        "SEV3",
        "--commander",
        "A",
        "--runbook",
        str(runbook),
    ).strip()
    refused = cli.run("run", incident_id, "switch")
    assert refused.code == 2 and "--yes" in refused.err and not marker.exists()
    cli.ok("run", incident_id, "switch", "--yes")
    assert marker.read_text() == "switched\n"
    failed = cli.run("run", incident_id, "fail", "--yes")
    assert failed.code == 1 and "exited 3" in failed.err
    data = status(cli, incident_id)
    states = {s["id"]: s["state"] for s in data["steps"]}
    assert states == {"switch": "done", "fail": "open"}
    exported = json.loads(cli.ok("export", incident_id, "--format", "json"))
    ran = [e["payload"] for e in exported["events"] if e["kind"] == "command.ran"]
    assert [r["exit_code"] for r in ran] == [0, 3]


def test_list_on_a_fresh_machine(cli):
    assert "no incidents yet" in cli.ok("list")
    assert json.loads(cli.ok("list", "--json")) == []


def test_list_says_there_is_no_database_where_none_is(cli, tmp_path):
    """A mistyped `--db` listed "no incidents yet (PATH)", as if a record were there
    and empty; `status` says there is no database. Still exit 0 and [] for scripts."""
    missing = tmp_path / "no" / "such" / "x.db"
    assert cli.ok("--db", str(missing), "list") == f"no incidents yet: no database at {missing}\n"
    assert json.loads(cli.ok("--db", str(missing), "list", "--json")) == []
    assert not missing.parent.exists()
    declare(cli)
    assert cli.ok("list").startswith("INC-")


def test_list_json_says_on_stderr_there_is_no_database_where_none_is(process_cli, tmp_path):
    """`list --json` on a path where no database is (a mistyped LASTGOOD_DB, a volume
    not mounted) printed `[]`, exit 0, and nothing on stderr: a cron job asking "any
    open incidents?" was told "none", successfully (review 9, finding 2). stdout is
    still `[]` and the exit 0 (a new machine's record is made by its first
    declaration); stderr says what the plain `list` says."""
    missing = tmp_path / "not-mounted" / "x.db"
    listed = process_cli.run("--db", str(missing), "list", "--json")
    assert (listed.code, listed.out) == (0, "[]\n"), listed
    assert listed.err == f"lastgood list: no incidents yet: no database at {missing}\n"
    assert not missing.parent.exists()
    process_cli.env["LASTGOOD_DB"] = str(missing)  # the variable, as a bot's unit sets it
    assert process_cli.run("list", "--json").err == listed.err


def test_demo_walks_a_whole_rollback_and_verifies(process_cli):
    out = process_cli.ok("demo", "--headless")
    assert "Initiating rollback due to checkout failing for 12% of requests" in out
    assert "CLOSED" in out
    assert "\nverify: ok, " in out
    report_line = next(line for line in out.splitlines() if line.startswith("Report: "))
    report = report_line.removeprefix("Report: ")
    with open(report, encoding="utf-8") as handle:
        assert handle.read().startswith("# Incident report: Checkout errors after 2.4.1")


def test_a_severity_is_read_in_any_case(cli):
    """`--severity sev2` was refused: unknown severity 'sev2' (choose SEV1, ...)."""
    incident_id = cli.ok(
        "declare", "--title", "t", "--severity", "sev2", "--commander", "Ada"
    ).strip()
    assert status(cli, incident_id)["severity"] == "SEV2"
    assert cli.ok("severity", incident_id, "Sev1", "--reason", "spreading").endswith(
        "severity is now SEV1\n"
    )
    assert status(cli, incident_id)["severity"] == "SEV1"
    refused = cli.run("severity", incident_id, "sev1", "--reason", "again")
    assert (refused.code, refused.err) == (2, "lastgood severity: the incident is already SEV1\n")
