"""A trigger's threshold written as a percentage or as text, or above a ratio's ceiling.

`threshold: 5%` and `threshold: '500'` got `'threshold' must be a number`, echoing
neither; `threshold: 5` (meant as 5%) on the `unit: ratio` error-rate probe was a note,
exit 0, and a trigger that could never fire (ux_review17 #8). Now the line echoes what
was written and the ratio it meant; a ratio trigger above 1 is refused.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_helpers import ROOT, InProcessCli

BUNDLED = (ROOT / "runbooks" / "rollback.yaml").read_text(encoding="utf-8")
LINE = next(n for n, text in enumerate(BUNDLED.splitlines(), 1) if "threshold: 0.05" in text)


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("5%", "'threshold' must be a number, not '5%' (as a ratio, 5% is 0.05)"),
        ("'500'", "'threshold' must be a number, not the text '500' (write it unquoted: 500)"),
        ("five", "'threshold' must be a number, not 'five'"),
        (
            "5",
            "trigger 'error-rate' fires at > 5 on the ratio probe 'error-rate', which never "
            "goes above 1: it could never fire; for 5%, write 0.05",
        ),
    ],
)
def test_the_refusal_echoes_what_was_written(tmp_path: Path, written: str, said: str) -> None:
    path = tmp_path / "pct.yaml"
    path.write_text(BUNDLED.replace("threshold: 0.05", f"threshold: {written}"), encoding="utf-8")
    result = InProcessCli(tmp_path / "x.db").run("validate", str(path))
    assert (result.code, result.out) == (2, ""), result.out
    assert result.err == f"{path}:{LINE}:16: {said}\n"
