"""What the command line records, and says, as the TUI does (a parity review).

Each test here was a disagreement between the faces: the same use case recording
or showing differently from the CLI and from the TUI. The TUI's side is in
`tests/tui/` (the composer's channel, the approval's default, the closed clocks).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from incident import commands
from incident.core.clock import ManualClock
from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import InProcessCli, declare
from tests.tui.due_harness import DETAILS
from tui.demo.scenarios import bundled_runbook


@pytest.fixture
def cli(tmp_path):
    return InProcessCli(tmp_path / "incidents.db")


def declared_minutes_ago(db: Path, minutes: int) -> str:
    """An incident of the bundled runbook declared `minutes` ago (the CLI declares now)."""
    clock = ManualClock(datetime.now(UTC) - timedelta(minutes=minutes))
    with SqliteEventLog.open(db) as log:
        event = commands.declare(bundled_runbook(), DETAILS, actor="tester", clock=clock)
        log.append([event])
    return event.incident_id


def test_a_recording_verb_records_the_stakeholder_update_missed_as_the_tui_does(cli):
    """The first update is due 5 minutes after declaring; an open TUI records its miss
    on the next tick, and so does the next `lastgood` that records anything."""
    incident_id = declared_minutes_ago(cli.db, 9)
    cli.ok("note", incident_id, "still rolling back")
    cli.ok("note", incident_id, "and again")  # recorded once
    record = json.loads(cli.ok("export", incident_id, "--format", "json"))
    kinds = [(e["kind"], e["actor"]) for e in record["events"]]
    assert kinds[1:] == [
        ("note.added", "tester"),
        ("update.overdue", "lastgood"),
        ("note.added", "tester"),
    ]
    assert "was not sent" in cli.ok("timeline", incident_id)


def test_a_baseline_reads_as_a_sentence_in_the_timeline(cli):
    """It read `baseline.captured`, the event's kind (a parity review)."""
    incident_id = declare(cli)
    cli.ok("baseline", incident_id, "error-rate", "--value", "0.004")
    timeline = cli.ok("timeline", incident_id)
    assert "Baseline of error-rate: 0.004 (given)" in timeline
    assert "baseline.captured" not in timeline


def test_text_is_recorded_without_the_spaces_around_it_as_the_tui_records_it(cli):
    """The TUI's fields dropped the spaces around a note; the CLI kept them, so the
    brief read 'by Ada:   custom words  ' (a parity review)."""
    incident_id = declare(cli)
    cli.ok("note", incident_id, "  pinned one  ", "--pin")
    cli.ok("check", incident_id, "assess-severity", "--note", "\t5xx at 12%\n")
    record = json.loads(cli.ok("export", incident_id, "--format", "json"))
    payloads = [e["payload"] for e in record["events"][2:]]  # after the commander's step
    assert payloads[0]["text"] == "pinned one"
    assert payloads[1]["note"] == "5xx at 12%"


def test_a_name_is_one_person_whichever_verb_records_it(cli):
    """`approve --by "Bo  Smith"` recorded "Bo Smith", `decide --by` the same name as
    typed: one person was two in the record (a review)."""
    incident_id = declare(cli, "--commander", "Bo Smith")
    cli.ok("decide", incident_id, "--by", "Bo  Smith", "--reason", "5xx at 12%")
    status = json.loads(cli.ok("status", incident_id, "--json"))
    assert [a["by"] for a in status["approvals"]] == ["Bo Smith"]


def test_a_tier_that_loses_data_chosen_before_the_decision_is_said(cli):
    """The TUI asks before it; the CLI recorded it without a word (a parity review).
    It still records it (a pipeline that chose it knows what it did), and says so."""
    incident_id = declare(cli)
    early = cli.ok("db-tier", incident_id, "restore-backup", "--reason", "column dropped")
    assert "warning: the rollback decision is not recorded yet, and" in early
    assert "will lose data" in early
    cli.ok("decide", incident_id, "--reason", "checkout broken", "--by", "Ada")
    later = cli.ok("db-tier", incident_id, "down-migrations", "--reason", "reversible")
    assert "warning" not in later


@pytest.mark.parametrize("template", ["initiating", None], ids=["due template", "own words"])
def test_send_records_the_channel_it_is_given(cli, template):
    """A due template went to the incident's channel whatever --channel said."""
    incident_id = declare(cli, "--channel", "#inc-checkout")
    cli.ok(
        "decide", incident_id, "--reason", "checkout broken", "--by", "Ada"
    )  # makes `initiating` due
    words = ["--template", template] if template else ["--text", "all fine"]
    sent = cli.ok("send", incident_id, *words, "--channel", "#ops")
    assert ("the message was due" in sent) == (template is not None)
    cli.ok("send", incident_id, "--text", "to the incident's channel")
    record = json.loads(cli.ok("export", incident_id, "--format", "json"))
    channels = [
        e["payload"]["channel"] for e in record["events"] if e["kind"] == "communication.sent"
    ]
    assert channels == ["#ops", "#inc-checkout"]
