"""The verbs that record: each calls its use case from the verb table, then says what
was recorded and sends whatever that made due.

The CLI only gathers the parameter values and phrases the outcome; what is decided
and recorded is the application layer's, the same for the TUI.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from incident.app import command_runs, messages
from incident.app.outcome import Done
from incident.app.params import Kind
from incident.app.session import IncidentSession
from incident.app.verb import Verb
from incident.app.verbs import BY_NAME, run
from incident.core.chain import DamagedRecord
from incident.core.clock import SystemClock
from incident.core.errors import CommandError
from incident.core.gates import undecided_warning
from incident.core.text import visible
from store.errors import StoreError
from tui.cli.arguments import Arguments
from tui.cli.context import (
    actor_name,
    after_close,
    chosen_runbook,
    db_location,
    offset,
    open_log,
    open_session,
    refused,
    runbook_for,
    something_at,
)
from tui.cli.errors import RAN_NOT_RECORDED, CliError
from tui.cli.fitted import fitted

if TYPE_CHECKING:
    from incident.app.command_step import Verification
    from runbooks.model import CommandCheck

FOLLOW_HINTS: dict[str, str] = {
    "schedule-postmortem": "invitation: lastgood ics {id} -o postmortem.ics",
}
"""What to do next, after a verb whose outcome a file completes."""


def values_for(verb: Verb, args: Arguments) -> dict[str, object]:
    """The use case's keyword arguments: what was given on the command line."""
    values: dict[str, object] = {}
    for param in verb.params:
        if param.cli_only:
            continue
        value = getattr(args, param.name, None)
        if param.kind is Kind.FLAG:
            values[param.name] = bool(value)
        elif value is not None:
            values[param.name] = value
    return values


def say(
    session: IncidentSession, done: Done, *, hint: str = "", stream: TextIO | None = None
) -> None:
    """The outcome on stdout (or `stream`), one line each, after the T+ of what it
    recorded (`offset`); said to be after the close when it was."""
    late = after_close(session.state, done)
    if late:
        done = Done(done.events, done.said + late, done.notes, done.warnings)
    say_at(offset(session, done), done, hint=hint, stream=stream)


def say_at(when: str, done: Done, *, hint: str = "", stream: TextIO | None = None) -> None:
    """`say`, after the T+ given: for a verb that read the record without a session.

    On stderr (`stream`) when stdout carries what the verb wrote (`export -o
    /dev/stdout`), as `declare` keeps its stdout for the incident's id.
    """
    line = done.said + (f"; {hint}" if hint else "")
    out = stream or sys.stdout
    print(fitted(visible(f"{when}  {line}"), out), file=out)  # at words on a terminal
    for note in done.notes:
        print(fitted(visible(f"{when}  {note}"), out), file=out)
    for warning in done.warnings:  # on stderr, where a pipeline's log looks for trouble
        print(fitted(visible(f"{when}  {warning}"), sys.stderr), file=sys.stderr)


def cmd_record(args: Arguments) -> int:
    """Any verb with a use case: decide on fresh state, append, confirm, follow up."""
    verb = BY_NAME[args.command]
    actor = actor_name(args)
    with open_log(args) as log:
        session = open_session(log, args.id)
        try:
            done = run(verb, session, actor, values_for(verb, args), db=str(db_location(args)))
        except CommandError as error:
            raise refused(error, verb, args.id) from None
        if verb.name == "close":
            done = with_stale_report(session, done)
        say(session, done, hint=FOLLOW_HINTS.get(verb.name, "").format(id=args.id))
        follow_up(args, session)
    return 0


def with_stale_report(session: IncidentSession, done: Done) -> Done:
    """`done`, with a line when the report "Document the incident" names was written
    before the close (`incident.app.stale_report`) and the command that writes it again."""
    from shlex import quote

    from incident.app.stale_report import stale_report

    stale = stale_report(session.state)
    if stale is None:
        return done
    again = f"lastgood export {quote(session.state.id)} -o {quote(stale.path)}"
    how = f"write it again with {again}" if stale.here else f"write it again there: {again}"
    return Done(done.events, done.said, [*done.notes, stale.said(how)])


def cmd_send(args: Arguments) -> int:
    """`send`, or with `--preview` the message a template would send, recording nothing."""
    if not args.preview:
        return cmd_record(args)
    if args.template is None:
        raise CliError("--preview needs --template")
    with open_log(args, read_only=True) as log:
        session = open_session(log, args.id)
        try:
            print(messages.preview(session, args.template))
        except CommandError as error:
            raise refused(error, BY_NAME["send"]) from None
        earlier = messages.sent_before(session, args.template)
        if earlier is not None:  # stdout stays the message alone
            line = f"lastgood send: warning: {earlier}; sending it again takes --again"
            print(visible(line), file=sys.stderr)
    return 0


