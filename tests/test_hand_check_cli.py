"""A tick is not evidence: checking a message step or a probe's verification step by
hand, from the command line, on a fresh incident.

A communication step is done by sending its message (`send --template T` records it
and checks the step in the same append); ticked with no message from its template in
the record it needs an override reason. A verification step whose probe has no samples
yet needs what someone saw (`--evidence`) or an override reason. Each verb a test is
about (check, send, page, reopen) is a separate `lastgood` process on a real SQLite
file, as a user runs it; the declaration and the reads of what was recorded (status,
export) run the same `main` in-process.
"""

from __future__ import annotations

import json

import pytest

from tests.cli_helpers import Cli, declare


@pytest.fixture
def cli(tmp_path):
    return Cli(tmp_path / "incidents.db", actor="ada")


def step(cli: Cli, incident_id: str, step_id: str) -> dict:
    data = json.loads(cli.in_process().ok("status", incident_id, "--json"))
    return next(s for s in data["steps"] if s["id"] == step_id)


def events(cli: Cli, incident_id: str) -> list[dict]:
    return json.loads(cli.in_process().ok("export", incident_id, "--format", "json"))["events"]


@pytest.mark.parametrize(
    ("step_id", "template"),
    [
        ("announce-rollback", "announce"),
        ("assemble-team", "paging"),
        ("notify-stakeholders", "initiating"),
        ("communicate-resolution", "resolved"),
    ],
)
def test_a_message_step_is_not_ticked_without_its_message(cli, step_id, template):
    incident_id = declare(cli.in_process())
    refused = cli.run("check", incident_id, step_id)
    assert refused.code == 2 and refused.out == ""
    assert len(refused.err.splitlines()) == 1 and "Traceback" not in refused.err
    assert refused.err.startswith(
        f"lastgood check: '{step_id}' is done by doing it: send the '{template}' message "
        "(send), which checks it"
    )
    assert refused.err.rstrip().endswith("needs an override reason (--override)")
    assert step(cli, incident_id, step_id)["state"] == "open"

    cli.ok("check", incident_id, step_id, "--override", "told them on the bridge call")
    checked = events(cli, incident_id)[-1]
    assert checked["kind"] == "step.checked"
    assert checked["payload"]["step"] == step_id
    assert checked["payload"]["override"] == "told them on the bridge call"
    assert step(cli, incident_id, step_id)["state"] == "done"


def test_sending_checks_the_step_at_once_and_a_reopened_step_is_checked_with_it(cli):
    incident_id = declare(cli.in_process())
    said = cli.ok("send", incident_id, "--template", "announce")
    assert "checked announce-rollback" in said
    sent, checked = events(cli, incident_id)[-2:]
    assert (sent["kind"], checked["kind"]) == ("communication.sent", "step.checked")
    assert checked["payload"]["step"] == "announce-rollback"
    assert checked["seq"] == sent["seq"] + 1  # the same append: nothing between them

    # Reopened, it is checked by hand without a second message: the first is its evidence.
    cli.ok("reopen", incident_id, "announce-rollback", "--reason", "ticked too early")
    cli.ok("check", incident_id, "announce-rollback")
    evidence = step(cli, incident_id, "announce-rollback")["evidence"]
    assert evidence.startswith("'announce' message sent by ada at T+")
    kinds = [e["kind"] for e in events(cli, incident_id)]
    assert kinds.count("communication.sent") == 1


def test_a_recorded_page_is_what_assembling_the_team_asked_for(cli):
    incident_id = declare(cli.in_process())
    refused = cli.run("check", incident_id, "assemble-team")
    assert refused.code == 2 and "or record the page (page) and check it" in refused.err
    cli.ok("page", incident_id, "payments on-call", "--note", "via PagerDuty")
    assert step(cli, incident_id, "assemble-team")["state"] == "open"  # paging checks nothing
    cli.ok("check", incident_id, "assemble-team")
    evidence = step(cli, incident_id, "assemble-team")["evidence"]
    assert evidence.startswith("paged payments on-call (recorded by ada at T+")


@pytest.mark.parametrize(
    ("step_id", "probe"), [("confirm-version", "version"), ("check-health", "error-rate")]
)
def test_a_verification_step_with_no_samples_needs_what_was_seen(cli, step_id, probe):
    incident_id = declare(cli.in_process())
    refused = cli.run("check", incident_id, step_id, "--note", "looks fine")
    assert refused.code == 2 and refused.out == ""
    assert refused.err == (
        f"lastgood check: probe '{probe}' has no samples yet: checking '{step_id}' needs "
        "evidence typed by hand (what you saw) or an override reason (--evidence or --override)\n"
    )
    assert step(cli, incident_id, step_id)["state"] == "open"

    cli.ok("check", incident_id, step_id, "--evidence", "kubectl shows 2.4.0 on every pod")
    checked = step(cli, incident_id, step_id)
    assert (checked["state"], checked["evidence"]) == ("done", "kubectl shows 2.4.0 on every pod")


def test_an_override_checks_a_verification_step_with_no_samples(cli):
    incident_id = declare(cli.in_process())
    cli.ok("check", incident_id, "confirm-version", "--override", "probe not reachable from here")
    checked = events(cli, incident_id)[-1]["payload"]
    assert (checked["step"], checked["override"]) == (
        "confirm-version",
        "probe not reachable from here",
    )
    assert not checked.get("evidence")
