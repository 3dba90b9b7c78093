"""`lastgood channel ID NAME`: the incident channel named after the declaration.

The README's script declares without `--channel` and checks `create-channel` with the
channel in its note, so every message went out saying "the incident channel" and the
report's Channel row stayed empty; no verb could name it afterwards (a second review
of the wheel). Run as a user runs it, on a real file.
"""

from __future__ import annotations

import json

from incident import commands
from incident.core.clock import SystemClock
from incident.core.state import fold
from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import Cli, InProcessCli

DECLARE = ("declare", "--title", "Checkout 500s", "--severity", "SEV2", "--commander", "Ada")


def test_messages_and_the_report_name_the_channel_set_after_declaring(tmp_path):
    cli = InProcessCli(tmp_path / "incidents.db", actor="ada")
    incident = cli.ok(*DECLARE, "--pattern", "blue-green").strip()
    before = cli.ok("send", incident, "--template", "announce", "--preview")
    assert "Channel: the incident channel." in before
    said = cli.ok("channel", incident, "#inc-checkout")
    assert said.rstrip().endswith(
        "the incident channel is #inc-checkout: messages name it; checked create-channel"
    )
    after = cli.ok("send", incident, "--template", "announce", "--preview")
    assert "Channel: #inc-checkout." in after
    assert "· ada · Incident channel: #inc-checkout" in cli.ok("timeline", incident)
    assert "| Channel | #inc-checkout |" in cli.ok("export", incident)


def test_the_same_channel_again_or_none_is_refused(tmp_path):
    cli = InProcessCli(tmp_path / "incidents.db", actor="ada")
    incident = cli.ok(*DECLARE, "--channel", "#inc-checkout").strip()
    again = cli.run("channel", incident, "#inc-checkout")
    assert (again.code, again.err) == (
        2,
        "lastgood channel: the incident channel is #inc-checkout already\n",
    )
    blank = cli.run("channel", incident, "  ")
    assert blank.code == 2 and "which channel?" in blank.err


def inconsistencies(report: str) -> list[str]:
    section = report[report.index("## Inconsistencies") :]
    section = section[: section.index("\n## ", 1)]
    return [line for line in section.splitlines()[1:] if line.startswith(("- ", "None"))]


def test_the_channel_step_asks_for_the_channel_and_naming_it_checks_the_step(tmp_path):
    """The step "Create a dedicated communication channel" was ticked with no channel; the
    report's Channel was empty and its consistency check passed (ux_review7 F6)."""
    cli = Cli(tmp_path / "a.db", actor="Ada")
    incident = cli.ok(*DECLARE).strip()
    bare = cli.run("check", incident, "create-channel")
    assert (bare.code, bare.out) == (2, "")
    assert bare.err == (
        "lastgood check: 'create-channel' is done by naming the incident channel "
        f"(lastgood channel {incident} NAME), which checks it: no channel is named yet\n"
    )
    forced = cli.run("check", incident, "create-channel", "--override", "we have one")
    assert forced.code == 2 and "no channel is named yet" in forced.err
    status = json.loads(cli.ok("status", incident, "--json"))
    assert next(s for s in status["steps"] if s["id"] == "create-channel")["state"] == "open"

    said = cli.ok("channel", incident, "#inc-cart")
    assert said.rstrip().endswith("messages name it; checked create-channel")
    status = json.loads(cli.ok("status", incident, "--json"))
    step = next(s for s in status["steps"] if s["id"] == "create-channel")
    assert (step["state"], step["by"]) == ("done", "Ada")
    renamed = cli.ok("channel", incident, "#inc-cart-2")  # the step stays as it was
    assert renamed.rstrip().endswith("the incident channel is #inc-cart-2: messages name it")
    report = cli.ok("export", incident)
    assert "| Channel | #inc-cart-2 |" in report
    assert inconsistencies(report) == ["None found: the record bears out what it says."]


def test_a_channel_named_at_declaring_is_the_checks_evidence(tmp_path):
    """Declaring with the channel did the step (review7 F17); checked again by hand once
    reopened, the channel named is its evidence."""
    cli = InProcessCli(tmp_path / "incidents.db", actor="Ada")
    incident = cli.ok(*DECLARE, "--channel", "#inc-checkout").strip()
    timeline = cli.ok("timeline", incident)
    assert "Checked create-channel: done by the declaration: channel #inc-checkout" in timeline
    cli.ok("reopen", incident, "create-channel", "--reason", "checking it by hand")
    assert "checked create-channel" in cli.ok("check", incident, "create-channel")
    with SqliteEventLog.open(tmp_path / "incidents.db", read_only=True) as log:
        state = fold(log.events(incident))
    assert state.steps["create-channel"].evidence == "incident channel #inc-checkout"


def test_an_older_records_channel_step_checked_with_no_channel_is_listed(tmp_path):
    """A release before the rule ticked the step with no channel: the record stands,
    and the report says so where it used to say "None found"."""
    db = tmp_path / "older.db"
    cli = Cli(db, actor="Ada")
    incident = cli.ok(*DECLARE).strip()
    with SqliteEventLog.open(db) as log:
        state = fold(log.events(incident))
        ticked = commands.check_step(state, "create-channel", actor="Ada", clock=SystemClock())
        log.append([ticked])
    report = cli.ok("export", incident)
    [listed] = inconsistencies(report)
    assert listed.endswith(
        "create-channel was checked by Ada, but no incident channel is named in the record."
    )
