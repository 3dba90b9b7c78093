"""What every `lastgood` command shares: who is acting, which file, which incident.

A failure anywhere becomes a `CliError`: one line on stderr and an exit status (2 for
usage and input, 1 for findings such as a damaged record, 3 for a command `run` ran but
could not record), never a traceback.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from shlex import quote
from typing import TypeVar

from incident.app.outcome import Done
from incident.app.session import IncidentSession, cannot_read
from incident.app.verb import Verb
from incident.core.chain import DamagedRecord
from incident.core.clock import SystemClock
from incident.core.errors import CommandError
from incident.core.names import is_person, not_a_person
from incident.core.phase_clocks import elapsed, format_offset, t_plus
from incident.core.state import IncidentState
from incident.core.text import either, visible
from runbooks.model import Runbook
from runbooks.problems import RunbookError
from store.backends import EventRecord, is_postgres_url, open_event_log
from store.errors import DamagedFile, StoreError
from store.paths import default_db_path
from store.sqlite_log import SqliteEventLog
from tui.cli.arguments import Arguments
from tui.cli.edges import NOT_A_TERMINAL, has_terminal, os_path, recovered, utf8_problem
from tui.cli.errors import CliError
from tui.cli.param_names import cli_name


def known_actor(args: Arguments) -> str | None:
    """Who is at the keyboard, or None when nothing names a person.

    `--as NAME`, else $LASTGOOD_USER ($LASTGOOD_ACTOR, its older spelling), else git's
    `user.name`, else the login. A name given on purpose that names no one ("root",
    "you") is refused; a login or git name that does is passed over, so "root" on a
    bastion never signs the record. An empty `--as` is refused, as an empty `--db` is:
    it was taken as not given, and the record named whoever git or the login did. So
    is a variable set but empty (`LASTGOOD_USER="$SLACK_USER"` with no user): the
    first of these that is set decides (`set_variable`).
    """
    given = getattr(args, "as_name", None)
    if given is not None and not given.strip():
        raise CliError("--as needs a name, not an empty string")
    for source, read in (
        ("--as", lambda: given),
        ("$LASTGOOD_USER", lambda: set_variable("LASTGOOD_USER", "a name")),
        ("$LASTGOOD_ACTOR", lambda: set_variable("LASTGOOD_ACTOR", "a name")),
    ):
        name = (read() or "").strip()  # kept as written: the record shows it, controls visible
        if name:
            if problem := not_a_person(name):
                raise CliError(f"{source}: {problem}")
            return name
    for name in (_git_user_name(), _login()):
        if is_person(name):
            return name
    return None


NO_NAME = (
    "who is recording? Nothing names a person here (the login is '{login}'): "
    "give --as NAME or set LASTGOOD_USER"
)


def actor_name(args: Arguments) -> str:
    """The person recording; a one-line refusal when nothing names one."""
    name = known_actor(args)
    if name is None:
        raise CliError(NO_NAME.format(login=_login() or "unknown"))
    return name


def _git_user_name() -> str:
    """git's `user.name`, if git is installed and has one; quickly, or not at all."""
    import subprocess

    try:
        found = subprocess.run(
            ["git", "config", "--get", "user.name"],
            capture_output=True,
            encoding="utf-8",
            timeout=2,
            check=False,
        )
    except (OSError, subprocess.SubprocessError, ValueError):  # ValueError: not UTF-8
        return ""
    if found.returncode != 0:
        return ""
    return " ".join(found.stdout.split())


def _login() -> str:
    import getpass  # here: the reading verbs act as nobody

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def db_location(args: Arguments) -> Path | str:
    """The record `--db` or $LASTGOOD_DB names: a `postgresql://` URL, or a file's path."""
    named = _given_db(args) or _db_variable()
    if is_postgres_url(named):
        return str(named)
    return db_path(args)


