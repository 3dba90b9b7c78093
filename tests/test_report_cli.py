"""The post-mortem verbs as a user runs them, on a real SQLite file.

The whole post-mortem and the machine's time zone run `lastgood` as separate
processes; the other tests call the same `main` in this process (`InProcessCli`).
"""

from __future__ import annotations

import json
import re
import subprocess
from datetime import timedelta

import pytest

from incident.core.events import format_timestamp, parse_timestamp
from tests.cli_helpers import Cli, InProcessCli, lastgood_command
from tests.golden.markdown_checks import headings, html_tokens, tokens

NEW_VERBS = ["rca", "action", "lesson", "schedule-postmortem", "timeline", "ics"]


@pytest.fixture
def cli(tmp_path):
    return InProcessCli(tmp_path / "incidents.db", actor="ada")


@pytest.fixture
def process_cli(tmp_path):
    return Cli(tmp_path / "incidents.db", actor="ada")


def declare(cli: Cli) -> str:
    return cli.ok(
        "declare",
        "--title",
        "Checkout errors after 2.4.1",
        "--severity",
        "SEV2",
        "--commander",
        "Ada",
        "--pattern",
        "blue-green",
        "--from-version",
        "2.4.1",
        "--last-good",
        "2.4.0",
    ).strip()


def status(cli: Cli, incident_id: str) -> dict:
    return json.loads(cli.ok("status", incident_id, "--json"))


def at(cli: Cli, incident_id: str, after: timedelta) -> str:
    closed_at = parse_timestamp(status(cli, incident_id)["closed_at"])
    return format_timestamp(closed_at + after)


def one_line_error(result, code: int = 2) -> str:
    assert result.code == code, result
    assert len(result.err.strip().splitlines()) == 1, result.err
    assert "Traceback" not in result.err
    return result.err


def test_every_new_verb_has_help(cli):
    top = cli.ok("--help")
    for verb in NEW_VERBS:
        assert verb in top
        assert cli.ok(verb, "--help").startswith(f"usage: lastgood {verb}")


