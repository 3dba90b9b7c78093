"""A template's problem points at its placeholder's column, as the `{next_update}`
warning does: `{verison_now}` and `{time (T` were placed at the template's opening
quote, 60 to 100 columns before them on a long line (ux_review17 #10)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_helpers import ROOT, InProcessCli

BUNDLED = (ROOT / "runbooks" / "rollback.yaml").read_text(encoding="utf-8")
OLD = '  initiating: "Initiating rollback due to {issue}. ETA {eta}."'


@pytest.mark.parametrize(
    ("template", "mark", "said"),
    [
        (
            '"Rolling back {issue} at {verison_now}."',
            "{verison_now}",
            "unknown placeholder '{verison_now}'",
        ),
        ('"At {time} (T {elapsed}) and {time (T"', "{time (T", "malformed template braces"),
        ('"Rolling back {issue}: {}"', "{}", "positional placeholder '{}'"),
    ],
)
def test_the_line_points_at_the_placeholder(
    tmp_path: Path, template: str, mark: str, said: str
) -> None:
    assert OLD in BUNDLED
    text = BUNDLED.replace(OLD, f"  initiating: {template}")
    path = tmp_path / "placeholder.yaml"
    path.write_text(text, encoding="utf-8")
    number = next(
        n
        for n, line in enumerate(text.splitlines(), 1)
        if "initiating: " in line and "ETA" not in line
    )
    column = text.splitlines()[number - 1].index(mark) + 1
    result = InProcessCli(tmp_path / "x.db").run("validate", str(path))
    assert result.code == 2
    assert result.err.startswith(f"{path}:{number}:{column}: template 'initiating': {said}"), (
        result.err
    )
