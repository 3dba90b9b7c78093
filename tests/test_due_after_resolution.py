"""The phase-1 messages are moot once the resolution went out (ux_review15 #8): after
"Service is restored", offering "Initiating rollback … ETA 23:10" would tell
stakeholders the opposite of what they last heard. Through the CLI a coordinator runs,
on a real SQLite file."""

from __future__ import annotations

import json

from tests.cli_helpers import InProcessCli, declare

PHASE_ONE = {"announce", "paging", "initiating"}


def due(cli: InProcessCli, incident_id: str) -> set[str]:
    status = json.loads(cli.ok("status", incident_id, "--json"))
    return {message["template"] for message in status["messages_due"]}


def test_start_messages_are_due_no_more_once_the_resolution_was_sent(tmp_path):
    cli = InProcessCli(tmp_path / "incidents.db", actor="Ada")
    incident_id = declare(cli)
    cli.ok("decide", incident_id, "--reason", "checkout failing")
    cli.ok("send", incident_id, "--template", "announce")
    assert PHASE_ONE - {"announce"} <= due(cli, incident_id)

    cli.ok("send", incident_id, "--template", "resolved")

    assert due(cli, incident_id) & PHASE_ONE == set()
    assert "initiating" not in cli.ok("status", incident_id)


def test_a_start_message_left_unsent_is_said_moot_not_due_when_asked_for(tmp_path):
    from incident.app.session import IncidentSession
    from incident.comms.due import no_longer_due
    from incident.core.clock import SystemClock
    from store.sqlite_log import SqliteEventLog

    cli = InProcessCli(tmp_path / "incidents.db", actor="Ada")
    incident_id = declare(cli)
    cli.ok("decide", incident_id, "--reason", "checkout failing")
    cli.ok("send", incident_id, "--template", "resolved")

    log = SqliteEventLog.open(tmp_path / "incidents.db")
    try:
        state = IncidentSession(log, incident_id, SystemClock()).state
    finally:
        log.close()
    said = no_longer_due(state, "initiating")
    assert said.startswith("the resolution was sent by Ada at T+"), said
    assert said.endswith("before initiating: it is not due any more"), said
