"""The CLI's one failure: a line for stderr and an exit status.

Kept apart, and light, so `main` can catch it without loading the domain first.
"""

from __future__ import annotations

RAN_NOT_RECORDED = 3
"""`lastgood run`'s exit when the step's command ran but its result could not be
recorded: not 2, which says nothing happened, so the rollback is not run twice."""


class CliError(Exception):
    """A one-line failure to report; `exit_code` 2 for usage/input, 1 for findings,
    `RAN_NOT_RECORDED` for a command that ran unrecorded."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code
