"""A refusal as the CLI tests expect it: one line on stderr, and no traceback."""

from __future__ import annotations


def one_line(result_err: str) -> str:
    lines = result_err.strip().splitlines()
    assert len(lines) == 1, result_err
    assert "Traceback" not in result_err
    return lines[0]