def test_post_mortem_work_from_the_command_line(process_cli, tmp_path):
    cli = process_cli
    incident_id = declare(cli)
    assert "root cause recorded" in cli.ok("rca", incident_id, "retry storm in 2.4.1")
    cli.ok("note", incident_id, "canary was skipped", "--pin")

    refused = cli.run("schedule-postmortem", incident_id, "--at", "2026-12-01T10:00:00Z")
    assert "close the incident first" in one_line_error(refused)

    cli.ok("close", incident_id, "--force", "--reason", "drill")
    cli.ok("action", incident_id, "Restore the canary", "--owner", "Bo", "--due", "2099-12-04")
    cli.ok("action", incident_id, "Alert on retries")
    cli.ok("lesson", incident_id, "trigger fired fast", "--kind", "went-well")
    cli.ok("lesson", incident_id, "no canary")

    too_late = at(cli, incident_id, timedelta(hours=48, minutes=1))
    before = status(cli, incident_id)["events"]
    refused = cli.run("schedule-postmortem", incident_id, "--at", too_late)
    err = one_line_error(refused)
    deadline = parse_timestamp(at(cli, incident_id, timedelta(hours=48)))
    assert f"by {deadline:%Y-%m-%d %H:%M:%S} UTC, not " in err and err.rstrip().endswith(
        "(--reason)"
    )
    assert status(cli, incident_id)["events"] == before

    no_reason = cli.run("schedule-postmortem", incident_id, "--at", too_late, "--force")
    assert "needs a reason" in one_line_error(no_reason)

    ics_none = cli.run("ics", incident_id)
    assert "no post-mortem booked" in one_line_error(ics_none)

    when = at(cli, incident_id, timedelta(hours=14))  # the next morning: within 48 h
    out = cli.ok(
        "schedule-postmortem",
        incident_id,
        "--at",
        when,
        "--duration",
        "45",
        "--attendees",
        "Ada,Bo,cy@example.com",
        "--organizer",
        "ada@example.com",
    )
    assert "post-mortem booked for" in out and f"lastgood ics {incident_id}" in out

    invitation = tmp_path / "postmortem.ics"
    cli.ok("ics", incident_id, "-o", str(invitation))
    raw = invitation.read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    unfolded = raw.decode().replace("\r\n ", "")
    start = parse_timestamp(when)
    assert f"DTSTART:{start:%Y%m%dT%H%M%S}Z\r\n" in unfolded
    assert f"DTEND:{start + timedelta(minutes=45):%Y%m%dT%H%M%S}Z\r\n" in unfolded
    assert f"UID:postmortem-{incident_id}@lastgood\r\n" in unfolded
    assert "METHOD:REQUEST\r\n" in unfolded and "ORGANIZER:mailto:ada@example.com\r\n" in unfolded
    assert "RSVP=TRUE:mailto:cy@example.com\r\n" in unfolded
    exported = subprocess.run(
        [*lastgood_command(), "export", incident_id, "--format", "ics"],
        env=cli.env,
        capture_output=True,
        check=True,
    )
    assert exported.stdout == raw  # bytes as written: CRLF kept on stdout too

    record = json.loads(cli.ok("export", incident_id, "--format", "json"))
    assert record["status"]["status"] == "closed"
    assert record["events"][0]["kind"] == "incident.declared"
    assert record["head_hash"] == record["events"][-1]["hash"]
    assert record["event_count"] == len(record["events"])
    assert [r["text"] for r in record["rca"]] == ["retry storm in 2.4.1"]
    assert [
        (a["number"], a["text"], a["owner"], a["due"], a["status"]) for a in record["action_items"]
    ] == [
        (1, "Restore the canary", "Bo", "2099-12-04", "open"),
        (2, "Alert on retries", None, None, "open"),
    ]
    assert [(x["text"], x["category"]) for x in record["lessons"]] == [
        ("trigger fired fast", "went-well"),
        ("no canary", None),
    ]
    meeting = record["postmortem"]
    assert meeting["scheduled"] is True
    assert meeting["starts_at"] == when
    assert meeting["duration_min"] == 45
    assert meeting["attendees"] == ["Ada", "Bo", "cy@example.com"]
    assert meeting["forced"] is False
    assert {m["key"] for m in record["impact"]["milestones"]} >= {
        "rollback_decision",
        "app_rolled_back",
        "service_verified",
        "closed",
    }
    assert record["impact"]["severity_time_s"].keys() == {"SEV2"}
    assert isinstance(record["error_rate"], list) and isinstance(record["phase_results"], list)
    kinds = [e["kind"] for e in record["events"]]
    for kind in ("rca.noted", "action_item.added", "lesson.noted", "postmortem.scheduled"):
        assert kind in kinds

    verified = cli.ok("verify", incident_id)
    assert f"ok, {record['event_count']} events, head {record['head_hash']}" in verified


def test_forced_booking_is_recorded_with_its_reason(cli):
    incident_id = declare(cli)
    cli.ok("close", incident_id, "--force", "--reason", "drill")
    late = at(cli, incident_id, timedelta(hours=72))
    cli.ok("schedule-postmortem", incident_id, "--at", late, "--force", "--reason", "offsite")
    meeting = json.loads(cli.ok("export", incident_id, "--format", "json"))["postmortem"]
    assert meeting["forced"] is True and meeting["reason"] == "offsite"
    report = cli.ok("export", incident_id, "--tz", "UTC")
    assert "- Outside its window (between " in report
    assert "): offsite." in report


