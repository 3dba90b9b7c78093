"""A template that puts `{next_update}` inside a sentence is warned of (closing42): a team
runbook written before `{next_update_sentence}` still says "Next update by
{next_update}.", and after the resolution its message read "Next update by none
scheduled." with no word from `validate` or `declare`. One warning a place, naming the
template, its line and column; the runbook stays valid (exit 0). And what `{next_update}`
says in a message that is no update (the page to the responders)."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

from incident import commands
from incident.app.session import IncidentSession
from incident.core.clock import ManualClock
from incident.core.phase_clocks import next_update_due
from incident.reports.message_context import rendered_templates
from runbooks import load_runbook
from tests.cli_helpers import InProcessCli
from tests.conftest import T0
from tests.drill_walk import ACTOR, DRILL
from tests.memory_log import MemoryLog
from tests.test_json_schemas import assert_valid

TEAM = """\
runbook: team
title: Team rollback
templates:
  label: "Next update: {next_update}"
  update: "Update on {title}: rollback {status}. Next update by {next_update}."
  block: |
    Checkout is being rolled back.
    We will write again at {next_update} at the latest.
  braces: "{{next_update}} is written {{like this}}"
  sentence: "Update on {title}. {next_update_sentence}"
phases:
  - id: execute
    title: Execute
    steps:
      - {id: redeploy, title: Redeploy}
"""

UPDATE = (
    "warning: template 'update' puts {next_update} in a sentence: once no update is due it "
    'reads "Next update by none scheduled."; write {next_update_sentence} ("Next update by '
    '12:36 UTC.", then "No further updates are scheduled.") or set the time apart ("Next '
    'update: {next_update}")'
)
BLOCK = (
    "warning: template 'block' puts {next_update} in a sentence: once no update is due it "
    'reads "We will write again at none scheduled at the latest."'
)


def test_validate_and_declare_warn_of_next_update_in_a_sentence(tmp_path: Path) -> None:
    path = tmp_path / "team.yaml"
    path.write_text(TEAM, encoding="utf-8")
    cli = InProcessCli(tmp_path / "lastgood.db")
    checked = cli.run("validate", str(path))
    assert checked.code == 0, checked.err
    assert checked.out.splitlines()[0] == f"{path}: ok (runbook 'team', 1 phase, 1 step)"
    assert all(": note: " in line for line in checked.out.splitlines()[1:])  # the guide's
    lines = checked.err.splitlines()
    # the line and column of the placeholder itself: line 5 of the file, and in the
    # block template the line it is written on
    assert lines[0] == f"{path}:5:65: {UPDATE}", lines
    assert lines[1].startswith(f"{path}:8:28: {BLOCK}"), lines
    assert len(lines) == 2, lines  # set apart, escaped, or the sentence: not warned of
    assert TEAM.splitlines()[4][64:].startswith("{next_update}")
    assert TEAM.splitlines()[7][27:].startswith("{next_update}")
    as_data = json.loads(cli.ok("validate", "--json", str(path)))
    assert_valid("validate", as_data)
    assert as_data["files"][0]["warnings"] == lines
    declared = cli.run(
        "declare", "--title", "t", "--severity", "SEV2", "--commander", "Ada",
        "--runbook", str(path),
    )  # fmt: skip
    assert declared.code == 0, declared.err
    assert f"lastgood declare: {path}:5:65: {UPDATE}\n" in declared.err
    # what the warning says is what the message reads once no update is due
    incident = declared.out.splitlines()[0]
    cli.ok("send", incident, "--template", "label")  # written to stakeholders, not resolved
    before = cli.ok("send", incident, "--template", "update", "--preview")
    assert re.search(r"Next update by \d\d:\d\d UTC\.$", before.strip()), before
    cli.ok("close", incident, "--force", "--reason", "resolved elsewhere")
    for template, reads in (
        ("update", "Next update by none scheduled."),
        ("label", "Next update: none scheduled"),
        ("sentence", "No further updates are scheduled."),
    ):
        shown = cli.ok("send", incident, "--template", template, "--preview")
        assert shown.strip().endswith(reads), shown


def test_the_bundled_runbooks_are_not_warned_of(tmp_path: Path) -> None:
    cli = InProcessCli(tmp_path / "lastgood.db")
    checked = cli.run("validate", "runbooks/rollback.yaml")
    assert (checked.code, checked.err) == (0, "")
    declared = cli.run(
        "declare", "--title", "t", "--severity", "SEV2", "--commander", "Ada",
        "--runbook", "rollback",
    )  # fmt: skip
    assert declared.code == 0 and "warning" not in declared.err, declared.err


RESPONDERS = """\
runbook: paged
title: Paged
templates:
  paging: "Paging on-call for {title}. Stakeholders hear next at {next_update}."
  update: "Update on {title}. {next_update_sentence}"
cadence: {first_update_min: 5, every_min: 20, to_responders: [paging]}
phases:
  - id: execute
    title: Execute
    steps:
      - {id: redeploy, title: Redeploy}
"""


def test_a_message_that_is_no_update_names_the_update_still_owed(tmp_path: Path) -> None:
    """The page to the responders leaves the update clock where it was; its `{next_update}`
    said the next update was 20 minutes after it, while `status` still owed it at T+5."""
    path = tmp_path / "paged.yaml"
    path.write_text(RESPONDERS, encoding="utf-8")
    clock = ManualClock(T0)
    event = commands.declare(
        load_runbook(path), DRILL, actor=ACTOR, clock=clock, incident_id="INC-P-1"
    )
    session = IncidentSession.declare(MemoryLog(), event, clock)
    clock.advance(60)
    owed = (T0 + timedelta(minutes=5)).strftime("%H:%M UTC")
    after_this = (clock.now() + timedelta(minutes=20)).strftime("%H:%M UTC")
    shown = rendered_templates(session.state, clock.now())
    assert shown["paging"].endswith(f"hear next at {owed}."), shown
    assert shown["update"].endswith(f"Next update by {after_this}."), shown
    session.run(
        lambda s: commands.send_communication(s, actor=ACTOR, clock=clock, template="paging")
    )
    assert session.state.communications[-1].text.endswith(f"hear next at {owed}.")
    assert next_update_due(session.state) == T0 + timedelta(minutes=5)  # as the page said
