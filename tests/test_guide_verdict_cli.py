"""`validate`, `declare` and `status` give one verdict on where a runbook leaves the guide.

`status` said `runbook's own, not the guide's: roles comms-lead, ops` for the bundled
and `init` runbooks, and for a Markdown plan with no roles at all, while `validate`
said ok with no note (ux_review17 #12). Roles, triggers and approvals a runbook adds
are no departure; what is one is noted alike by all three, from `guide_notes`.
"""

from __future__ import annotations

from pathlib import Path

from tests.cli_helpers import InProcessCli
from tests.init_helpers import SERVICE, URLS, init

DECLARE = ("declare", "--title", "T", "--severity", "SEV2", "--commander", "Ada")
PLAN = """\
# Payments rollback plan

## Decision and Communication (T+0 to T+5 minutes)

- [ ] Decide to roll back

## Execute Rollback (T+5 to T+30 minutes)

- [ ] Roll back payments
"""


def notes(text: str) -> list[str]:
    return [line[line.index("note: ") :] for line in text.splitlines() if "note: " in line]


def verdicts(tmp_path: Path, runbook: Path) -> tuple[list[str], list[str], list[str]]:
    """The notes of `validate`, `declare` and `status`, each without its prefix."""
    cli = InProcessCli(tmp_path / "x.db", actor="Ada")
    checked = cli.run("validate", str(runbook))
    assert checked.code == 0, checked.err
    declared = cli.run(*DECLARE, "--runbook", str(runbook))
    assert declared.code == 0, declared.err
    status = cli.ok("status", declared.out.strip())
    assert "runbook's own" not in status, status
    return notes(checked.out), notes(declared.err), notes(status)


def test_the_init_runbook_is_ok_everywhere(tmp_path: Path) -> None:
    code, _, err = init(tmp_path, *SERVICE, *URLS, "--method", "kubectl")
    assert (code, err) == (0, "")
    assert verdicts(tmp_path, tmp_path / "lastgood.yaml") == ([], [], [])


def test_a_markdown_plan_gets_the_same_notes_everywhere(tmp_path: Path) -> None:
    plan = tmp_path / "plan.md"
    plan.write_text(PLAN, encoding="utf-8")
    validated, declared, status = verdicts(tmp_path, plan)
    assert validated and validated == declared == status
    assert not [note for note in status if "roles" in note], status
