"""Problems found in a runbook, each with the place it was found.

Every loader reports what is wrong as `Problem`s rather than raising, so a
broken runbook produces one clear line per mistake (`FILE:LINE:COL: message`)
and never a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable

from msgspec import Struct
from msgspec.structs import force_setattr

from runbooks.printable import visible

MESSAGE_CHARS = 500
"""Longest problem message shown; longer ones quote a value nobody can read on a terminal."""


class Problem(Struct, frozen=True):
    """One thing wrong with a runbook file."""

    file: str
    """The file as it was named to the loader."""
    line: int
    """1-based line."""
    col: int
    """1-based column, in characters."""
    message: str
    """One line: control characters quoted from the runbook are shown as escapes, and
    a message quoting a huge value is cut after `MESSAGE_CHARS` characters."""

    def __post_init__(self) -> None:
        message = visible(self.message)
        if len(message) > MESSAGE_CHARS:
            message = (
                f"{message[:MESSAGE_CHARS]}... ({len(message) - MESSAGE_CHARS} more characters)"
            )
        force_setattr(self, "message", message)

    def __str__(self) -> str:
        return f"{visible(self.file)}:{self.line}:{self.col}: {self.message}"


class RunbookError(Exception):
    """A runbook could not be loaded; `problems` says why, and where."""

    problems: tuple[Problem, ...]

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)

    def __reduce__(self) -> tuple[type[RunbookError], tuple[tuple[Problem, ...]]]:
        return (type(self), (self.problems,))
