"""The guidance on the database step once a tier is chosen says when to check it.

It read "check it, the tier chosen": a restore approved is not a restore done, and
`db-tier` on the command line already said "left open: check it once the tier is
carried out". Both faces now say it alike; a tier that is nothing to do (no database
rollback) checks the step with the choice, and where a record holds it chosen with
the step still open (an older release left it so), the guidance says there is
nothing to wait for.
"""

from __future__ import annotations

from pathlib import Path

from incident import commands
from incident.app.next_key import CARRIED_OUT, next_key
from tests.cli_helpers import InProcessCli, declare
from tests.scenario_copies import scenario_copy


def test_the_guidance_waits_for_the_tier_to_be_carried_out(tmp_path: Path) -> None:
    cli = InProcessCli(tmp_path / "cli.db")
    incident_id = declare(cli)
    said = cli.ok("db-tier", incident_id, "down-migrations", "--reason", "0042 has a down step")
    assert said.splitlines()[-1].endswith(f"left open: {CARRIED_OUT}")
    assert CARRIED_OUT == "check it once the tier is carried out"


def test_a_tier_with_nothing_to_do_left_open_says_so(tmp_path: Path) -> None:
    recorded = scenario_copy("declared", tmp_path / "s.db")
    clock = recorded.clock
    recorded.run(  # the domain's command alone, as an older release recorded the choice
        lambda s: commands.choose_database_tier(
            s, "none", reason="expand-contract", actor="ada", clock=clock
        )
    )
    hint = next_key(recorded.session.state, "database-rollback", recorded.clock.now())
    recorded.log.close()
    assert hint is not None and (hint.key, hint.what) == (
        "space",
        "check it: the tier chosen has nothing to carry out",
    )
