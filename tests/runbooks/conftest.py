"""Helpers for the runbook loader tests: write a runbook file, collect its problems."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from runbooks import Problem, validate_runbook_file

Problems = Callable[..., list[Problem]]
"""The `problems` fixture: a runbook text in, its problems out."""

MINIMAL = """\
runbook: mini
title: Mini rollback
phases:
  - id: decide
    title: Decide
    steps:
      - {id: assess, title: Assess severity}
"""
"""The smallest valid YAML runbook."""

WriteFile = Callable[..., Path]


@pytest.fixture
def write(tmp_path: Path) -> WriteFile:
    """Write text (or bytes) to a file under tmp_path and return its path."""

    def _write(text: str | bytes, name: str = "runbook.yaml") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return _write


@pytest.fixture
def problems(write: WriteFile) -> Problems:
    """The problems of a runbook given as text."""

    def _problems(text: str | bytes, name: str = "runbook.yaml") -> list[Problem]:
        return validate_runbook_file(write(text, name))

    return _problems


def messages(found: list[Problem]) -> list[str]:
    return [f"{p.line}:{p.col}: {p.message}" for p in found]
