"""`validate` and `declare` say in one line what a Markdown runbook does not enforce.

The guide's own rollback-checklist.md, loaded as the runbook, lost the leadership
approval, the triggers, the messages and the decision gate, and `validate` said ok,
`declare` nothing (ux_review7 F4, ux_review8 #4). The line names `steps_from` in a YAML
runbook as the way to keep them; a YAML runbook gets no such line.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.cli_helpers import Cli, InProcessCli

ROOT = Path(__file__).resolve().parent.parent
CHECKLIST = ROOT / "runbooks" / "examples" / "rollback-checklist.md"
NOTE = (
    "note: a Markdown runbook enforces none of the guide's rules (no database tiers, "
    "approvals, rollback triggers, message templates or verification evidence: each task is "
    "a plain check); to keep them, take its tasks into a YAML runbook's phases with "
    "steps_from (lastgood init writes one; README: Writing and checking runbooks)"
)


def test_validate_says_what_a_markdown_runbook_does_not_enforce(tmp_path: Path) -> None:
    shutil.copy(CHECKLIST, tmp_path / "rollback-checklist.md")
    shutil.copy(ROOT / "runbooks" / "rollback.yaml", tmp_path / "rollback.yaml")
    cli = InProcessCli(tmp_path / "x.db")
    cli.cwd = tmp_path
    result = cli.run("validate", "rollback-checklist.md", "rollback.yaml")
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        "rollback-checklist.md: ok (runbook 'rollback-checklist', 4 phases, 16 steps)",
        f"rollback-checklist.md: {NOTE}",
        "rollback.yaml: ok (runbook 'rollback', 4 phases, 18 steps)",
    ]
    assert result.err == ""
    checked = json.loads(cli.ok("validate", "--json", "rollback-checklist.md", "rollback.yaml"))
    assert [file["notes"] for file in checked["files"]] == [[NOTE.removeprefix("note: ")], []]


def test_declare_says_it_once_for_a_markdown_runbook_and_not_for_a_yaml_one(
    tmp_path: Path,
) -> None:
    shutil.copy(CHECKLIST, tmp_path / "rollback-checklist.md")
    cli = Cli(tmp_path / "checklist.db")  # a process, as a user runs it
    cli.cwd = tmp_path
    declared = cli.run(
        "declare", "--runbook", "./rollback-checklist.md", "--title", "Cart broken",
        "--severity", "SEV2", "--commander", "Ada",
    )  # fmt: skip
    assert declared.code == 0, declared.err
    assert declared.out.startswith("INC-")
    assert declared.err.splitlines().count(f"lastgood declare: {NOTE}") == 1
    bundled = InProcessCli(tmp_path / "bundled.db").run(
        "declare", "--title", "T", "--severity", "SEV2", "--commander", "Ada"
    )
    assert bundled.code == 0, bundled.err
    assert "Markdown" not in bundled.err
