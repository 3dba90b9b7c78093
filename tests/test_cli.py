"""The CLI as a user and a pipeline run it, on a real SQLite file.

The whole incident and the demo run `lastgood` as separate processes; the other
tests call the same `main` in this process (`InProcessCli`), as what they check is
what a verb records and prints, not the process around it.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.cli_helpers import Cli, InProcessCli, declare


@pytest.fixture
def cli(tmp_path):
    return InProcessCli(tmp_path / "incidents.db")


@pytest.fixture
def process_cli(tmp_path):
    return Cli(tmp_path / "incidents.db")


def events(cli: Cli, incident_id: str) -> list[dict]:
    return json.loads(cli.ok("export", incident_id, "--format", "json"))["events"]


def status(cli: Cli, incident_id: str) -> dict:
    return json.loads(cli.ok("status", incident_id, "--json"))


def _tomorrow() -> str:
    return (datetime.now(UTC) + timedelta(hours=25)).isoformat(timespec="seconds")


CLOSE_OUT_BY_DOING = {
    "document-incident": lambda i, tmp: ("export", i, "-o", str(tmp / "r.md"), "--check-step"),
    "preliminary-rca": lambda i, tmp: ("rca", i, "2.4.1 retried 502s without backoff"),
    "schedule-post-mortem": lambda i, tmp: ("schedule-postmortem", i, "--at", _tomorrow()),
}
"""The close-out steps, each done by recording what it asks for."""


def test_whole_incident_with_the_bundled_runbook(process_cli, tmp_path):
    cli = process_cli
    incident_id = declare(cli)
    assert incident_id.startswith("INC-") and "\n" not in incident_id
    data = status(cli, incident_id)
    assert data["id"] == incident_id and data["severity"] == "SEV2"
    assert [p["window_min"] for p in data["phases"]] == [[0, 5], [5, 30], [15, 45], [45, None]]
    required = [s for s in data["steps"] if s["required"]]
    assert any(s["requires_approval"] for s in required), "the bundled runbook has a gate"

    for step in required:
        if step["requires_approval"]:
            blocked = cli.run("check", incident_id, step["id"])
            assert blocked.code == 2 and "needs approval" in blocked.err
            cli.ok("approve", incident_id, step["id"], "--by", "Ada", "--reason", "error rate 12%")
        if step["kind"] == "database":
            cli.ok("db-tier", incident_id, "none", "--reason", "expand-contract migration")
        if step["kind"] == "communication" and step["template"]:
            sent = cli.ok("send", incident_id, "--template", step["template"])
            if f"checked {step['id']}: the message was due" in sent:
                continue  # the runbook made it due: sending it completed the step
        if step["id"] in CLOSE_OUT_BY_DOING:  # recording the artefact checks the step
            done = cli.ok(*CLOSE_OUT_BY_DOING[step["id"]](incident_id, tmp_path))
            assert f"checked {step['id']}" in done
            continue
        cli.ok("check", incident_id, step["id"], "--by", "Bo")

    assert cli.ok("close", incident_id)
    final = status(cli, incident_id)
    assert final["status"] == "closed"
    assert {s["state"] for s in final["steps"] if s["required"]} == {"done"}

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


def test_verify_detects_an_edited_event(cli):
    incident_id = declare(cli)
    cli.ok("note", incident_id, "first")
    cli.ok("note", incident_id, "second")
    with sqlite3.connect(cli.db) as raw:
        raw.execute("DROP TRIGGER IF EXISTS events_no_update")
        for (name,) in raw.execute("SELECT name FROM sqlite_master WHERE type='trigger'"):
            raw.execute(f"DROP TRIGGER {name}")
        raw.execute("UPDATE events SET payload = replace(payload, 'first', 'forged') WHERE seq = 2")
    result = cli.run("verify", incident_id)
    assert result.code == 1
    assert "BROKEN at event 2" in result.out
    assert cli.run("verify", "--all").code == 1


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


DECLARE_SEV1 = ("declare", "--title", "x", "--severity", "SEV1", "--commander", "A")
IMPACT = ("measure-impact", "{id}", "--failed", "f", "--total", "t", "--prometheus")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("check", "{id}", "no-such-step"), "unknown step 'no-such-step'"),
        (("skip", "{id}", "assess-severity", "--reason", " "), "needs a reason"),
        (("check", "INC-0-NOPE", "x"), "no incident 'INC-0-NOPE'"),
        (("declare", "--title", "x", "--severity", "SEV7", "--commander", "A"), "unknown severity"),
        (("declare", "--title", "x", "--severity", "SEV1"), "required: --commander"),
        ((*DECLARE_SEV1, "--eta", "soon"), "not a whole number"),
        ((*DECLARE_SEV1, "--runbook", "nope"), "runbook"),
        ((*DECLARE_SEV1, "--started-at", "yesterday"), "--started-at"),
        ((*DECLARE_SEV1, "--started-at", "0001-01-01T00:00:00+01:00"), "out of range"),
        (
            (*DECLARE_SEV1, "--started-at", "1970-01-01T00:00:00Z"),
            "lastgood declare: the impact cannot start more than 7 days ago "
            "(the longest phase window) (--started-at)\n",
        ),
        (("schedule-postmortem", "{id}", "--at", "9999-12-31T23:59:59-01:00"), "out of range"),
        (("approve", "{id}", "assess-severity", "--by", "A", "--reason", "r"), "no approval gate"),
        (("db-tier", "{id}", "yolo", "--reason", "r"), "unknown database tier"),
        (("export", "{id}", "--format", "pdf"), "invalid choice"),
        (("verify",), "give an incident ID or --all"),
        (("verify", "INC-0-NOPE"), "no incident 'INC-0-NOPE'"),
        (("--db", "", "list"), "--db needs a path or a postgresql:// URL, not an empty string"),
        (("status", "{id}", "--db="), "--db needs a path"),
        (("check", "{id}", "nope\r\nsecond line"), "unknown step 'nope␍␊second line'"),
        (("status", "x\rlastgood status: all good"), "no incident 'x␍lastgood status: all good'"),
        ((*DECLARE_SEV1, "--eta", "so\non"), "'so␊on'"),
        ((*DECLARE_SEV1, "--eta", "6000000000"), "more than a year"),
        (("timeline", "{id}", "--gap=inf"), "'inf' is not a finite number"),
        (("timeline", "{id}", "--gap=1e308"), "--gap must be more than zero minutes and at most"),
        (("baseline", "{id}", "error-rate", "--value", "nan"), "'nan' is not a finite number"),
        (("baseline", "{id}", "error-rate", "--value=-inf"), "'-inf' is not a finite number"),
        (("deliver", "{id}", "--wait", "inf"), "--wait: 'inf' seconds is more than a year"),
        (("deliver", "{id}", "--wait", "1_0"), "--wait: '1_0' is not a number of seconds"),
        ((*DECLARE_SEV1, "--eta", "1_5"), "'1_5' is not a whole number"),
        (
            ("replay", "{id}", "--speed", "1e14"),
            "--speed must be more than zero and at most 10,000",
        ),
        ((*IMPACT, "http://[::1"), "--prometheus: invalid URL 'http://[::1': Invalid IPv6 URL"),
        (
            (*IMPACT, "http://h:99999"),
            "--prometheus: invalid URL 'http://h:99999': Port out of range",
        ),
        (
            (*IMPACT, "http://a:hunter2@h:99999"),
            "--prometheus: invalid URL 'http://a:…@h:99999': Port out of range",
        ),
        (("frobnicate",), "invalid choice"),
    ],
)
def test_errors_are_one_line_with_exit_2(cli, args, message):
    incident_id = declare(cli)
    before = status(cli, incident_id)["events"]
    result = cli.run(*(a.replace("{id}", incident_id) for a in args))
    assert result.code == 2, result
    assert message in result.err
    assert len(result.err.strip().splitlines()) == 1, result.err
    assert "Traceback" not in result.err
    assert status(cli, incident_id)["events"] == before


def test_every_subcommand_has_help(cli):
    import argparse

    from tui.cli.parser import build_parser

    top = cli.ok("--help")
    subparsers = next(
        a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)
    )
    verbs = sorted(subparsers.choices)
    assert {"declare", "check", "close", "export", "verify", "validate", "replay"} <= set(verbs)
    assert len(verbs) >= 30
    for verb in verbs:
        assert verb in top
        help_text = cli.ok(verb, "--help")
        assert help_text.startswith("usage: lastgood " + verb), verb
        assert "--db" in help_text or verb == "validate", verb


def test_bad_database_file_is_a_one_line_error(cli, tmp_path):
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"\x00\xffnot sqlite at all" * 200)
    result = cli.run("--db", str(garbage), "list")
    assert result.code == 2
    assert str(garbage) in result.err
    assert len(result.err.strip().splitlines()) == 1 and "Traceback" not in result.err
    assert garbage.read_bytes() == b"\x00\xffnot sqlite at all" * 200


def test_db_flag_overrides_environment(cli, tmp_path):
    other = tmp_path / "other.db"
    incident_id = cli.ok(
        "--db", str(other), "declare", "--title", "t", "--severity", "SEV3", "--commander", "A"
    ).strip()
    assert other.exists()
    assert incident_id in cli.ok("list", "--db", str(other))
    assert incident_id not in cli.ok("list")


def test_backdated_start_shows_in_elapsed(cli):
    started = datetime.now(UTC) - timedelta(days=6)
    incident_id = declare(cli, "--started-at", started.isoformat())
    data = status(cli, incident_id)
    assert data["started_at"] == started.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    assert data["elapsed_s"] > 86400 * 6
    assert {p["state"] for p in data["phases"]} == {"overdue", "active"}


def test_roles_pages_handoff_and_notes(cli):
    incident_id = declare(cli)
    cli.ok("assign", incident_id, "comms-lead", "Cy")
    cli.ok("page", incident_id, "payments on-call", "--note", "via PagerDuty")
    cli.ok("handoff", incident_id, "Bo", "--reason", "Ada's shift ended")
    cli.ok("note", incident_id, "rollback looks good", "--pin")
    cli.ok("severity", incident_id, "SEV1", "--reason", "spreading")
    data = status(cli, incident_id)
    assert data["roles"] == {"incident-commander": "Bo", "comms-lead": "Cy"}
    assert data["severity"] == "SEV1"
    timeline = cli.ok("export", incident_id)
    assert "Paged payments on-call" in timeline
    assert "handed from Ada to Bo" in timeline


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


def test_demo_walks_a_whole_rollback_and_verifies(process_cli):
    out = process_cli.ok("demo", "--headless")
    assert "Initiating rollback due to checkout failing for 12% of requests" in out
    assert "CLOSED" in out
    assert "Log verifies: True" in out
    report_line = next(line for line in out.splitlines() if line.startswith("Report: "))
    report = report_line.removeprefix("Report: ")
    with open(report, encoding="utf-8") as handle:
        assert handle.read().startswith("# Incident report: Checkout errors after 2.4.1")


def test_export_to_a_directory_is_refused_and_leaves_no_scratch_file(cli, tmp_path):
    incident_id = declare(cli)
    out = tmp_path / "reports" / "out"
    out.mkdir(parents=True)
    for verb in ("export", "timeline"):
        result = cli.run(verb, incident_id, "-o", str(out))
        assert result.code == 2, result
        assert result.err.strip() == f"lastgood {verb}: {out}: cannot write: Is a directory"
    assert [p.name for p in out.parent.iterdir()] == ["out"] and not any(out.iterdir())


def test_a_verb_on_an_incident_does_not_make_the_database_it_cannot_find(cli, tmp_path):
    typo = tmp_path / "incidnets.db"
    for args in (("check", "INC-1", "assess-severity"), ("note", "INC-1", "x")):
        result = cli.run("--db", str(typo), *args)
        assert result.code == 2, result
        assert result.err.strip().endswith(
            f"{typo}: no database here yet (declare an incident first)"
        )
    assert not typo.exists()
    declare(cli, "--db", str(typo))
    assert typo.exists()


def test_validate_names_a_file_on_one_line_whatever_its_name(cli, tmp_path):
    odd = tmp_path / "rollback\nforged.yaml"
    odd.write_text(Path("runbooks/rollback.yaml").read_text())
    result = cli.run("validate", str(odd))
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        f"{tmp_path}/rollback␊forged.yaml: ok (runbook 'rollback', 4 phases, 18 steps)"
    ]


def test_validate_reports_file_line_col_and_exit_2(cli, tmp_path):
    good = cli.run("validate", "runbooks/rollback.yaml", "runbooks/examples/rollback-checklist.md")
    assert good.code == 0, good.err
    assert "runbooks/rollback.yaml: ok (runbook 'rollback', 4 phases" in good.out
    bad = tmp_path / "bad.yaml"
    bad.write_text("runbook: x\ntitle: X\nphases:\n  - id: p\n    titel: P\n")
    garbage = tmp_path / "garbage.yaml"
    garbage.write_bytes(bytes(range(256)) * 4)
    tagged = tmp_path / "tagged.yaml"
    tagged.write_text("runbook: !!python/object:os.system x\n")
    result = cli.run("validate", str(bad), str(garbage), str(tagged), "runbooks/rollback.yaml")
    assert result.code == 2
    assert "Traceback" not in result.err
    lines = result.err.strip().splitlines()
    assert any(line.startswith(f"{bad}:5:5: unknown key 'titel'") for line in lines), lines
    assert any(line.startswith(f"{garbage}:2:118: not a text file") for line in lines), lines
    assert any(line.startswith(f"{tagged}:1:10: ") and "tag" in line for line in lines), lines


def test_validate_json_names_the_file_each_problem_is_in(cli, tmp_path):
    """A steps_from file's problem was put under the runbook's name alone: a CI annotation
    landed on the wrong file."""
    broken = tmp_path / "broken.md"
    broken.write_text("## Do\n- [ ] fine\n- [] broken\n")
    runbook = tmp_path / "sfb.yaml"
    runbook.write_text(
        "runbook: sfb\ntitle: T\nphases:\n  - {id: a, title: A, steps_from: broken.md}\n"
    )
    result = cli.run("validate", "--json", str(runbook))
    assert result.code == 2
    (checked,) = json.loads(result.out)["files"]
    assert checked["file"] == str(runbook)
    assert [(p["file"], p["line"], p["col"]) for p in checked["problems"]] == [(str(broken), 3, 3)]


def test_validate_counts_in_words(cli, tmp_path):
    one = tmp_path / "one.yaml"
    one.write_text(
        "runbook: x\ntitle: X\nphases:\n  - {id: a, title: A, steps: [{id: s, title: S}]}\n"
    )
    assert cli.ok("validate", str(one)).strip() == f"{one}: ok (runbook 'x', 1 phase, 1 step)"


def test_a_refused_declaration_creates_no_record(tmp_path):
    """A declaration the use case refuses (a start more than 7 days back, a blank title)
    left an empty database behind where none was."""
    db = tmp_path / "never.db"
    for refused_args in (
        ("--started-at", "1970-01-01T00:00:00Z"),
        ("--severity", "SEV1", "--title", " "),
    ):
        ran = InProcessCli(db).run(*DECLARE_SEV1, *refused_args)
        assert ran.code == 2 and ran.err.count("\n") == 1, ran.err
        assert not db.exists() and not list(tmp_path.iterdir())
