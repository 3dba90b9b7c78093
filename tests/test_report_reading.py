"""The documents of an incident driven from the shell, read back as a reviewer reads them.

Each test calls the CLI's `main` in this process (`InProcessCli`; the verbs run as
processes in tests/test_text_is_data_cli.py) on a real SQLite file, exports what
a finished incident has, and reads it with a CommonMark+GFM parser or as JSON: a
link goes where the text said, a heading shows the title as typed, one fact is
said the same way in each document.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import icalendar
import pytest

from incident.core.events import parse_timestamp
from tests.cli_helpers import Cli, InProcessCli
from tests.cli_helpers import declare as declare_shared
from tests.golden.markdown_checks import headings, inline_text, links, section_items, tokens

GRAFANA = "https://grafana.example/d/checkout?var-env=prod&from=now-1h&to=now"
WIKI = "https://wiki.example/Checkout_rollback_(blue*green)"
TICKET = "https://jira.example/browse/PAY-1?focused=1&tab=all"


@pytest.fixture
def cli(tmp_path) -> Cli:
    return InProcessCli(tmp_path / "incidents.db", actor="ada")


def declare(cli: Cli, title: str, *extra: str) -> str:
    """The shared incident (`cli_helpers.declare`), titled `title`."""
    return declare_shared(cli, "--title", title, *extra)


def test_web_addresses_in_notes_link_where_they_say_and_show_no_backslash(cli):
    incident = declare(cli, "Checkout errors after 2.4.1")
    cli.ok("note", incident, f"dashboard: {GRAFANA}, runbook ({WIKI}).")
    cli.ok("action", incident, "Add backoff", "--ticket", TICKET)
    for document in (
        cli.ok("export", incident),
        cli.ok("timeline", incident),
    ):
        found = tokens(document)
        assert not [link for link in links(found) if "%5C" in link or "\\" in link]
        assert {GRAFANA, WIKI, TICKET} <= set(links(found))
        shown = [inline_text(t) for t in found if t.type == "inline"]
        assert any(f"dashboard: {GRAFANA}, runbook ({WIKI})." in text for text in shown)
        assert any(f"ticket {TICKET})" in text for text in shown)
    report = tokens(cli.ok("export", incident))
    timeline = [inline_text(t) for t in section_items(report, "Timeline")]
    assert any(line.endswith(f"Note: dashboard: {GRAFANA}, runbook ({WIKI}).") for line in timeline)


def test_a_title_starting_with_a_hash_heads_each_document_as_typed(cli):
    title = "#inc-42 checkout 502s ##"
    incident = declare(cli, title)
    report = headings(tokens(cli.ok("export", incident)))
    timeline = headings(tokens(cli.ok("timeline", incident)))
    assert report[0] == (1, f"Incident report: {title}")
    assert timeline[0] == (1, f"Post-mortem timeline: {title}")


def test_time_to_detect_is_unknown_in_the_json_as_in_the_report_without_an_impact_start(cli):
    incident = declare(cli, "Checkout errors after 2.4.1")
    data = json.loads(cli.ok("export", incident, "--format", "json"))
    assert data["detection"]["from_impact_start_s"] is None
    assert data["impact"]["detection_s"] is None  # was 0.0: "detected at once"
    assert "time to detect not measured" in cli.ok("export", incident)


def test_time_to_detect_from_a_given_impact_start_agrees_across_the_json(cli):
    started = (datetime.now().astimezone() - timedelta(minutes=7)).isoformat(timespec="seconds")
    incident = declare(cli, "Checkout errors after 2.4.1", "--started-at", started)
    data = json.loads(cli.ok("export", incident, "--format", "json"))
    lag = data["detection"]["from_impact_start_s"]
    assert lag is not None and 7 * 60 - 1 <= lag < 8 * 60
    assert data["impact"]["detection_s"] == lag


def _clock_minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def test_an_update_promises_the_next_one_when_the_cadence_will_ask_for_it(cli):
    """The bundled cadence: the first update within 5 minutes of the declaration,
    then every 20 after the last message. The update sent now moves the next one to
    20 minutes from now; it said "Next update by" the time it was itself due."""
    incident = declare(cli, "Checkout errors after 2.4.1")
    cli.ok("send", incident, "--template", "update")
    status = json.loads(cli.ok("status", incident, "--json"))
    sent = json.loads(cli.ok("export", incident, "--format", "json"))["communications"][-1]
    promised = re.search(r"Next update by (\d\d:\d\d) UTC", sent["text"])
    assert promised is not None, sent["text"]
    due = parse_timestamp(status["next_update_due"])
    assert due - parse_timestamp(sent["at"]) == timedelta(minutes=20)
    # the message says the minute (rounded down) of the moment status counts to
    gap = _clock_minutes(due.strftime("%H:%M")) - _clock_minutes(promised.group(1))
    assert gap % (24 * 60) in (0, 1), (promised.group(1), status["next_update_due"])


def test_the_invitation_counts_the_record_as_booked_not_as_the_report_does(cli):
    """The invitation is written from the record up to its booking (so re-importing
    it moves nothing until a new booking); its count is that record's, said so, not
    a second figure for the record the report counts."""
    incident = declare(cli, "Checkout errors after 2.4.1")
    cli.ok("close", incident, "--force", "--reason", "drill")
    meeting = (datetime.now(UTC) + timedelta(hours=2)).strftime("%Y-%m-%dT%H:00:00Z")
    cli.ok("schedule-postmortem", incident, "--at", meeting)
    cli.ok("lesson", incident, "the runbook was out of date")
    data = json.loads(cli.ok("export", incident, "--format", "json"))
    booked = [e["seq"] for e in data["events"] if e["kind"] == "postmortem.scheduled"]
    description = icalendar.Calendar.from_ical(cli.ok("ics", incident)).walk("VEVENT")[0]
    text = str(description["DESCRIPTION"])
    assert f"Record when booked: {booked[-1]} events" in text
    assert f"{data['event_count']} events" not in text
