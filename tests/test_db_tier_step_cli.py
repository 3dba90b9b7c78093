"""`db-tier` says the database step it leaves open, run as a process as a user runs it.

Compared face to face: the TUI's tiers, opened from the database step, choose the tier
and check the step in one ("Database tier: none; database-rollback checked"), while
`lastgood db-tier` printed "database tier: none" and nothing of the step, which `close`
then refused over ("1 required step still open (database-rollback)"). The choice is
still the tier alone (the README's walk checks the step after it); now the use case
says the step is left open, in every face that chooses a tier without its step. A
tier awaiting approval keeps the step blocked, and says nothing more.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli_helpers import Cli, declare


def database_step(cli: Cli, incident_id: str) -> str:
    steps = json.loads(cli.ok("status", incident_id, "--json"))["steps"]
    return next(s["state"] for s in steps if s["id"] == "database-rollback")


def test_db_tier_says_the_database_step_is_left_open(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "tier.db")
    incident_id = declare(cli)
    out = cli.ok("db-tier", incident_id, "none", "--reason", "expand-contract")
    lines = [line.split("  ", 1)[1] for line in out.splitlines()]
    assert lines == [
        "database tier: none",
        "database-rollback left open: check it once the tier is carried out",
    ]
    assert database_step(cli, incident_id) == "open"

    cli.ok("check", incident_id, "database-rollback", "--note", "nothing to revert")
    assert database_step(cli, incident_id) == "done"

    other = declare(cli)  # a tier that needs approval: the step waits for it, blocked
    out = cli.ok("db-tier", other, "restore-backup", "--reason", "the schema is broken")
    assert "left open" not in out
    assert database_step(cli, other) == "blocked"
