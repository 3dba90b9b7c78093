"""Loading any runbook file: YAML, or Markdown for `.md` files."""

from __future__ import annotations

from pathlib import Path

from runbooks.markdown_runbook import load_markdown_runbook
from runbooks.model import Runbook
from runbooks.problems import Problem, RunbookError
from runbooks.unenforced import MARKDOWN_SUFFIXES as MARKDOWN_SUFFIXES
from runbooks.yaml_loader import load_yaml_runbook, sort_problems


def load_runbook(path: str | Path) -> Runbook:
    """The runbook in the file at `path`; `RunbookError` lists every problem."""
    runbook, problems = _load(path)
    if problems or runbook is None:
        raise RunbookError(problems or [Problem(str(path), 1, 1, "invalid runbook")])
    return runbook


def validate_runbook_file(path: str | Path) -> list[Problem]:
    """Every problem in the runbook file at `path`; empty when it loads."""
    return _load(path)[1]


def inspect_runbook_file(path: str | Path) -> tuple[Runbook | None, list[Problem]]:
    """The runbook (None when it has problems) and every problem, from one read of the file."""
    runbook, problems = _load(path)
    return (None if problems else runbook), problems


def _load(path: str | Path) -> tuple[Runbook | None, list[Problem]]:
    file = str(path)
    try:
        location = Path(path)
        if location.suffix.lower() in MARKDOWN_SUFFIXES:
            runbook, problems = load_markdown_runbook(location, file)
        else:
            runbook, problems = load_yaml_runbook(location, file)
    except Exception as exc:  # never a traceback for a runbook file, even on a bug
        message = f"internal error while loading runbook: {type(exc).__name__}: {exc}"
        return None, [Problem(file, 1, 1, message)]
    return runbook, sort_problems(problems, file)
