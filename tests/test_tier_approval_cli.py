"""The last-resort database tier's approval, through the CLI's `main` (`InProcessCli`:
what it records and says, on a real SQLite file; the verbs run as processes in
tests/test_text_is_data_cli.py).

Before, whoever chose "restore from backup" could approve it themself with no one in
the leadership role, and the report labelled that approval "(leadership)" (a review).
Now the approval comes from whoever holds leadership then, never from the chooser; a
refusal is one line naming why and the way on, and the report calls an approval
"(leadership)" only when its approver held the role.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from incident.commands.rules import make_event
from incident.core.clock import SystemClock
from incident.core.payloads import ApprovalGranted, DatabaseTierChosen
from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import Cli, InProcessCli

PREVIOUS = Path(__file__).resolve().parent / "fixtures" / "previous-release.db"


def tier_line(report: str) -> str:
    return next(line for line in report.splitlines() if line.startswith("- **Database tier**"))


def approvals(cli: Cli, incident_id: str) -> list[dict[str, object]]:
    found = json.loads(cli.ok("status", incident_id, "--json"))["approvals"]
    assert isinstance(found, list)
    return [a for a in found if a["target"] == "tier:restore-backup"]


def test_the_chooser_is_refused_and_the_role_holder_approves(tmp_path: Path) -> None:
    cli = InProcessCli(tmp_path / "tier.db", actor="Ada")
    args = ("declare", "--title", "Checkout errors", "--severity", "SEV1", "--commander", "Ada")
    incident_id = cli.ok(*args).strip()
    cli.ok("db-tier", incident_id, "restore-backup", "--reason", "a column was dropped")

    own = cli.run("approve", incident_id, "restore-backup", "--reason", "accept the loss")
    assert own.code != 0 and own.out == ""
    assert own.err == (
        "lastgood approve: Ada chose the database tier 'restore-backup' and cannot also "
        "approve it: it needs the approval of someone else in the leadership role; assign "
        "the leadership role to that person first, then record their approval\n"
    )
    vacant = cli.run("approve", incident_id, "restore-backup", "--by", "Grace", "--reason", "ok")
    assert vacant.code != 0 and vacant.err == (
        "lastgood approve: the database tier 'restore-backup' needs leadership approval and "
        "no one holds the leadership role: assign it to the approver first, then record "
        "their approval\n"
    )
    assert approvals(cli, incident_id) == []  # nothing recorded, the tier still chosen
    status = cli.ok("status", incident_id)
    assert "(tier 'restore-backup' needs approval by leadership)" in status

    # The way on: the role to the person approving, then their approval, from their
    # own terminal (recorded by Ada in Grace's name, it is one person's word for both:
    # tests/test_gate_roles_cli.py).
    cli.ok("assign", incident_id, "leadership", "Grace")
    grace = InProcessCli(tmp_path / "tier.db", actor="Grace")
    said = grace.ok("approve", incident_id, "restore-backup", "--reason", "ok")
    assert said.rstrip().endswith("approved restore-backup by Grace (their own confirmation)")
    (approval,) = approvals(cli, incident_id)
    assert (approval["role"], approval["role_holder"], approval["by_role"]) == (
        "leadership",
        "Grace",
        True,
    )
    report = cli.ok("export", incident_id, "-o", "-")
    assert ". Approved by Grace (leadership) at T+" in tier_line(report)
    assert "⚠" not in tier_line(report)


def test_an_approval_recorded_before_the_rule_is_not_called_leadership(tmp_path: Path) -> None:
    """A record an older release wrote: the chooser's own approval, no one in leadership."""
    db = tmp_path / "older.db"
    clock = SystemClock()  # after the declaration, as the older release recorded it
    cli = InProcessCli(db, actor="Ada")
    args = ("declare", "--title", "Checkout errors", "--severity", "SEV1", "--commander", "Ada")
    incident_id = cli.ok(*args).strip()
    with SqliteEventLog.open(db) as log:
        chosen = DatabaseTierChosen("restore-backup", "certain", "a column was dropped", "Ada")
        approved = ApprovalGranted("tier:restore-backup", "leadership", "Ada", "accept the loss")
        log.append([make_event(incident_id, "Ada", clock, data) for data in (chosen, approved)])

    line = tier_line(cli.ok("export", incident_id, "-o", "-"))
    assert "(leadership)" not in line
    said = ". Approved by Ada, who did not hold the leadership role (no one held it then) at T+"
    assert said in line
    assert line.endswith(": accept the loss. ⚠ Approved by the person who chose it.")
    (approval,) = approvals(cli, incident_id)
    assert (approval["role_holder"], approval["by_role"]) == (None, False)


def test_the_previous_release_s_record_says_who_did_not_hold_leadership(tmp_path: Path) -> None:
    """tests/fixtures/previous-release.db, written by release 30346a1: vp-eng approved
    restore-backup, recorded by ada, while no one held leadership."""
    db = tmp_path / "previous.db"
    shutil.copyfile(PREVIOUS, db)
    cli = InProcessCli(db, actor="Ada")
    listed = json.loads(cli.ok("list", "--json"))
    incident_id = next(i["id"] for i in listed if i["title"].startswith("Checkout 500s"))
    line = tier_line(cli.ok("export", incident_id, "-o", "-"))
    assert (
        ". Approved by vp-eng, who did not hold the leadership role (no one held it then), "
        "recorded by ada at T+03:03: data already lost."
    ) in line
