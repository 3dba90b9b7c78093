"""Who may open a gate, as a user meets it: `lastgood` run as a process on a real
SQLite file (ux_review7 F7 and F8).

F7: the decision gate says it needs the incident commander (`approver:
incident-commander`, "needs approval by incident-commander" in `status`), and
`decide --by Zed` passed, Zed holding no role; the report said "None found" under
Inconsistencies. Now the gate follows the rule a database tier's approval follows.

F8: the last resort's leadership approval came from the person who chose the tier,
for a leadership holder that person appointed a moment before: three commands from
one terminal, and the report called it "(leadership)" with nothing to look at.
"""

from __future__ import annotations

from pathlib import Path

from incident.commands.rules import make_event
from incident.core.clock import SystemClock
from incident.core.payloads import ApprovalGranted
from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import Cli

DECLARE = ("declare", "--title", "Cart broken", "--severity", "SEV2", "--commander", "Ada")


def inconsistencies(report: str) -> list[str]:
    """The report's Inconsistencies section, its items (or its one "None found")."""
    section = report[report.index("## Inconsistencies") :]
    section = section[: section.index("\n## ", 1)]
    return [line for line in section.splitlines()[1:] if line.startswith(("- ", "None"))]


def test_the_decision_is_the_incident_commanders_and_a_refusal_says_the_way_on(
    tmp_path: Path,
) -> None:
    db = tmp_path / "e.db"
    ada, bo = Cli(db, actor="Ada"), Cli(db, actor="Bo")
    incident_id = ada.ok(*DECLARE).strip()

    zed = ada.run("decide", incident_id, "--by", "Zed", "--reason", "because")
    assert (zed.code, zed.out) == (2, "")
    assert zed.err == (
        "lastgood decide: the rollback decision (decide-rollback) needs incident-commander "
        "approval, and Ada holds the incident-commander role, not Zed: hand command to Zed "
        "first (handoff), or record Ada's word (--by Ada)\n"
    )
    # Bo, not in command, deciding without --by: his own decision, refused the same way;
    # `approve` on the gate is the same rule.
    own = bo.run("decide", incident_id, "--reason", "because")
    assert own.code == 2 and "not Bo: hand command to Bo first (handoff)" in own.err
    approve = bo.run("approve", incident_id, "decide-rollback", "--by", "Zed", "--reason", "r")
    assert approve.code == 2 and approve.err.endswith("or record Ada's word (--by Ada)\n")
    assert "needs approval by incident-commander" in ada.ok("status", incident_id)

    # The way on, as the refusal says it: Ada's word, recorded by Bo.
    said = bo.ok("decide", incident_id, "--by", "Ada", "--reason", "checkout 500s")
    assert "rollback decided: decide-rollback approved" in said
    report = ada.ok("export", incident_id)
    assert "(approved by Ada, recorded by Bo; rollback triggers met then: none)." in report
    assert inconsistencies(report) == ["None found: the record bears out what it says."]


def test_an_older_records_decision_by_someone_else_is_listed_as_an_inconsistency(
    tmp_path: Path,
) -> None:
    """A release before the rule recorded `decide --by Zed`: the record stands as
    written, and the report says what the gate asked for and who gave it."""
    db = tmp_path / "older.db"
    ada = Cli(db, actor="Ada")
    incident_id = ada.ok(*DECLARE).strip()
    with SqliteEventLog.open(db) as log:  # as the older release wrote it
        approved = ApprovalGranted("decide-rollback", "incident-commander", "Zed", "because")
        log.append([make_event(incident_id, "Ada", SystemClock(), approved)])
    ada.ok("check", incident_id, "decide-rollback")

    report = ada.ok("export", incident_id)
    [listed] = inconsistencies(report)
    assert listed.endswith(
        "decide-rollback was approved by Zed, recorded by Ada, who did not hold the "
        "incident-commander role (Ada held it then)."
    )
    [decided] = [line for line in report.splitlines() if line.startswith("Decided on: ")]
    assert decided.endswith(
        "⚠ Ada held the incident-commander role then, not Zed (see Inconsistencies)."
    )


def test_a_last_resort_approval_one_person_produced_alone_is_said_and_listed(
    tmp_path: Path,
) -> None:
    db = tmp_path / "c.db"
    ada, lee = Cli(db, actor="Ada"), Cli(db, actor="Lee")
    incident_id = ada.ok(*DECLARE).strip()
    ada.ok("db-tier", incident_id, "restore-backup", "--reason", "0042 dropped a column")
    ada.ok("assign", incident_id, "leadership", "Lee")
    said = ada.ok("approve", incident_id, "restore-backup", "--by", "Lee", "--reason", "accept")
    assert said.splitlines()[-1].endswith(
        "approved restore-backup by Lee, recorded by Ada ⚠ Ada chose the tier and gave Lee "
        "the leadership role, and Lee did not record this themself: the report lists it "
        "under Inconsistencies"
    )
    report = ada.ok("export", incident_id)
    [listed] = inconsistencies(report)
    assert "tier:restore-backup was approved in Lee's name by Ada, who chose the tier at T+" in (
        listed
    )
    assert listed.endswith(
        "Lee did not record it themself, so the record holds one person's word for both."
    )

    # Lee's own approval, from Lee's terminal, is Lee's word: nothing to list.
    other = ada.ok(*DECLARE).strip()
    ada.ok("db-tier", other, "restore-backup", "--reason", "0042 dropped a column")
    ada.ok("assign", other, "leadership", "Lee")
    own = lee.ok("approve", other, "restore-backup", "--reason", "accept")
    assert own.splitlines()[-1].endswith("approved restore-backup by Lee (their own confirmation)")
    assert "⚠" not in own
    report = ada.ok("export", other)
    assert inconsistencies(report) == ["None found: the record bears out what it says."]
