"""A message the runbook sends once per incident is not sent again by accident.

`lastgood send ID --template announce` sent the announcement a third time, exit 0,
without a word, and `--preview` said nothing of the earlier sends (a review). A
template whose `send` rule has a once-per-incident moment (declared, a step, a phase)
is refused once sent, naming who sent it and when, unless `--again`; the update
template and free text go as often as needed. The CLI as a person runs it, on a real
file; the report and the score read the record it leaves.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli_helpers import Cli, InProcessCli

RUNBOOK = """\
runbook: once-demo
title: Once per incident
templates:
  announce: "Rolling back {title} now."
  update: "Still rolling back {title}."
cadence:
  first_update_min: 5
  every_min: 20
notify:
  send:
    announce: {on: "step:decide"}
    update: {on: update-due}
phases:
  - id: decide
    title: Decide
    window: [0, 5]
    steps:
      - {id: decide, title: Decide to roll back, kind: approval, approver: incident-commander}
      - {id: announce, title: Announce, kind: communication, template: announce}
      - {id: verify, title: Verify}
"""


def declared(tmp_path: Path, actor: str = "Ada") -> tuple[Cli, str]:
    runbook = tmp_path / "runbook.yaml"
    runbook.write_text(RUNBOOK)
    cli = InProcessCli(tmp_path / "incident.db", actor=actor)
    incident_id = cli.ok(
        "declare",
        *("--title", "Checkout 5xx", "--severity", "SEV1", "--commander", "Ada"),
        *("--issue", "checkout errors", "--eta", "15", "--runbook", str(runbook)),
    ).strip()
    cli.ok("decide", incident_id, "--reason", "errors")
    return cli, incident_id


def sent(cli: Cli, incident_id: str) -> list[tuple[str, str | None]]:
    record = json.loads(cli.ok("export", incident_id, "--format", "json"))
    return [
        (e["actor"], e["payload"].get("template"))
        for e in record["events"]
        if e["kind"] == "communication.sent"
    ]


def test_a_once_per_incident_template_sent_already_is_refused_naming_the_send(tmp_path):
    ada, incident_id = declared(tmp_path)
    assert "message recorded as sent" in ada.ok("send", incident_id, "--template", "announce")

    bo = InProcessCli(ada.db, actor="Bo")
    again = bo.run("send", incident_id, "--template", "announce")
    assert again.code == 2 and again.out == ""
    [line] = again.err.splitlines()
    assert line.startswith("lastgood send: announce was already sent by Ada at T+"), line
    assert line.endswith("; sending it again tells stakeholders the same news twice (--again)")
    assert sent(ada, incident_id) == [("Ada", "announce")]


def test_again_sends_it_once_more_and_says_so_and_the_next_refusal_names_both(tmp_path):
    ada, incident_id = declared(tmp_path)
    ada.ok("send", incident_id, "--template", "announce")
    bo = InProcessCli(ada.db, actor="Bo")
    out = bo.ok("send", incident_id, "--template", "announce", "--again")
    assert "message recorded as sent" in out
    assert "sent again: announce was already sent by Ada at T+" in out
    assert sent(ada, incident_id) == [("Ada", "announce"), ("Bo", "announce")]

    third = ada.run("send", incident_id, "--template", "announce")
    assert third.code == 2
    assert " by Ada at T+" in third.err and " and by Bo at T+" in third.err


def test_preview_says_who_sent_it_on_stderr_and_prints_the_message_alone(tmp_path):
    ada, incident_id = declared(tmp_path)
    before = ada.run("send", incident_id, "--template", "announce", "--preview")
    assert (before.code, before.out, before.err) == (0, "Rolling back Checkout 5xx now.\n", "")
    ada.ok("send", incident_id, "--template", "announce")

    after = ada.run("send", incident_id, "--template", "announce", "--preview")
    assert (after.code, after.out) == (0, "Rolling back Checkout 5xx now.\n")
    [warning] = after.err.splitlines()
    assert warning.startswith("lastgood send: warning: announce was already sent by Ada at T+")
    assert warning.endswith("; sending it again takes --again")


def test_updates_and_free_text_go_as_often_as_needed(tmp_path):
    ada, incident_id = declared(tmp_path)
    for _ in range(2):
        ada.ok("send", incident_id, "--template", "update")
        ada.ok("send", incident_id, "--text", "still on it")
    assert sent(ada, incident_id) == [("Ada", "update"), ("Ada", None)] * 2


def test_a_repeat_is_an_inconsistency_in_the_report_not_an_update(tmp_path):
    ada, incident_id = declared(tmp_path)
    ada.ok("send", incident_id, "--template", "announce")
    InProcessCli(ada.db, actor="Bo").ok("send", incident_id, "--template", "announce", "--again")

    report = ada.ok("export", incident_id, "--tz", "UTC")
    section = report.split("## Inconsistencies", 1)[1].split("\n## ", 1)[0]
    assert "None found" not in section
    assert "The announce message, due once per incident, was sent again by Bo" in section
    assert "stakeholders got it twice (first sent by Ada at T+" in section
    assert "1 message up to" in report or "1 message so far" in report, report
