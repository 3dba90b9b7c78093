"""A mark that reverses someone else's a moment later says so, and so does the record.

Bo marked core-broken met and Cy cleared it a second later; Ada gave ops to Bo and Cy
gave it to Dee a second later. Both writes of each pair were recorded, Cy's lines
said nothing of Bo's or Ada's, `brief` said `core-broken not met (met once, at
T+01:41)` with no names, and the report said `## Inconsistencies / None found`
(ux_review6 finding 2). The command line as people run it, on one SQLite file.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.cli_helpers import Cli, InProcessCli, declare


def test_a_trigger_cleared_a_moment_after_someone_marked_it_met_says_so(tmp_path: Path) -> None:
    db = tmp_path / "reversed.db"
    bo, cy = Cli(db, actor="Bo"), Cli(db, actor="Cy")
    incident = declare(bo)
    bo.ok("trigger", incident, "core-broken", "met", "--note", "my test order failed")
    cleared = cy.ok("trigger", incident, "core-broken", "cleared", "--note", "works from here")
    assert re.search(r"trigger core-broken cleared \(marked met by Bo \S+s ago\)$", cleared.strip())

    brief = bo.ok("brief", incident)
    # Who marked it and who cleared it, as the next commander needs to ask them.
    assert re.search(
        r"core-broken not met \(met once by Bo at T\+\d\d:\d\d, cleared by Cy at T\+\d\d:\d\d\)",
        brief,
    ), brief

    report = InProcessCli(db, actor="Ada").ok("export", incident)
    section = report.split("## Inconsistencies", 1)[1].split("\n## ", 1)[0]
    assert "None found" not in section
    assert re.search(
        r"Rollback trigger core-broken was marked cleared by Cy, \S+s after "
        r"Bo marked it met \(at T\+\d\d:\d\d\)",
        section,
    ), section


def test_a_trigger_cleared_after_the_rollback_between_is_no_reversal(tmp_path: Path) -> None:
    """ux_review10 #3: Ada marked core-broken met, Bo rolled back and cleared it 39 s
    later, the README's order. The report listed it under Inconsistencies as Bo
    contradicting Ada; it is the rollback working."""
    db = tmp_path / "rolled-back.db"
    ada, bo = InProcessCli(db, actor="Ada"), InProcessCli(db, actor="Bo")
    incident = declare(ada)
    ada.ok("trigger", incident, "core-broken", "met", "--note", "checkout fails for 1 in 7")
    ada.ok("decide", incident, "--reason", "core functionality broken")
    bo.ok("check", incident, "app-rollback-blue-green", "--evidence", "load balancer back on blue")
    cleared = bo.ok("trigger", incident, "core-broken", "cleared", "--note", "checkout works")
    assert "marked met by Ada" not in cleared, cleared
    report = ada.ok("export", incident)
    section = report.split("## Inconsistencies", 1)[1].split("\n## ", 1)[0]
    assert "core-broken" not in section, section
    # the sequence is still in the report, where it is read as one
    changes = report.split("Rollback criteria changes", 1)[1]
    assert "| Ada |" in changes and "| Bo |" in changes


def test_a_role_given_away_a_moment_after_someone_gave_it_says_so(tmp_path: Path) -> None:
    db = tmp_path / "given-away.db"
    ada, cy = InProcessCli(db, actor="Ada"), InProcessCli(db, actor="Cy")
    incident = declare(ada)
    assert ada.ok("assign", incident, "ops", "Bo").strip().endswith("Bo is ops")
    given = cy.ok("assign", incident, "ops", "Dee")
    assert re.search(r"Dee is ops \(given to Bo by Ada \S+s ago\)$", given.strip()), given

    report = ada.ok("export", incident)
    section = report.split("## Inconsistencies", 1)[1].split("\n## ", 1)[0]
    assert re.search(
        r"The role ops was given to Dee by Cy, \S+s after Ada gave it to Bo \(at T\+",
        section,
    ), section


def test_the_same_person_changing_their_mind_is_no_reversal(tmp_path: Path) -> None:
    """Bo marks met, then clears: his own correction, said plainly as before."""
    db = tmp_path / "own.db"
    bo = InProcessCli(db, actor="Bo")
    incident = declare(bo)
    bo.ok("trigger", incident, "core-broken", "met")
    assert (
        bo.ok("trigger", incident, "core-broken", "cleared")
        .strip()
        .endswith("trigger core-broken cleared")
    )
    report = bo.ok("export", incident)
    assert "Rollback trigger core-broken was marked" not in report
