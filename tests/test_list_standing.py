"""`list` tells a resolved incident ready to close from a live one, and names who
commands each (review 6 #12): a lead scanning a shared record read `open` of an
incident resolved minutes before, with every required step done, and no commander.
"""

from __future__ import annotations

import json
from pathlib import Path

from msgspec.structs import replace

from incident import commands
from tests.cli_helpers import Cli
from tests.scenario_copies import scenario_copy
from tests.test_json_schemas import assert_valid
from tui.demo.scenarios import DECLARATION, SCENARIO_ID, closing

LIVE = "INC-20261128-LIVE"


def two_incidents(db: Path) -> None:
    """The demo's incident resolved with every required step done (commander Ada
    Lovelace), and one just declared, commanded by Bo: on a real file."""
    scenario = closing(db)
    live = replace(DECLARATION, title="Search timeouts after 3.1.0", commander="Bo")
    scenario.log.append(
        [
            commands.declare(
                scenario.runbook, live, actor="bo", clock=scenario.clock, incident_id=LIVE
            )
        ]
    )
    scenario.log.close()


def test_list_says_resolved_ready_to_close_and_who_commands(tmp_path: Path) -> None:
    db = tmp_path / "shared.db"
    two_incidents(db)
    cli = Cli(db)
    lines = {line.split()[0]: line for line in cli.ok("list").splitlines()}
    assert "  resolved, ready to close  " in lines[SCENARIO_ID]
    assert "  IC Ada Lovelace  Checkout errors after 2.4.1" in lines[SCENARIO_ID]
    assert "  open  " in lines[LIVE] and "  IC Bo  " in lines[LIVE]
    # the columns line up: each incident's T+ ends where the other's does
    ends = {line.index(" IC ") for line in lines.values()}
    assert len(ends) == 1, lines

    listing = json.loads(cli.ok("list", "--json"))
    assert_valid("list", listing)
    shown = {row["id"]: (row["status"], row["standing"], row["commander"]) for row in listing}
    assert shown == {
        SCENARIO_ID: ("open", "resolved, ready to close", "Ada Lovelace"),
        LIVE: ("open", "open", "Bo"),
    }


def test_each_standing_of_the_demo_scenarios(tmp_path: Path) -> None:
    """Resolved with close-out steps still open is `resolved`; mid-rollback `open`."""
    from incident.app.listing import standing  # the domain's one rule, both faces read

    expected = {"mid-phase-2": "open", "resolved": "resolved", "closed": "closed"}
    for name, said in expected.items():
        scenario = scenario_copy(name, tmp_path / f"{name}.db")
        state = scenario.session.state
        assert standing(state, scenario.clock.now()) == said, name
        scenario.log.close()


def test_list_says_not_stable_where_close_refuses(tmp_path: Path) -> None:
    """Every required step done, then production back on the bad release with the
    error-rate trigger met: verification no longer holds, and `close` refuses. `list`
    said "resolved, ready to close" of it; it says what `close` reads, and why."""
    db = tmp_path / "shared.db"
    scenario = closing(db)
    scenario.rolled_back_at = None  # the probes read 2.4.1 with 12% errors again
    scenario.advance(60)
    scenario.log.close()
    cli = Cli(db)
    refused = cli.run("close", SCENARIO_ID)
    assert refused.code != 0 and "the service is not stable (" in refused.err, refused

    lines = cli.ok("list").splitlines()
    row = next(line for line in lines if line.startswith(SCENARIO_ID))
    assert "  resolved, not stable  " in row and "ready to close" not in row, lines
    why = lines[lines.index(row) + 1]
    assert why.startswith("  the close waits: the service is not stable (rollback trigger ")
    assert "version 2.4.1 running, the release rolled back" in why, why
    assert why.split("the close waits: ")[1] in refused.err  # `close`'s own words

    listing = json.loads(cli.ok("list", "--json"))
    assert_valid("list", listing)
    (shown,) = listing
    assert shown["standing"] == "resolved, not stable"
    assert shown["close_waits"] == why.split("the close waits: ")[1]
