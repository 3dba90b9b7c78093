"""Declaring with deployment-plan.md says which of the guide's phases the incident lacks.

`declare --runbook deployment-plan.md`, as the README invites, gave an incident of three
phases (the plan's application, database and verification steps) with no Decision and
no close-out phase, and the note said only that a Markdown runbook enforces none of the
guide's rules (ux_review15 #10). It now says each missing phase of the guide and what
the guide does in it; the plan's `Rollback: application (T+5 to T+30 minutes)` is the
guide's Execute Rollback, by its window, and is not reported missing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.cli_helpers import Cli, InProcessCli

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "runbooks" / "examples" / "deployment-plan.md"
DECIDE = (
    "note: no phase for the guide's Decision and Communication (T+0-5: assess severity, "
    "decide, announce, page the team, notify stakeholders)"
)
CLOSE_OUT = (
    "note: no phase for the guide's Communication and Post-Mortem Prep (communicate "
    "resolution, document the incident, preliminary RCA, schedule the post-mortem)"
)


def test_declare_with_the_plan_names_the_guide_phases_it_lacks(tmp_path: Path) -> None:
    shutil.copy(PLAN, tmp_path / "deployment-plan.md")
    cli = Cli(tmp_path / "plan.db")  # a process, as a user runs it
    cli.cwd = tmp_path
    declared = cli.run(
        "declare", "--runbook", "./deployment-plan.md", "--title", "plan", "--severity",
        "SEV2", "--commander", "Ada",
    )  # fmt: skip
    assert declared.code == 0, declared.err
    lines = declared.err.splitlines()
    assert lines.count(f"lastgood declare: {DECIDE}") == 1, lines
    assert lines.count(f"lastgood declare: {CLOSE_OUT}") == 1, lines
    assert not [line for line in lines if "Execute Rollback" in line or "Verification" in line]


def test_validate_names_them_too(tmp_path: Path) -> None:
    shutil.copy(PLAN, tmp_path / "deployment-plan.md")
    cli = InProcessCli(tmp_path / "x.db")
    cli.cwd = tmp_path
    result = cli.run("validate", "deployment-plan.md")
    assert result.code == 0, result.err
    notes = result.out.splitlines()[2:]  # after the ok line and the Markdown one
    assert notes == [f"deployment-plan.md: {DECIDE}", f"deployment-plan.md: {CLOSE_OUT}"]