def cmd_run(args: Arguments) -> int:
    """Run a command step: confirm, run with stderr merged, record, check it on exit 0."""
    actor = actor_name(args)
    with open_log(args) as log:
        session = open_session(log, args.id)
        try:
            command = command_runs.command_to_run(session, args.step)
        except CommandError as error:
            raise refused(error) from None
        warning = undecided_warning(session.state, args.step)
        if warning is not None:  # said, not refused: the coordinator may have acted first
            print(f"lastgood run: warning: {warning} (lastgood decide records it)", file=sys.stderr)
        if not args.yes:
            if not sys.stdin.isatty():
                raise CliError("not a terminal: confirm with --yes to run the command")
            answer = input(f"Run `{command}`? [y/N] ").strip().lower()
            if answer not in ("y", "yes"):
                raise CliError("not run", exit_code=1)
        from incident.app.command_step import run_shell_waiting  # here: only `run` runs one

        returncode, output = run_shell_waiting(command)
        db = str(db_location(args))
        shown = command_runs.shown_output(session.state, output, db=db)
        # lastgood's own line starts a line of its own, after output with no last newline
        # (`curl` of a JSON body): glued to it, `grep '^T+'` and a bot's "last line" missed it.
        sys.stdout.write(shown if shown.endswith("\n") or not shown else shown + "\n")
        verification = None
        check = command_runs.command_check(session.state, args.step)
        if returncode == 0 and check is not None:
            verification = _verify(check)
        try:
            done = command_runs.record_command_result(
                session,
                actor,
                args.step,
                command=command,
                exit_code=returncode,
                output=output,
                verification=verification,
                db=db,
            )
        except (StoreError, CommandError, DamagedRecord) as error:
            raise _ran_not_recorded(args, returncode, verification, error) from None
        if returncode != 0 or (verification is not None and not verification.passed):
            raise CliError(done.said, exit_code=1)
        say(session, done)
        follow_up(args, session)
    return 0


def _ran_not_recorded(
    args: Arguments, exit_code: int, verification: Verification | None, error: Exception
) -> CliError:
    """The command ran and its result is not in the record: say so, and how to record it
    by hand, in one line with an exit of its own. Exit 2 says nothing happened, and a
    script or a coordinator under stress would roll back a second time."""
    if exit_code == 0 and (verification is None or verification.passed):
        # evidence, not a note: a command step ticked without its run needs it (ux_review15 #6)
        by_hand = f'lastgood check {args.id} {args.step} --evidence "command ran, exit 0"'
    else:
        by_hand = f'lastgood note {args.id} "{args.step}: command ran, exit {exit_code}"'
    return CliError(
        f"the command ran (exit {exit_code}) but was not recorded: {error}; "
        f"do not run it again, record it with `{by_hand}`",
        exit_code=RAN_NOT_RECORDED,
    )


def _verify(check: CommandCheck) -> Verification:
    """Run the step's verify command until it shows the rollback took, saying so on
    stderr first: a rollout can take minutes, and silence reads as a hang."""
    import asyncio

    from incident.app.command_step import verify_command

    print(
        f"verifying: `{visible(check.command)}` until {check.expectation} "
        f"(every {check.every_s:g} s, up to {check.within_s:g} s)",
        file=sys.stderr,
    )
    return asyncio.run(verify_command(check, clock=SystemClock()))


def cmd_declare(args: Arguments) -> int:
    """A new incident; its id alone on stdout, so `id=$(lastgood declare ...)` works."""
    runbook = runbook_for(chosen_runbook(args.runbook, say=True))
    from incident.app.lifecycle import (  # here: the other verbs need none of them
        Declaration,
        check_declaration,
        declare,
    )

    details = Declaration(
        title=args.title,
        severity=args.severity,
        commander=args.commander,
        issue=args.issue or "",
        eta_min=args.eta,
        pattern=args.pattern,
        started_at=args.started_at,
        channel=args.channel or "",
        from_version=args.from_version or "",
        last_good_version=args.last_good or "",
        coordinator=args.coordinator or "",
    )
    location = db_location(args)
    try:
        check_declaration(
            runbook, details, actor=actor_name(args), clock=SystemClock(), db=str(location)
        )
    except CommandError as error:
        raise refused(error, BY_NAME["declare"]) from None
    new_file = isinstance(location, Path) and not something_at(location)
    with open_log(args, creating=True) as log:
        try:
            session = declare(
                log, runbook, details, actor=actor_name(args), clock=SystemClock(), db=str(location)
            )
        except CommandError as error:
            raise refused(error, BY_NAME["declare"]) from None
        print(session.state.id)
        if new_file:  # a mistyped --db splits the record across two files: say so
            print(f"lastgood declare: a new database at {visible(str(location))}", file=sys.stderr)
        from runbooks.unpointed import unpointed_hint, unpointed_probes

        if hint := unpointed_hint(unpointed_probes(runbook)):
            print(f"lastgood declare: {hint}", file=sys.stderr)
        from incident.app.declare_notes import runbook_notes

        for note in runbook_notes(runbook):  # the TUI's declare form shows the same
            print(f"lastgood declare: {note}", file=sys.stderr)
        from runbooks.unset import unset_hint

        if unset := unset_hint(runbook, os.environ):
            print(f"lastgood declare: {unset}", file=sys.stderr)
        if unfilled := command_runs.unfilled_commands(session.state):
            print(f"lastgood declare: {visible(unfilled)}", file=sys.stderr)
        from tui.cli.baseline_lines import baseline_lines

        for line in baseline_lines(session.state):
            print(f"lastgood declare: {visible(line)}", file=sys.stderr)
        follow_up(args, session)
    return 0


def follow_up(args: Arguments, session: IncidentSession) -> None:
    """Auto-sends and one delivery round after a recording; on stderr, quiet when none.

    The verb's own event is recorded by now, so a follow-up that fails is a line on
    stderr, not the verb's failure: exit 2 says nothing was recorded, and a script
    that believed it would record the same note again.
    """
    from tui.cli.comms_verbs import follow_up as send_what_is_due

    try:
        send_what_is_due(args, session)
    except CliError as error:
        print(
            visible(f"lastgood {args.command}: recorded; then sending what is due failed: {error}"),
            file=sys.stderr,
        )
