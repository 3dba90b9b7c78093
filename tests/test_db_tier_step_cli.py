"""`db-tier` settles the database step by the same rule as the TUI, run as a process as a
user runs it.

The TUI's tiers, opened from the database step, chose the tier and checked the step
in one, while `lastgood db-tier` printed "database tier: none" and nothing of the step,
which `close` then refused over. It then said the step was left open, "check it once
the tier is carried out", also for the tier "none", where there is nothing to carry
out, while the TUI checked it (a fresh user's review). Now one rule: the guide's best
case, no database rollback, checks the step with the choice; a tier that is work to
do (down migrations) leaves it open, said so; a tier awaiting approval keeps it
blocked, and says nothing more.

The declarations and the reads of the step's state run the same `main` in-process.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli_helpers import Cli, declare


def database_step(cli: Cli, incident_id: str) -> str:
    steps = json.loads(cli.in_process().ok("status", incident_id, "--json"))["steps"]
    return next(s["state"] for s in steps if s["id"] == "database-rollback")


def said(out: str) -> list[str]:
    return [line.split("  ", 1)[1] for line in out.splitlines()]


def test_db_tier_none_checks_the_database_step(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "tier.db")
    incident_id = declare(cli.in_process())
    out = cli.ok("db-tier", incident_id, "none", "--reason", "expand-contract")
    assert said(out) == ["database tier: none; database-rollback checked"]
    assert database_step(cli, incident_id) == "done"


def test_a_tier_that_is_work_to_do_leaves_the_step_open_until_it_is_done(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "tier.db")
    incident_id = declare(cli.in_process())
    out = cli.ok("db-tier", incident_id, "down-migrations", "--reason", "0042 has a down step")
    assert said(out)[-1] == "database-rollback left open: check it once the tier is carried out"
    assert database_step(cli, incident_id) == "open"
    cli.ok("check", incident_id, "database-rollback", "--note", "0042 reverted")
    assert database_step(cli, incident_id) == "done"

    # A tier that needs approval: the step waits for it, blocked.
    other = declare(cli.in_process())
    out = cli.ok("db-tier", other, "restore-backup", "--reason", "the schema is broken")
    assert "left open" not in out and "checked" not in out
    assert database_step(cli, other) == "blocked"