def test_report_and_timeline_from_the_command_line(cli, tmp_path):
    incident_id = declare(cli)
    cli.ok("note", incident_id, "# not a heading | <b>", "--pin")
    cli.ok("close", incident_id, "--force", "--reason", "drill")
    report = cli.ok("export", incident_id, "--tz", "Europe/Paris")
    assert report.startswith("# Incident report: Checkout errors after 2.4.1\n")
    assert "local times (in brackets) are Europe/Paris" in report
    found = tokens(report)
    assert next(h for h in headings(found) if h[0] == 2) == (2, "Summary")
    assert html_tokens(found) == []

    timeline = cli.ok("timeline", incident_id, "--gap", "1", "--tz", "Europe/Paris")
    assert timeline.startswith("# Post-mortem timeline: Checkout errors after 2.4.1\n")
    found = tokens(timeline)
    assert (2, "Pinned notes") in headings(found) and html_tokens(found) == []
    assert "📌" in timeline and "★ **Incident closed**" in timeline

    # A gap under a second read "more than 0s" (a hostile review).
    short = cli.ok("timeline", incident_id, "--gap", "0.01")
    assert "⚠ more than 0.6s with no action recorded" in short

    out_file = tmp_path / "timeline.md"
    cli.ok("timeline", incident_id, "-o", str(out_file), "--tz", "Europe/Paris")
    assert out_file.read_text(encoding="utf-8") == cli.ok(
        "timeline", incident_id, "--tz", "Europe/Paris"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("rca", "{id}", "  "), "cannot be empty"),
        (("action", "{id}", "x", "--due", "next week"), "is not a date"),
        (("action", "{id}", "x", "--due", "2001-01-01"), "before the incident"),
        (("lesson", "{id}", "x", "--kind", "meh"), "invalid choice"),
        (("schedule-postmortem", "{id}", "--at", "tomorrow"), "not a date and time"),
        (("schedule-postmortem", "{id}", "--at", "2026-12-01"), "not a date and time"),
        (("schedule-postmortem", "{id}", "--at", "2026-12-01T10:00Z", "--duration", "0"), "minute"),
        (("timeline", "{id}", "--gap", "-1"), "more than zero"),
        (("export", "{id}", "--tz", "Mars/Olympus"), "unknown time zone"),
        (("rca", "INC-0-NOPE", "x"), "no incident 'INC-0-NOPE'"),
    ],
)
def test_bad_input_is_a_one_line_error_and_records_nothing(cli, args, message):
    incident_id = declare(cli)
    before = status(cli, incident_id)["events"]
    result = cli.run(*(a.replace("{id}", incident_id) for a in args))
    assert message in one_line_error(result)
    assert status(cli, incident_id)["events"] == before


def test_local_time_defaults_to_this_machines_zone(process_cli):
    cli = process_cli
    incident_id = declare(cli)
    cli.env["TZ"] = "Asia/Tokyo"
    report = cli.ok("export", incident_id)
    assert "local times (in brackets) are Asia/Tokyo" in report
    assert " JST)" in report
    cli.env["TZ"] = "UTC"
    assert "local times" not in cli.ok("export", incident_id)


def test_a_rollback_is_reported_done_only_once_its_step_is(cli):
    """The report, its summary and the invitation said "rolled back 3.0 to 2.9" of an
    incident whose rollback was skipped, and of one where nothing was done (a review)."""
    declared = ("--severity", "SEV3", "--commander", "c", "--from-version", "3.0")
    skipped = cli.ok("declare", "--title", "fixed forward", *declared, "--last-good", "2.9")
    skipped = skipped.strip()
    cli.ok("skip", skipped, "app-rollback-redeploy", "--reason", "fixed forward instead")
    cli.ok("close", skipped, "--force", "--reason", "fixed forward")
    report = cli.ok("export", skipped)
    assert "rolled back 3.0 to 2.9" not in report.lower()
    assert "Not rolled back: the rollback of 3.0 to 2.9" in report and "was skipped" in report
    assert "| Rollback | 3.0 → 2.9, skipped |" in report

    fresh = cli.ok("declare", "--title", "just declared", *declared, "--last-good", "2.9").strip()
    report = cli.ok("export", fresh)
    assert "Rolling back 3.0 to 2.9" in report and "not done yet" in report
    assert "| Rollback | 3.0 → 2.9, in progress |" in report

    # Without versions the row named none, as an empty arrow: `|   →  , in progress |`.
    bare = cli.ok("declare", "--title", "no versions", "--severity", "SEV3", "--commander", "c")
    report = cli.ok("export", bare.strip())
    assert "| Rollback | versions not given, in progress |" in report
    only = ("--commander", "c", "--from-version", "3.0")
    one = cli.ok("declare", "--title", "one version", "--severity", "SEV3", *only).strip()
    assert "| Rollback | 3.0 → the last good version, in progress |" in cli.ok("export", one)


