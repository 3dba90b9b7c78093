"""The deployment coordinator, whom the guide is written for, is in the record.

The runbook gives the role six steps, yet nobody was ever declared into it: `brief`
said `deployment-coordinator (vacant)` all incident long while the person at the
screen did every one of them, and the report's Roles named the commander alone
(ux_review7 F14). The person declaring holds it now, unless `--coordinator` names
someone else; records from before keep it vacant, and read and hash as they did.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from incident.commands import CommandError
from incident.commands.lifecycle import Declaration, declare
from incident.core.clock import ManualClock
from incident.core.payloads import Declared
from incident.core.state import new_state
from runbooks import load_runbook
from runbooks.resolve import BUNDLED_DIR
from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import Cli, InProcessCli
from tests.cli_helpers import declare as declared

COORDINATOR = "deployment-coordinator"


def roles(cli: Cli, incident: str) -> dict[str, str]:
    held: dict[str, str | None] = json.loads(cli.ok("brief", incident, "--json"))["roles"]
    return {role: person or "" for role, person in held.items()}


def test_the_person_declaring_is_the_deployment_coordinator(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "r.db", actor="Ada")
    incident = declared(cli, "--commander", "Cy")
    assert roles(cli, incident)[COORDINATOR] == "Ada"
    assert roles(cli, incident)["incident-commander"] == "Cy"
    assert "deployment-coordinator Ada" in cli.ok("brief", incident)


def test_coordinator_names_someone_else_and_the_timeline_says_so(tmp_path: Path) -> None:
    cli = InProcessCli(tmp_path / "r.db", actor="Ada")
    incident = declared(cli, "--commander", "Cy", "--coordinator", "Bo")
    assert roles(cli, incident)[COORDINATOR] == "Bo"
    assert ", commander Cy, coordinator Bo" in cli.ok("timeline", incident)
    handed = cli.ok("assign", incident, COORDINATOR, "Dee")
    assert "Dee" in handed and roles(cli, incident)[COORDINATOR] == "Dee"


def test_a_coordinator_who_is_no_one_is_refused_and_nothing_is_declared(tmp_path: Path) -> None:
    cli = InProcessCli(tmp_path / "r.db", actor="Ada")
    refused = cli.run(
        "declare", "--title", "t", "--severity", "SEV2", "--commander", "Cy", "--coordinator", "me"
    )
    assert refused.code == 2
    assert "coordinator" in refused.err and "Traceback" not in refused.err
    assert json.loads(cli.ok("list", "--json")) == []


RUNBOOK = load_runbook(BUNDLED_DIR / "rollback.yaml")
CLOCK = ManualClock(datetime(2026, 12, 7, 12, 0, tzinfo=UTC))


def test_a_declaration_from_before_reads_hashes_and_folds_as_it_did(tmp_path: Path) -> None:
    event = declare(RUNBOOK, Declaration("t", "SEV2", "Cy"), actor="Ada", clock=CLOCK, taken_ids=())
    assert isinstance(event.data, Declared) and event.data.coordinator == "Ada"
    older = event.data.to_json()
    del older["coordinator"]
    decoded = Declared.from_json(older)
    assert decoded.coordinator == "" and decoded.to_json() == older
    with SqliteEventLog.open(tmp_path / "r.db") as log:
        log.append([event])
        [recorded] = log.events(event.incident_id)
    assert new_state(recorded).roles[COORDINATOR] == "Ada"
    assert [(c.role, c.person) for c in new_state(recorded).role_history] == [
        ("incident-commander", "Cy"),
        (COORDINATOR, "Ada"),
    ]


def test_a_login_that_names_no_one_leaves_the_role_vacant() -> None:
    event = declare(
        RUNBOOK, Declaration("t", "SEV2", "Cy"), actor="root", clock=CLOCK, taken_ids=()
    )
    assert isinstance(event.data, Declared) and event.data.coordinator == ""
    with pytest.raises(CommandError, match="the deployment coordinator"):
        declare(
            RUNBOOK,
            Declaration("t", "SEV2", "Cy", coordinator="x\x1by"),
            actor="Ada",
            clock=CLOCK,
            taken_ids=(),
        )
