"""`lastgood init`: write the starter runbook for a service, checked before it lands.

The answers' checks are `runbooks.starter_checks`, named here for the faces: each
answer as it is given, how the method fits the others, all of them at once.
"""

from __future__ import annotations

from pathlib import Path

from incident.app.whole_file import named_descriptor, write_whole
from incident.core.errors import CommandError
from runbooks import Problem, inspect_runbook_file
from runbooks.starter import StarterAnswers, starter_text
from runbooks.starter_checks import answer_problem as answer_problem
from runbooks.starter_checks import fit_problem as fit_problem
from runbooks.starter_checks import label as label
from runbooks.starter_checks import starter_problems as starter_problems


def refuse_existing(path: Path, *, overwrite: bool) -> None:
    """Refused if a file is at `path` and not `overwrite`: it may be the team's edited
    runbook. Asked before the first question, not after the last."""
    if not overwrite and named_descriptor(path) is None and path.exists():
        raise CommandError(
            f"{path} already exists: choose another file, or overwrite it", needs=("force",)
        )


def write_starter(answers: StarterAnswers, path: Path, *, overwrite: bool = False) -> Path:
    """Write the runbook for `answers` to `path`, only once it loads as written.

    The file appears whole or not at all (written beside it, then renamed), and an
    existing file is kept unless `overwrite`.
    """
    if problems := starter_problems(answers):
        raise CommandError("; ".join(problems))
    refuse_existing(path, overwrite=overwrite)
    text = starter_text(answers, str(path))
    write_whole(path, [text.encode()], check=lambda scratch: _check(scratch, path))
    return path


def _check(scratch: Path, path: Path) -> None:
    """A starter that does not load is lastgood's bug, never the user's to debug."""
    _runbook, problems = inspect_runbook_file(scratch)
    if problems:
        first: Problem = problems[0]
        raise CommandError(f"the runbook for {path} does not load ({first.message}); not written")
