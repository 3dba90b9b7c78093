"""Close-out from the command line: each step done by its artefact, a tick refused without
one unless overridden, and the update cadence stopped by the resolution message.

On a real SQLite file, through the same `main` a pipeline or a coordinator runs, called
in this process (`InProcessCli`); tests/test_report_cli.py runs the post-mortem verbs
as separate processes.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from socket import gethostname

import pytest

from tests.cli_helpers import Cli, InProcessCli, declare
from tests.scenario_copies import scenario_copy


@pytest.fixture
def cli(tmp_path):
    return InProcessCli(tmp_path / "incidents.db")


def step(cli: Cli, incident_id: str, step_id: str) -> dict:
    data = json.loads(cli.ok("status", incident_id, "--json"))
    return next(s for s in data["steps"] if s["id"] == step_id)


@pytest.mark.parametrize(
    "step_id", ["document-incident", "preliminary-rca", "schedule-post-mortem"]
)
def test_a_close_out_step_is_not_ticked_without_its_artefact(cli, step_id):
    incident_id = declare(cli)
    refused = cli.run("check", incident_id, step_id)
    assert refused.code == 2
    assert f"'{step_id}' is done by doing it" in refused.err
    assert "(--override)" in refused.err and "Traceback" not in refused.err
    assert step(cli, incident_id, step_id)["state"] == "open"
    if step_id == "document-incident":  # the way said whole: export alone checks nothing
        assert (
            f"export the incident report to a file (lastgood export {incident_id} -o FILE "
            "--check-step), which checks it" in refused.err
        )

    cli.ok("check", incident_id, step_id, "--override", "done on the wiki, link in #inc")
    checked = step(cli, incident_id, step_id)
    assert checked["state"] == "done"
    events = json.loads(cli.ok("export", incident_id, "--format", "json"))["events"]
    assert events[-1]["payload"]["override"] == "done on the wiki, link in #inc"


@pytest.mark.parametrize(
    "step_id", ["document-incident", "preliminary-rca", "schedule-post-mortem", "assemble-team"]
)
def test_a_step_done_by_doing_it_checked_again_is_already_done(cli, step_id):
    """Before: a close-out step checked with an override, checked again, was refused as
    "done by doing it ... needs an override reason", and with one still refused, as
    already done; a message step (`assemble-team`) said already done from the first."""
    incident_id = declare(cli)
    cli.ok("check", incident_id, step_id, "--override", "done on the wiki, link in #inc")
    for again in ([], ["--override", "once more"]):
        refused = cli.run("check", incident_id, step_id, *again)
        assert refused.code == 2 and refused.out == ""
        assert re.fullmatch(
            rf"lastgood check: step '{step_id}' is already done \(by tester at T\+\d\d:\d\d\)\n",
            refused.err,
        ), refused.err


def test_an_ordinary_step_is_still_ticked_by_hand(cli):
    incident_id = declare(cli)
    cli.ok("check", incident_id, "assess-severity")
    assert step(cli, incident_id, "assess-severity")["state"] == "done"


def test_recording_the_root_cause_checks_its_step_with_the_text(cli):
    incident_id = declare(cli)
    said = cli.ok("rca", incident_id, "2.4.1 retried 502s\nwithout backoff")
    assert "root cause recorded" in said and "checked preliminary-rca" in said
    checked = step(cli, incident_id, "preliminary-rca")
    assert checked["evidence"] == "2.4.1 retried 502s without backoff"
    # Reopened, it may be ticked by hand again: the root cause is in the record.
    cli.ok("reopen", incident_id, "preliminary-rca", "--reason", "re-check after review")
    cli.ok("check", incident_id, "preliminary-rca")
    assert step(cli, incident_id, "preliminary-rca")["evidence"].startswith("2.4.1 retried")


def test_the_booking_checks_its_step(cli):
    incident_id = declare(cli)
    cli.ok("send", incident_id, "--template", "resolved")
    at = (datetime.now(UTC) + timedelta(hours=25)).replace(microsecond=0)
    said = cli.ok("schedule-postmortem", incident_id, "--at", at.isoformat())
    assert "checked schedule-post-mortem" in said
    evidence = step(cli, incident_id, "schedule-post-mortem")["evidence"]
    assert evidence == f"post-mortem booked for {at:%Y-%m-%d %H:%M:%S} UTC (60 min)"


def test_export_check_step_records_the_file_and_the_head_hash(cli, tmp_path):
    incident_id = declare(cli)
    report = tmp_path / "report.md"
    said = cli.ok("export", incident_id, "-o", str(report), "--check-step")
    assert "checked document-incident" in said
    evidence = step(cli, incident_id, "document-incident")["evidence"]
    match = re.fullmatch(r"report (.+), head ([0-9a-f]{64})", evidence)
    assert match is not None and match.group(1) == f"{report} on {gethostname()}"
    assert f"head hash `{match.group(2)}`" in report.read_text(encoding="utf-8")
    # The hash is the record's head when the report was written: verify agrees with it
    # up to that event (the check came after).
    events = json.loads(cli.ok("export", incident_id, "--format", "json"))["events"]
    assert events[-2]["hash"] == match.group(2)

    to_stdout = cli.run("export", incident_id, "--check-step")
    assert to_stdout.code != 0 and "needs the Markdown report written to a file" in to_stdout.err


def test_the_update_cadence_stops_at_the_resolution_message(cli):
    incident_id = declare(cli)
    before = json.loads(cli.ok("status", incident_id, "--json"))
    assert before["next_update_due"] is not None
    assert "next stakeholder update" in cli.ok("status", incident_id)

    cli.ok("send", incident_id, "--template", "resolved")
    after = json.loads(cli.ok("status", incident_id, "--json"))
    assert after["status"] == "open" and after["next_update_due"] is None
    assert [m for m in after["messages_due"] if m["moment"] == "update-due"] == []
    text = cli.ok("status", incident_id)
    assert "next stakeholder update" not in text
    assert re.search(r"resolved at \d\d:\d\d:\d\d UTC: no more stakeholder updates due", text)


@pytest.mark.parametrize(("scenario", "owed"), [("mid-phase-2", True), ("resolved", False)])
def test_no_update_is_owed_once_resolved_however_long_it_stays_open(tmp_path, scenario, owed):
    from incident import commands
    from incident.app.session import IncidentSession
    from incident.comms.due import due_messages
    from incident.core.phase_clocks import next_update_due

    recorded = scenario_copy(scenario, tmp_path / "s.db")
    clock = recorded.clock
    clock.advance(2 * 3600)
    state = IncidentSession(recorded.log, recorded.incident_id, clock).state
    assert not state.is_closed
    assert (next_update_due(state) is not None) is owed
    assert ("update" in {m.template for m in due_messages(state, clock.now())}) is owed
    missed = commands.record_overdue_update(state, actor="lastgood", clock=clock)
    assert bool(missed) is owed
    recorded.log.close()


def test_a_booking_sooner_than_a_day_after_resolution_is_said_to_be(cli):
    """Booked ten minutes after the resolution, it was called "within 48 h of
    resolution", as the guide's "within 24-48 hours" read as a deadline alone."""
    incident_id = declare(cli)
    cli.ok("send", incident_id, "--template", "resolved")
    soon = (datetime.now(UTC) + timedelta(minutes=10)).replace(microsecond=0)
    said = cli.ok("schedule-postmortem", incident_id, "--at", soon.isoformat())
    assert "after the resolution, sooner than the guide's 24-48 h" in said, said
    report = cli.ok("export", incident_id)
    [line] = [x for x in report.splitlines() if x.startswith("- Within 48 h of resolution")]
    assert line.endswith(", sooner than the guide's 24-48 h."), line

    later = (datetime.now(UTC) + timedelta(hours=25)).replace(microsecond=0)
    said = cli.ok("schedule-postmortem", incident_id, "--at", later.isoformat())
    assert "sooner" not in said, said
    assert "sooner" not in cli.ok("export", incident_id)
