"""How an app closes without showing an incident: one line for the command to print.

A record the apps cannot read (a row edited by hand, a chain that does not verify)
used to end the TUI in Textual's traceback, local variables and all, with exit 0;
the command line said one line and exit 2 for the same file. The apps now close as
the command line would: `refusal` holds the line and `refusal_code` the exit status
(or `refusal_cause` the store's failure, which the command maps as every verb's), and
the command that ran the app prints them (`tui.cli.launch`).
"""

from __future__ import annotations

from textual.app import App

from incident.app.session import cannot_read
from runbooks.problems import RunbookError
from store.errors import StoreError

UNREADABLE = (StoreError, ValueError, RunbookError)
"""What reading an incident raises when its record cannot be read as stored."""


NO_NAME = (
    "nothing was opened: no one was named as coordinator "
    "(give the name with --as NAME or $LASTGOOD_USER)"
)
"""Why the app closed when its question "Who is coordinating?" was cancelled."""

NOTHING_PICKED = (
    "nothing was opened: no incident was picked "
    "(lastgood start ID opens one; lastgood list lists them)"
)
"""Why the app closed when the picker of open incidents was left (Esc, ctrl+q): it
said nothing and exited 0, as the name prompt once did."""


NOTHING_DECLARED = (
    "nothing was opened: no incident was declared "
    "(lastgood start opens the form again; lastgood declare declares from the command line)"
)
"""Why the app closed when the declaration form was cancelled (Esc, ctrl+q) before
anything was declared: it said nothing and exited 0, as the picker once did."""


class Unreadable(Exception):
    """An incident's record cannot be read; the message is its one line, `cause` what
    reading it raised."""

    def __init__(self, line: str, cause: Exception) -> None:
        super().__init__(line)
        self.cause = cause


def unreadable(log: object, incident_id: str, error: Exception) -> str:
    """The line for `error`, as the command line gives it, naming the record by its
    path or URL where `log` has one (a test's log in memory has none)."""
    if isinstance(error, StoreError):  # it names the file, the incident and the event
        return str(error)
    return cannot_read(getattr(log, "path", "the record"), incident_id, error)


class Refusing(App[None]):
    """An app that can close with a one-line refusal instead of its screen."""

    refusal: str | None = None
    """Why the app closed without opening the incident: one line."""
    refusal_code = 0
    refusal_cause: Exception | None = None
    """What reading the record raised, when that is why: the command gives it the exit
    status every verb gives it (`tui.cli.errors.store_status`: 75 for a record that may
    answer later), not `refusal_code`."""

    def refuse(self, line: str, code: int, cause: Exception | None = None) -> None:
        self.refusal, self.refusal_code, self.refusal_cause = line, code, cause
        self.exit(return_code=code)
