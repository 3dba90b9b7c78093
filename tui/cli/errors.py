"""The CLI's one failure: a line for stderr and an exit status.

Kept apart, and light, so `main` can catch it without loading the domain first.
"""

from __future__ import annotations

RAN_NOT_RECORDED = 3
"""`lastgood run`'s exit when the step's command ran but its result could not be
recorded: not 2, which says nothing happened, so the rollback is not run twice."""


TRY_AGAIN = 75
"""The exit when the record could not be reached now and may be later: another writer
held a SQLite file past the busy timeout, PostgreSQL down or not answering, a full
disk. sysexits' EX_TEMPFAIL, as mail and backup tools give it: a unit's
`Restart=on-failure` retries it, where a refusal for good (2) it should not."""


class CliError(Exception):
    """A one-line failure to report; `exit_code` 2 for usage/input, 1 for findings,
    `RAN_NOT_RECORDED` for a command that ran unrecorded, `TRY_AGAIN` for a record
    that may answer later."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


DAMAGED = 1
"""The exit when the record is damaged (a file SQLite finds damaged, a chain that does
not verify): a finding for a person, as `verify`'s."""


def store_status(error: Exception) -> int:
    """The exit status of the record's failure, the one mapping every verb uses:
    `TRY_AGAIN` if trying again later may work (the store's `Unavailable`), `DAMAGED`
    for a damaged file (`DamagedFile`), else 2, a refusal for good. Read from the
    error's `transient` and `damaged` flags, so this module loads nothing."""
    if getattr(error, "transient", False):
        return TRY_AGAIN
    if getattr(error, "damaged", False):
        return DAMAGED
    return 2


def store_failure(error: Exception) -> CliError:
    """The record's failure as the verb's one line and its exit status (`store_status`)."""
    return CliError(str(error), exit_code=store_status(error))