def _given_db(args: Arguments) -> str | None:
    """`--db` as given, if given; an empty one is refused, not read as 'not given' (it
    fell back to the default file without a word)."""
    given: str | None = getattr(args, "db", None)
    if given == "":
        raise CliError("--db needs a path or a postgresql:// URL, not an empty string")
    return given


SQLITE_ONLY = (
    "{location}: this command keeps its record in a SQLite file for now "
    "(give --db PATH); the other verbs read and record on PostgreSQL"
)


def db_path(args: Arguments) -> Path:
    """The SQLite file named; refused for a PostgreSQL URL, for what reads only files."""
    explicit = _given_db(args)
    named = explicit or _db_variable()  # refused here if it is empty or not UTF-8
    if is_postgres_url(named):
        raise CliError(SQLITE_ONLY.format(location=named.split("://", 1)[0] + "://…"))
    if _key_value_conninfo(named):
        raise CliError(
            "--db looks like a libpq key=value connection string; give it as a "
            "postgresql:// URL (postgresql://USER@HOST:PORT/DBNAME)"
        )
    _refuse_unexpanded_home(named, "--db" if explicit else "$LASTGOOD_DB")
    return Path(os_path(explicit, "--db")) if explicit else default_db_path()


def _refuse_unexpanded_home(named: str, source: str) -> None:
    """A path starting with `~` or `~user` that no shell expanded is refused, from
    `--db` (`--db "~/x.db"`, quoted) and $LASTGOOD_DB alike (`"~/x.db"` quoted, or
    read from a file no shell reads: a systemd unit's `Environment=`, an env file).
    Taken as it is, it made a directory named `~` under the working directory; read
    from $HOME, as the variable once was, it named a home the writer may not have
    meant (a service's, sudo's) while the option was refused. A shell expands `~`
    itself where one is typed, `LASTGOOD_DB=~/x.db` included, so what arrives here
    is a `~` nobody expanded."""
    first = named.split("/", 1)[0]
    if first.startswith("~"):
        raise CliError(
            f"{source} {quote(named)} starts with {first}, which no shell expanded "
            "(quoted, or read from a file): leave it unquoted, or give the whole path"
        )


LIBPQ_KEYWORDS = frozenset(
    ("host", "hostaddr", "port", "dbname", "user", "password", "passfile", "service", "sslmode")
)
"""The keywords a libpq key=value string (what psql takes) most often starts with."""


def _key_value_conninfo(named: str) -> bool:
    """Whether `named` is libpq's `host=... dbname=...` form: taken for a file's name, it
    made a SQLite file called after the password, and quoted it in every message."""
    keyword, equals, _ = named.strip().partition("=")
    return bool(equals) and keyword.strip().lower() in LIBPQ_KEYWORDS


def chosen_db(args: Arguments) -> Path | None:
    """The database `--db` or $LASTGOOD_DB names; None: neither does (a demo's scratch one)."""
    if _given_db(args) or _db_variable():
        return db_path(args)
    return None


def _db_variable() -> str:
    """$LASTGOOD_DB, "" when unset; set but empty, refused as an empty `--db` is (it
    opened the default file: a systemd unit's `LASTGOOD_DB=$INCIDENT_DB`, unset)."""
    return set_variable("LASTGOOD_DB", "a path or a postgresql:// URL") or ""


def set_variable(name: str, needs: str) -> str | None:
    """An environment variable lastgood reads, None when it is not set. Set but empty
    (or blank) it is refused, naming it, as the empty option is: taken for 'not
    given', the next source (git's name, the default file) answered in its place."""
    if name not in os.environ:
        return None
    value = environment(name)
    if not value.strip():
        raise CliError(f"${name} needs {needs}, not an empty string (or leave it unset)")
    return value


def environment(name: str) -> str:
    """An environment variable lastgood reads; one line if it holds bytes that are not UTF-8."""
    value = recovered(os.environ.get(name, ""))
    if problem := utf8_problem(value):
        raise CliError(f"${name} is not valid UTF-8 ({problem})")
    return value


