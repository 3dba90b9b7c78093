"""A `{placeholder}` in a step's title or guidance is noted: only templates fill them.

`guidance: "Tell finance about {issue} at {eta}"` and a Markdown task `- [ ] Decide
{issue}` were `ok` and shown literally, where the author expected them filled
(ux_review17 #11).
"""

from __future__ import annotations

from pathlib import Path

from tests.cli_helpers import ROOT, InProcessCli

BUNDLED = (ROOT / "runbooks" / "rollback.yaml").read_text(encoding="utf-8")
OLD = "        guidance: Begin a preliminary root cause analysis.\n"


def test_guidance_with_placeholders_is_noted(tmp_path: Path) -> None:
    assert OLD in BUNDLED
    path = tmp_path / "guidance.yaml"
    path.write_text(
        BUNDLED.replace(OLD, '        guidance: "Tell finance about {issue} at {eta}."\n')
    )
    result = InProcessCli(tmp_path / "x.db").run("validate", str(path))
    assert result.code == 0, result.err
    assert result.out.splitlines()[1:] == [
        f"{path}: note: step 'preliminary-rca': its guidance holds {{issue}}, {{eta}}, shown as "
        "written: only message templates fill placeholders"
    ]


def test_a_markdown_task_title_with_one_is_noted(tmp_path: Path) -> None:
    path = tmp_path / "plan.md"
    path.write_text("## Decision (T+0 to T+5 minutes)\n- [ ] Decide {issue}\n", encoding="utf-8")
    result = InProcessCli(tmp_path / "x.db").run("validate", str(path))
    assert (
        f"{path}: note: step 'decide-issue': its title holds {{issue}}, shown as written: only "
        "message templates fill placeholders"
    ) in result.out.splitlines(), result.out
