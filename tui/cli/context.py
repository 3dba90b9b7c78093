"""What every `lastgood` command shares: which incident, its session, and a refusal said
as this face's options. Who is acting is `tui.cli.acting`, which record
`tui.cli.db_choice`, opening it `tui.cli.opening` (their names are kept here too, for
the verbs that import them from here).

A failure anywhere becomes a `CliError`: one line on stderr and an exit status (2 for
usage and input, 1 for findings such as a damaged record, 3 for a command `run` ran but
could not record, 75 for a record that cannot be reached now), never a traceback.
"""

from __future__ import annotations

import sys

from incident.app.outcome import Done
from incident.app.session import IncidentSession, cannot_read
from incident.app.verb import Verb
from incident.core.chain import DamagedRecord
from incident.core.clock import SystemClock
from incident.core.errors import CommandError
from incident.core.phase_clocks import elapsed, format_offset, t_plus
from incident.core.state import IncidentState
from incident.core.text import either, visible
from runbooks.model import Runbook
from runbooks.problems import RunbookError
from store.backends import EventRecord
from tui.cli.acting import actor_name as actor_name
from tui.cli.acting import known_actor as known_actor
from tui.cli.arguments import Arguments
from tui.cli.db_choice import chosen_db as chosen_db
from tui.cli.db_choice import db_location as db_location
from tui.cli.edges import NOT_A_TERMINAL, has_terminal, os_path
from tui.cli.errors import DAMAGED, CliError
from tui.cli.opening import open_file_at as open_file_at
from tui.cli.opening import open_log as open_log
from tui.cli.opening import open_log_at as open_log_at
from tui.cli.opening import something_at as something_at
from tui.cli.param_names import cli_name


def require_terminal() -> None:
    """The TUI would hang or garble without a terminal; say so before anything starts."""
    if not has_terminal():
        raise CliError(NOT_A_TERMINAL)


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
        raise CliError(str(DamagedRecord(session.damage)), exit_code=DAMAGED)
    return session


def refused(error: CommandError, verb: Verb | None = None, incident_id: str = "") -> CliError:
    """A domain refusal in options: its parameter (`cli_name`), all needed `(--force
    --reason)`, alternatives `(--evidence or --override)`, the way on (`CommandError.way`)
    given the incident spelt out as its command: `(lastgood channel INC-… NAME)`."""
    message = error.said_as(lambda name: cli_name(name, verb))
    for name, options in CHECKING_OPTIONS.items():
        if name in error.verbs:
            given = incident_id or "ID"
            message = message.replace(f"({name})", f"(lastgood {name} {given} {options})")
    if error.way and incident_id and f"({error.way})" in message:
        message = message.replace(f"({error.way})", f"({command_line(error.way, incident_id)})")
    if verb is not None and (remedy := options_remedy(error, verb)):
        message += f" ({remedy})"
    return CliError(message)


CHECKING_OPTIONS = {"export": "-o FILE --check-step"}
"""A verb a refusal names as the way to do a step, with the options that make it check
the step: `export` alone writes the report and checks nothing."""


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
    from shlex import quote  # here: only a refusal says options, and `status` never does

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
