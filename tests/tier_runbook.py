"""The orders runbook: a database step whose tiers say what to run (ux_review8 #9).

`down-migrations` runs a command (as `alembic downgrade` would, it names the last good
release) and reads it back; `restore-backup` runs one once leadership approves it;
`none` runs nothing. Shared by the CLI's tests (`tests/test_tier_command_cli.py`) and the
TUI's (`tests/tui/test_tier_command_run.py`), so both faces are tried on one runbook.
Positions in it are asserted (`validate`'s FILE:LINE:COL): the down-migrations tier's
command is on line 12.
"""

from __future__ import annotations

import json
from pathlib import Path

RUNBOOK = """\
runbook: orders
title: Orders rollback
database_tiers:
  - id: none
    title: "Best case: no database rollback"
    risk: No data loss.
    data_loss: none
  - id: down-migrations
    title: "Acceptable case: run down migrations"
    risk: This carries a risk of data loss.
    data_loss: possible
    command: {down}
{verify}\
  - id: restore-backup
    title: "Last resort: restore the pre-deployment backup"
    risk: Transactions since the backup are lost.
    data_loss: certain
    approver: leadership
    command: {restore}
phases:
  - id: execute
    title: Execute Rollback
    window: [0, 30]
    steps:
      - id: database-rollback
        title: Execute database rollback
        kind: database
"""

VERIFY = """\
    verify:
      command: {verify}
      regex: downgraded
      within_s: 30
      every_s: 1
"""


def tier_runbook(
    tmp_path: Path, down: str, *, restore: str = "true", verify: str | None = None
) -> Path:
    """The orders runbook at `tmp_path/orders.yaml`: the down-migrations tier runs `down`,
    read back by `verify` (None: no verify), the restore-backup tier `restore`."""
    block = "" if verify is None else VERIFY.format(verify=json.dumps(verify))
    text = RUNBOOK.format(down=json.dumps(down), verify=block, restore=json.dumps(restore))
    path = tmp_path / "orders.yaml"
    path.write_text(text)
    return path
