"""What every `lastgood` command shares: who is acting, which file, which incident.

A failure anywhere becomes a `CliError`: one line on stderr and an exit status (2 for
usage and input, 1 for findings such as a damaged record), never a traceback.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from incident.app.session import IncidentSession
from incident.app.verb import Verb
from incident.core.chain import DamagedRecord
from incident.core.clock import SystemClock
from incident.core.errors import CommandError
from incident.core.phase_clocks import elapsed, format_offset
from runbooks.model import Runbook
from runbooks.problems import RunbookError
from store.errors import StoreError
from store.paths import default_db_path
from store.sqlite_log import SqliteEventLog
from tui.cli.edges import NOT_A_TERMINAL, has_terminal, utf8_problem
from tui.cli.errors import CliError


def actor_name() -> str:
    """Who is at the keyboard: $LASTGOOD_ACTOR, else the login name."""
    name = environment("LASTGOOD_ACTOR").strip()
    if name:
        return name
    import getpass  # here: the reading verbs act as nobody

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def db_path(args: argparse.Namespace) -> Path:
    explicit = getattr(args, "db", None)
    if explicit:
        return Path(explicit)
    environment("LASTGOOD_DB")  # refused here if it is not UTF-8
    return default_db_path()


def environment(name: str) -> str:
    """An environment variable lastgood reads; one line if it holds bytes that are not UTF-8."""
    value = os.environ.get(name, "")
    if problem := utf8_problem(value):
        raise CliError(f"${name} is not valid UTF-8 ({problem})")
    return value


def require_terminal() -> None:
    """The TUI would hang or garble without a terminal; say so before anything starts."""
    if not has_terminal():
        raise CliError(NOT_A_TERMINAL)


@contextmanager
def open_log(
    args: argparse.Namespace, *, read_only: bool = False, snapshot: bool = False
) -> Iterator[SqliteEventLog]:
    path = db_path(args)
    if read_only and not path.exists():
        raise CliError(f"{path}: no database here yet (declare an incident first)")
    try:
        log = SqliteEventLog.open(path, read_only=read_only, snapshot=snapshot)
    except StoreError as error:
        raise CliError(str(error)) from None
    try:
        yield log
    except StoreError as error:
        raise CliError(str(error)) from None
    except DamagedRecord as refusal:
        raise CliError(str(refusal), exit_code=1) from None
    finally:
        log.close()


def runbook_for(name_or_path: str) -> Runbook:
    from runbooks.loading import load_runbook  # the YAML and Markdown loaders, when needed
    from runbooks.resolve import resolve_runbook

    try:
        return load_runbook(resolve_runbook(name_or_path))
    except RunbookError as error:
        first = error.problems[0] if error.problems else error
        raise CliError(f"runbook: {first}") from None


def open_session(log: SqliteEventLog, incident_id: str) -> IncidentSession:
    """The incident's session; on a writable log, refused if its chain does not verify."""
    if not log.has_incident(incident_id):
        raise CliError(f"no incident '{incident_id}' in {log.path}")
    try:
        session = IncidentSession(log, incident_id, SystemClock())
    except (ValueError, RunbookError) as error:
        raise CliError(f"{log.path}: incident {incident_id} cannot be read: {error}") from None
    if session.damage is not None and not log.read_only:
        raise CliError(str(DamagedRecord(session.damage)), exit_code=1)
    return session


def refused(error: CommandError, verb: Verb | None = None) -> CliError:
    """A domain refusal, with the remedy phrased as this face's options."""
    message = str(error)
    if verb is not None and error.needs:
        known = {param.name: param for param in verb.params}
        options = [known[name].option for name in error.needs if name in known]
        if options:
            message += f" ({' '.join(options)})"
    return CliError(message)


def offset(session: IncidentSession) -> str:
    """T+ now, as every recording verb's confirmation starts."""
    return format_offset(elapsed(session.state, session.clock.now()))
