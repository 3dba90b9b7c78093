"""The worker runbook: one command step whose command names the incident's facts
(`{last_good_version}`), as a custom rollback writes it (ux_review8 #6).

Shared by the CLI's tests of the placeholders (`tests/test_command_placeholders.py`)
and the run dialog's (`tests/tui/test_run_dialog_filled.py`), so both faces are tried
on the same runbook. Positions in it are asserted (`validate`'s FILE:LINE:COL): the
command is on line 11, the verify command, when there is one, on line 13.
"""

from __future__ import annotations

import json
from pathlib import Path

RUNBOOK = """\
runbook: worker
title: Worker rollback
phases:
  - id: execute
    title: Execute Rollback
    window: [0, 30]
    steps:
      - id: redeploy
        title: Redeploy the last good image
        kind: command
        command: {command}
"""

VERIFY = """\
        verify:
          command: {verify}
          regex: rolled back
          within_s: 30
          every_s: 1
"""


def runbook_file(tmp_path: Path, command: str, verify: str | None = "echo rolled back") -> Path:
    """The worker runbook at `tmp_path/worker.yaml`, its step running `command`, read back
    by `verify` (None: no verify command)."""
    text = RUNBOOK.format(command=json.dumps(command))
    if verify is not None:
        text += VERIFY.format(verify=json.dumps(verify))
    path = tmp_path / "worker.yaml"
    path.write_text(text)
    return path
