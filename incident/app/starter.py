"""`lastgood init`: write the starter runbook for a service, checked before it lands."""

from __future__ import annotations

from pathlib import Path

from incident.app.whole_file import write_whole
from incident.core.errors import CommandError
from runbooks import Problem, inspect_runbook_file
from runbooks.starter import StarterAnswers, starter_problems, starter_text


def write_starter(answers: StarterAnswers, path: Path, *, overwrite: bool = False) -> Path:
    """Write the runbook for `answers` to `path`, only once it loads as written.

    The file appears whole or not at all (written beside it, then renamed), and an
    existing file is kept unless `overwrite`: it may be the team's edited runbook.
    """
    if problems := starter_problems(answers):
        raise CommandError("; ".join(problems))
    if path.exists() and not overwrite:
        raise CommandError(f"{path} already exists; choose another file or overwrite it")
    text = starter_text(answers, str(path))
    write_whole(path, [text.encode()], check=lambda scratch: _check(scratch, path))
    return path


def _check(scratch: Path, path: Path) -> None:
    """A starter that does not load is lastgood's bug, never the user's to debug."""
    _runbook, problems = inspect_runbook_file(scratch)
    if problems:
        first: Problem = problems[0]
        raise CommandError(f"the runbook for {path} does not load ({first.message}); not written")