def require_terminal() -> None:
    """The TUI would hang or garble without a terminal; say so before anything starts."""
    if not has_terminal():
        raise CliError(NOT_A_TERMINAL)


@contextmanager
def open_log(
    args: Arguments, *, read_only: bool = False, snapshot: bool = False, creating: bool = False
) -> Iterator[EventRecord]:
    """The record `--db` names. A file that is not there is made only when `creating`
    (`declare`): a verb on an incident, given a mistyped path, made an empty database
    there before it said that the incident was not in it."""
    location = db_location(args)
    with open_log_at(location, read_only=read_only, snapshot=snapshot, creating=creating) as log:
        yield log


@contextmanager
def open_log_at(
    path: Path | str, *, read_only: bool = False, snapshot: bool = False, creating: bool = True
) -> Iterator[EventRecord]:
    """`open_log` on a location already chosen (a file or a URL); its failures one line.
    A file that is not there is made only when `creating` (and not `read_only`)."""
    if isinstance(path, Path) and (read_only or not creating) and not something_at(path):
        raise CliError(f"{path}: no database here yet (declare an incident first)")
    with _one_line(
        lambda: open_event_log(path, read_only=read_only, snapshot=snapshot, creating=creating)
    ) as log:
        yield log


@contextmanager
def open_file_at(path: Path, *, read_only: bool = False) -> Iterator[SqliteEventLog]:
    """`open_log_at` for what works on a SQLite file only (the TUI, for now)."""
    if read_only and not something_at(path):
        raise CliError(f"{path}: no database here yet (declare an incident first)")
    with _one_line(lambda: SqliteEventLog.open(path, read_only=read_only)) as log:
        yield log


def something_at(path: Path) -> bool:
    """Whether anything is at `path`, a link to nothing (or to itself) included: the
    store says what it is, where "no such file" would hide it."""
    return path.exists() or path.is_symlink()


L = TypeVar("L", SqliteEventLog, EventRecord)


@contextmanager
def _one_line(opener: Callable[[], L]) -> Iterator[L]:
    """The log `opener` opens, closed after; its store failures and refusals one line."""
    try:
        log = opener()
    except DamagedFile as error:  # a writer's refusal, as a damaged chain's: a finding
        raise CliError(str(error), exit_code=1) from None
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


def chosen_runbook(given: str | None, *, say: bool = False) -> str:
    """`--runbook` as given, else the default (`default_runbook`: the ./lastgood.yaml
    init wrote, when there is one here); with `say`, a default taken from the file is
    said on stderr, with the way back to the bundled plan."""
    from incident.app.runbook_lookup import INIT_FILE, INIT_FILE_NOTE, default_runbook

    if given is not None:
        return given
    name = default_runbook()
    if say and name == INIT_FILE:
        print(INIT_FILE_NOTE, file=sys.stderr)
    return name


def runbook_for(name_or_path: str) -> Runbook:
    from incident.app.runbook_lookup import find_runbook  # as the TUI's declare form finds it

    try:
        return find_runbook(os_path(name_or_path, "--runbook"))
    except CommandError as error:
        raise CliError(str(error)) from None


def require_incident(log: EventRecord, incident_id: str) -> None:
    """Refused, in one line, if the record holds no event of `incident_id`."""
    if not log.has_incident(incident_id):
        from incident.app.incident_ids import likely_incident  # only a refusal guesses

        guess = likely_incident(incident_id, log.incident_ids())
        hint = f" (did you mean '{guess}'?)" if guess else ""
        raise CliError(f"no incident '{incident_id}' in {log.path}{hint}")


