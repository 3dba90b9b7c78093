"""`validate` and `declare` note each place a runbook departs from the guide.

A team's copy of the bundled runbook with the leadership approval of a backup restore
removed, a 15-minute decision window, no Last-resort tier, a 50% error trigger or no
smoke test was `ok` at `validate`, with no note, and declared silently (ux_review15 #9).
Each is a note (teams adapt the guide; exit 0), in `validate`'s lines and its `--json`,
and once at `declare`; the bundled runbook has none.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from runbooks.guide_frame import departures
from runbooks.loading import load_runbook
from tests.cli_helpers import InProcessCli

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = (ROOT / "runbooks" / "rollback.yaml").read_text(encoding="utf-8")

EDITS = {
    "no-approver": (
        "    data_loss: certain\n    approver: leadership\n",
        "    data_loss: certain\n",
        "database tier 'restore-backup' (data_loss: certain) has no approver; "
        "the guide's Last resort requires leadership approval",
    ),
    "window": (
        "    window: [0, 5]\n",
        "    window: [0, 15]\n",
        "phase 'decide' has T+0-15; the guide's Decision and Communication has T+0-5",
    ),
    "no-last-resort": (
        BUNDLED[BUNDLED.index("  - id: restore-backup") : BUNDLED.index("\ntemplates:")],
        "",
        "no database tier with data_loss: certain "
        "(the guide's Last resort: restore the pre-deployment backup)",
    ),
    "threshold": (
        "    threshold: 0.05\n",
        "    threshold: 0.5\n",
        "trigger 'error-rate' fires at error rate > 50%; the guide's is error rate > 5%",
    ),
    "no-smoke-test": (
        BUNDLED[BUNDLED.index("      - id: smoke-test") : BUNDLED.index("\n  - id: close-out")],
        "",
        "no verification step for the guide's Smoke test (Phase 3)",
    ),
}


def edited(tmp_path: Path, name: str) -> Path:
    old, new, _ = EDITS[name]
    assert BUNDLED.count(old) == 1, name
    path = tmp_path / f"{name}.yaml"
    path.write_text(BUNDLED.replace(old, new), encoding="utf-8")
    return path


def test_the_bundled_runbook_departs_from_nothing() -> None:
    assert departures(load_runbook(ROOT / "runbooks" / "rollback.yaml")) == []


@pytest.mark.parametrize("name", list(EDITS))
def test_validate_notes_each_departure(tmp_path: Path, name: str) -> None:
    path = edited(tmp_path, name)
    cli = InProcessCli(tmp_path / "x.db")
    result = cli.run("validate", str(path))
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].startswith(f"{path}: ok (runbook 'rollback', 4 phases, ")
    assert lines[1:] == [f"{path}: note: {EDITS[name][2]}"]
    checked = json.loads(cli.ok("validate", "--json", str(path)))
    assert checked["ok"] is True
    assert checked["files"][0]["notes"] == [EDITS[name][2]]


def test_declare_says_the_departures_once(tmp_path: Path) -> None:
    path = edited(tmp_path, "no-approver")
    cli = InProcessCli(tmp_path / "x.db")
    declared = cli.run(
        "declare", "--runbook", str(path), "--title", "T", "--severity", "SEV2",
        "--commander", "Ada",
    )  # fmt: skip
    assert declared.code == 0, declared.err
    note = f"lastgood declare: note: {EDITS['no-approver'][2]}"
    assert declared.err.splitlines().count(note) == 1
    bundled = cli.run("declare", "--title", "T", "--severity", "SEV2", "--commander", "Ada")
    assert bundled.code == 0, bundled.err
    assert "note:" not in bundled.err


def test_phases_out_of_the_guides_order_are_noted(tmp_path: Path) -> None:
    """The execute phase moved above the decision (ux_review17 #3: bad/order.yaml) was
    `ok` with no note, and `status` opened on Execute Rollback."""
    decide = BUNDLED[BUNDLED.index("  - id: decide\n") : BUNDLED.index("  - id: execute\n")]
    path = tmp_path / "order.yaml"
    path.write_text(
        BUNDLED.replace(decide, "").replace("  - id: verify\n", decide + "  - id: verify\n")
    )
    result = InProcessCli(tmp_path / "x.db").run("validate", str(path))
    assert result.code == 0, result.err
    assert result.out.splitlines()[1:] == [
        f"{path}: note: phases out of the guide's order: the runbook has execute, decide, "
        "verify, close-out; the guide's is decide, execute, verify, close-out"
    ]


def test_a_markdown_plan_out_of_order_is_noted(tmp_path: Path) -> None:
    path = tmp_path / "plan.md"
    path.write_text(
        "# Plan\n\n## Execute Rollback (T+5 to T+30 minutes)\n\n- [ ] Roll back\n\n"
        "## Decision and Communication (T+0 to T+5 minutes)\n\n- [ ] Decide\n",
        encoding="utf-8",
    )
    result = InProcessCli(tmp_path / "x.db").run("validate", str(path))
    assert result.code == 0, result.err
    assert (
        f"{path}: note: phases out of the guide's order: the runbook has execute-rollback, "
        "decision-and-communication; the guide's is decision-and-communication, "
        "execute-rollback"
    ) in result.out.splitlines()
