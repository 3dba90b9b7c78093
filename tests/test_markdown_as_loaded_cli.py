"""A Markdown runbook's ticked box and nested task are noted, as they load otherwise.

bad/tabs.md of ux_review17 #13: `- [x] already done` loaded as an open step, and a
tab-indented `- [ ] tabbed task` became guidance of the step above, with `validate`
saying only the generic Markdown notes.
"""

from __future__ import annotations

from pathlib import Path

from tests.cli_helpers import InProcessCli

PLAN = "## Decision (T+0 to T+5 minutes)\n- [ ] Decide\n\t- [ ] tabbed task\n- [x] already done\n"


def test_a_ticked_box_and_a_nested_task_are_noted(tmp_path: Path) -> None:
    path = tmp_path / "tabs.md"
    path.write_text(PLAN, encoding="utf-8")
    result = InProcessCli(tmp_path / "x.db").run("validate", str(path))
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert (
        f"{path}: note: line 3: the nested task '- [ ] tabbed task' is read as guidance of "
        "the task on line 2, not a step (start it at the line's beginning to make it one)"
    ) in lines, lines
    assert (
        f"{path}: note: line 4: '- [x] already done' is ticked, but loads as an open step "
        "(every incident starts with its steps open)"
    ) in lines, lines


def test_the_bundled_checklists_have_neither(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parent.parent / "runbooks" / "examples"
    for path in sorted(root.glob("*.md")):
        result = InProcessCli(tmp_path / "x.db").run("validate", str(path))
        assert ": note: line " not in result.out, result.out