def incident_of(log: EventRecord, args: Arguments) -> str:
    """The incident named, else the only open one (`only_open`), said, kept as `args.id`:
    for the verbs that only read, which also take an ID named in other letter case or
    by a unique tail (`named_incident`), saying which they read."""
    if args.id is not None:
        typed = str(args.id)
        if log.has_incident(typed):
            return typed
        from incident.app.incident_ids import named_incident, named_note

        named = named_incident(typed, log.incident_ids())
        if named is None:
            return typed  # refused by the verb, with a guess (`require_incident`)
        print(visible(f"lastgood {args.command}: {named_note(named, typed)}"), file=sys.stderr)
        args.id = named
        return named
    from incident.app.incident_ids import only_open, only_open_note

    try:
        found = only_open(log.open_incidents(), str(log.path), "lastgood list")
    except CommandError as error:
        raise CliError(str(error)) from None
    print(visible(f"lastgood {args.command}: {only_open_note(found)}"), file=sys.stderr)
    args.id = found
    return found


def open_session(log: EventRecord, incident_id: str) -> IncidentSession:
    """The incident's session; on a writable log, refused if its chain does not verify."""
    require_incident(log, incident_id)
    try:
        session = IncidentSession(log, incident_id, SystemClock())
    except (ValueError, RunbookError) as error:
        raise CliError(cannot_read(log.path, incident_id, error)) from None
    if session.damage is not None and not log.read_only:
        raise CliError(str(DamagedRecord(session.damage)), exit_code=1)
    return session


def refused(error: CommandError, verb: Verb | None = None, incident_id: str = "") -> CliError:
    """A domain refusal in options: its parameter (`cli_name`), all needed `(--force
    --reason)`, alternatives `(--evidence or --override)`, the way on (`CommandError.way`)
    given the incident spelt out as its command: `(lastgood channel INC-… NAME)`."""
    message = error.said_as(lambda name: cli_name(name, verb))
    if error.way and incident_id and f"({error.way})" in message:
        message = message.replace(f"({error.way})", f"({command_line(error.way, incident_id)})")
    if verb is not None and (remedy := options_remedy(error, verb)):
        message += f" ({remedy})"
    return CliError(message)


def command_line(name: str, incident_id: str) -> str:
    """`lastgood channel INC-… NAME`: a verb's command for the incident, its required
    arguments by their metavars."""
    from incident.app.verbs import BY_NAME

    verb = BY_NAME[name]
    needed = [
        p.metavar or p.name.upper() if p.positional else f"{p.option} {p.metavar or 'TEXT'}"
        for p in verb.params
        if p.required
    ]
    return " ".join(["lastgood", name, incident_id, *needed])


def options_remedy(error: CommandError, verb: Verb) -> str:
    """The options of `verb` that would resolve `error`, as the command line says them."""
    known = {param.name: param.option for param in verb.params}
    together = [
        f"{known[name]} {quote(error.fill[name])}" if error.fill.get(name) else known[name]
        for name in error.needs
        if name in known
    ]
    one_of = either([known[name] for name in error.needs_one_of if name in known])
    if together and one_of:
        return f"{' '.join(together)}, and {one_of}"
    return " ".join(together) or one_of


def offset(session: IncidentSession, done: Done) -> str:
    """The T+ a recording verb's confirmation starts with: that of the event it recorded
    (the first, the one asked for: what follows from it is recorded with it), as the
    timeline and the report print it. T+ now was read after the append, a second late
    at times, and stood at the close's T+ for a note recorded long after the close.
    T+ now (which stops at the close) when nothing was recorded."""
    if done.events:
        return t_plus(session.state, done.events[0].at)
    return format_offset(elapsed(session.state, session.clock.now()))


def after_close(state: IncidentState, done: Done) -> str:
    """` (after the close at T+04:56)` for what was recorded after the incident closed,
    else nothing: a person on another host is not told otherwise that it just closed."""
    closed = state.closed_at
    if closed is None or not done.events or done.events[0].at <= closed:
        return ""
    return f" (after the close at {t_plus(state, closed)})"
