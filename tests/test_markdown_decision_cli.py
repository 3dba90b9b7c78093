"""In a Markdown runbook (no gate) the rollback is decided once, as a note the timeline names.

worker-runbook.md, four phases of `- [ ]` tasks, one of them "Decide to roll back":
`decide` recorded a note and could be made again, a second note; the task stayed open
beside them; and the timeline's key moment said "Rollback decision: not recorded (no
approval gate in the runbook)" above the note that recorded it (ux_review8 #11). Run as
a user runs it, on a real SQLite file.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.cli_helpers import InProcessCli, declare

WORKER_RUNBOOK = """\
# Worker runbook

## Decide (T+0 to T+5 minutes)

- [ ] **Assess severity:** Look at the job failure ratio.
- [ ] **Decide to initiate the rollback:** The incident commander decides.

## Execute (T+5 to T+30 minutes)

- [ ] **Redeploy the last good image:** kubectl set image.
"""


def worker_incident(tmp_path: Path) -> tuple[InProcessCli, str]:
    (tmp_path / "worker-runbook.md").write_text(WORKER_RUNBOOK)
    cli = InProcessCli(tmp_path / "worker.db", actor="Ada")
    cli.cwd = tmp_path
    return cli, declare(cli, "--runbook", "./worker-runbook.md")


def test_the_decision_is_recorded_once_and_checks_the_task_titled_like_it(
    tmp_path: Path,
) -> None:
    cli, incident_id = worker_incident(tmp_path)
    first = cli.ok("decide", incident_id, "--reason", "job failures at 40%")
    assert first.split("  ", 1)[1].strip() == (
        "rollback decided (recorded as a note: the runbook has no gate); "
        "decide-to-initiate-the-rollback checked"
    )
    second = cli.run("decide", incident_id, "--reason", "second time")
    assert second.code == 2
    assert re.fullmatch(
        r"lastgood decide: the rollback was already decided \(by Ada at T\+\d\d:\d\d, "
        r"as a note: job failures at 40%\)\n",
        second.err,
    ), second.err
    status = cli.ok("status", incident_id)
    assert "[x] decide-to-initiate-the-rollback: Decide to initiate the rollback" in status
    assert "[ ] assess-severity" in status  # no other task is taken for the decision
    notes = [line for line in cli.ok("timeline", incident_id).splitlines() if "Decision:" in line]
    assert len(notes) == 1, notes


def test_the_timeline_key_moment_names_the_decision_note(tmp_path: Path) -> None:
    cli, incident_id = worker_incident(tmp_path)
    assert "not recorded (no approval gate in the runbook)" in cli.ok("timeline", incident_id)
    cli.ok("decide", incident_id, "--reason", "job failures at 40%")
    timeline = cli.ok("timeline", incident_id).splitlines()
    (moment,) = [line for line in timeline if line.startswith("- ★ Rollback decision:")]
    assert moment.endswith("(noted by Ada: job failures at 40%)"), moment
    (marked,) = [line for line in timeline if "★ **Rollback decision**" in line]
    assert marked.endswith("Note: Decision: initiate rollback. job failures at 40%"), marked


def test_a_runbook_with_a_gate_still_refuses_a_second_decision_by_its_gate(
    tmp_path: Path,
) -> None:
    cli = InProcessCli(tmp_path / "bundled.db", actor="Ada")
    incident_id = declare(cli)
    cli.ok("decide", incident_id, "--reason", "error rate 12%")
    again = cli.run("decide", incident_id, "--reason", "again")
    assert again.code == 2
    assert "already decided (decide-rollback approved by Ada at T+" in again.err
