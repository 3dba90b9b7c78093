"""YAML indentation errors keep their place and add the key and the fix in plain words
(ux_review17 #9: one space short on a step's `title`, and a tab, spoke PyYAML only)."""

from __future__ import annotations

from pathlib import Path

from tests.cli_helpers import ROOT, InProcessCli

BUNDLED = (ROOT / "runbooks" / "rollback.yaml").read_text(encoding="utf-8")
STEP = "      - id: smoke-test\n        title: Smoke test\n"
LINE = BUNDLED[: BUNDLED.index(STEP)].count("\n") + 2


def refusal(tmp_path: Path, text: str) -> str:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    result = InProcessCli(tmp_path / "x.db").run("validate", str(path))
    assert (result.code, result.out, len(result.err.splitlines())) == (2, "", 1), result.err
    assert result.err.startswith(f"{path}:{LINE}:"), result.err
    return result.err


def test_a_key_one_space_short_is_named_with_the_key_above(tmp_path: Path) -> None:
    err = refusal(
        tmp_path, BUNDLED.replace(STEP, "      - id: smoke-test\n       title: Smoke test\n")
    )
    assert err.rstrip().endswith(
        f"; 'title' starts at column 8, not at column 9 as 'id' on line {LINE - 1} above: "
        "indent it as the keys it goes with"
    ), err


def test_a_tab_says_indent_with_spaces(tmp_path: Path) -> None:
    err = refusal(tmp_path, BUNDLED.replace(STEP, "      - id: smoke-test\n\ttitle: Smoke test\n"))
    assert err.rstrip().endswith(
        "; a tab indents this line: indent with spaces (YAML takes no tabs)"
    ), err
