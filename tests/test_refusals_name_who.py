"""A refusal that lost a race names what the other person did, who, when and why.

Three people on one incident (ux_review6 finding 4): Cy's `db-tier ID restore-backup`
lost to Ada's `none` and was told only "the database step 'database-rollback' is
already done; reopen it first"; Cy, who thought a restore was needed, was not told
that Ada had chosen none, when, or why. Bo's losing decision said "already approved
by Ada", with no time. The other refusals of that shape ("already done", "was
skipped", "already approved", "already open", "already the incident commander")
say the same, in the same words (`incident.core.attribution`). The CLI as a user
runs it, under two names, on one SQLite file.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.cli_helpers import InProcessCli, declare

T = r"T\+\d\d:\d\d"


def two_people(tmp_path: Path) -> tuple[InProcessCli, InProcessCli, str]:
    ada = InProcessCli(tmp_path / "shared.db", actor="Ada")
    cy = InProcessCli(tmp_path / "shared.db", actor="Cy")
    return ada, cy, declare(ada)


def refusal(cli: InProcessCli, *args: str) -> str:
    refused = cli.run(*args)
    assert refused.code == 2, refused
    return refused.err.strip()


def test_a_tier_refused_says_who_chose_which_tier_when_and_why(tmp_path: Path) -> None:
    ada, cy, incident_id = two_people(tmp_path)
    ada.ok("db-tier", incident_id, "none", "--reason", "expand-contract, 2.4.0 reads new schema")
    said = refusal(
        cy, "db-tier", incident_id, "restore-backup", "--reason", "migration 0042 dropped a column"
    )
    assert re.fullmatch(
        rf"lastgood db-tier: Ada chose tier none at {T} \(expand-contract, 2\.4\.0 reads new "
        r"schema\); reopen database-rollback to change it",
        said,
    ), said


def test_a_second_approval_says_when_the_first_was_given(tmp_path: Path) -> None:
    ada, cy, incident_id = two_people(tmp_path)
    ada.ok("approve", incident_id, "decide-rollback", "--reason", "p99 at 8s")
    said = refusal(cy, "approve", incident_id, "decide-rollback", "--reason", "search down")
    assert re.fullmatch(
        rf"lastgood approve: 'decide-rollback' was already approved by Ada at {T} \(p99 at 8s\)",
        said,
    ), said
    ada.ok("check", incident_id, "decide-rollback")
    said = refusal(cy, "decide", incident_id, "--reason", "search down")
    assert re.fullmatch(
        rf"lastgood decide: the rollback was already decided \(decide-rollback approved by Ada "
        rf"at {T}\)",
        said,
    ), said


def test_skipped_reopened_and_handed_off_say_who_when_and_why(tmp_path: Path) -> None:
    ada, cy, incident_id = two_people(tmp_path)
    ada.ok("skip", incident_id, "create-channel", "--reason", "the team channel is open")
    said = refusal(cy, "check", incident_id, "create-channel")
    assert re.fullmatch(
        rf"lastgood check: step 'create-channel' was skipped by Ada at {T} "
        r"\(the team channel is open\); reopen it first",
        said,
    ), said
    ada.ok("reopen", incident_id, "create-channel", "--reason", "no channel after all")
    said = refusal(cy, "reopen", incident_id, "create-channel", "--reason", "wrong skip")
    assert re.fullmatch(
        rf"lastgood reopen: step 'create-channel' is already open \(reopened by Ada at {T}: "
        r"no channel after all\)",
        said,
    ), said
    cy.ok("handoff", incident_id, "Cy", "--reason", "from the bastion")
    said = refusal(ada, "handoff", incident_id, "Cy")
    assert re.fullmatch(
        rf"lastgood handoff: Cy is already the incident commander \(Cy took command from Ada "
        rf"at {T}: from the bastion\)",
        said,
    ), said


def test_an_action_item_done_twice_says_who_did_it_and_when(tmp_path: Path) -> None:
    ada, cy, incident_id = two_people(tmp_path)
    ada.ok("action", incident_id, "Alert on retries")
    ada.ok("action-done", incident_id, "1")
    said = refusal(cy, "action-done", incident_id, "1")
    assert re.fullmatch(
        rf"lastgood action-done: action item 1 is already done \(by Ada at {T}\)", said
    ), said