def test_the_timeline_names_the_zone_of_its_local_times(process_cli):
    """`timeline --tz` showed `12:11:18 IST` beside UTC and never said which zone that
    was (India's, Israel's or Ireland's?); it says it as the report does (`export --tz`)."""
    incident_id = declare(process_cli)
    process_cli.ok("note", incident_id, "pinned for the timeline", "--pin")
    zone = "Asia/Kolkata"
    timeline = process_cli.ok("timeline", incident_id, "--tz", zone)
    report = process_cli.ok("export", incident_id, "--tz", zone)
    named = f"local times (in brackets) are {zone}"
    assert named in report
    intro = timeline.splitlines()[2]
    assert "Times are UTC; " + named + "." in intro, intro
    assert re.search(r"\d\d:\d\d:\d\d UTC \(\d\d:\d\d:\d\d IST\)", timeline)
    in_utc = process_cli.ok("timeline", incident_id, "--tz", "UTC")
    assert "local times" not in in_utc and "Times are UTC." in in_utc


def closed_hours_ago(db, hours: float) -> str:
    """An incident recorded earlier on this file and closed `hours` ago (its record
    back-dated as a replayed or late-entered one is), so its 48 h window opened then."""
    from datetime import UTC, datetime

    from incident import commands
    from incident.app.session import IncidentSession
    from incident.core.clock import ManualClock
    from runbooks import load_runbook, resolve_runbook
    from store.sqlite_log import SqliteEventLog

    clock = ManualClock(datetime.now(UTC) - timedelta(hours=hours, minutes=10))
    details = commands.Declaration(title="Checkout errors", severity="SEV2", commander="Ada")
    runbook = load_runbook(resolve_runbook("rollback"))
    with SqliteEventLog.open(db) as log:
        session = IncidentSession.declare(
            log, commands.declare(runbook, details, actor="ada", clock=clock), clock
        )
        clock.advance(600)
        session.run(
            lambda s: commands.close(s, actor="ada", clock=clock, force=True, reason="drill")
        )
        return session.state.id


def meeting(cli: Cli, incident_id: str) -> dict:
    return json.loads(cli.ok("export", incident_id, "--format", "json"))["postmortem"]


def test_a_meeting_already_past_is_refused_in_one_line_naming_both_times(process_cli):
    incident_id = closed_hours_ago(process_cli.db, 3)
    closed_at = parse_timestamp(status(process_cli, incident_id)["closed_at"])
    past = (closed_at + timedelta(hours=1)).replace(microsecond=0)  # in the window, but gone
    given = format_timestamp(past)
    refused = process_cli.run("schedule-postmortem", incident_id, "--at", given)
    line = one_line_error(refused)
    assert line.startswith(
        "lastgood schedule-postmortem: the post-mortem cannot start in the past: "
        f"{past:%Y-%m-%d %H:%M:%S} UTC was given, and it is now "
    ), line
    assert re.search(r"it is now \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(--at\)$", line), line
    assert meeting(process_cli, incident_id)["scheduled"] is False
    later = format_timestamp(closed_at + timedelta(hours=47))  # later than now: still fine
    process_cli.ok("schedule-postmortem", incident_id, "--at", later)
    assert meeting(process_cli, incident_id)["starts_at"] == later
