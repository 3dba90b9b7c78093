"""What each `lastgood` subcommand does: open the record, run a domain command, print.

Kept apart from argument parsing so the parser reads as the CLI's reference and
this module reads as its behaviour.
"""

from __future__ import annotations

import argparse
import getpass
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from types import ModuleType
from zoneinfo import ZoneInfo

from incident import commands
from incident.app.session import IncidentSession
from incident.commands import OUTPUT_TAIL_CHARS, CommandError, Declaration
from incident.core.chain import DamagedRecord
from incident.core.clock import Clock, SystemClock
from incident.core.events import Event, NewEvent, parse_timestamp
from incident.core.phase_clocks import elapsed, format_offset
from incident.core.state import IncidentState, fold
from incident.core.text import json_text, visible
from incident.reports.ics import NotScheduled, postmortem_ics
from incident.reports.postmortem import utc_text
from incident.reports.report import json_export, markdown_report
from incident.reports.status import status_data, status_text
from incident.reports.timeline import markdown_timeline
from runbooks import RunbookError, load_runbook, resolve_runbook, validate_runbook_file
from runbooks.model import Runbook
from store.errors import StoreError
from store.paths import default_db_path
from store.sqlite_log import SqliteEventLog
from tui.cli import launch
from tui.cli.edges import NOT_A_TERMINAL, has_terminal, utf8_problem


class CliError(Exception):
    """A one-line failure to report; `exit_code` 2 for usage/input, 1 for findings."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def actor_name() -> str:
    """Who is at the keyboard: $LASTGOOD_ACTOR, else the login name."""
    name = environment("LASTGOOD_ACTOR").strip()
    if name:
        return name
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
    try:
        return load_runbook(resolve_runbook(name_or_path))
    except RunbookError as error:
        first = error.problems[0] if error.problems else error
        raise CliError(f"runbook: {first}") from None


def open_session(log: SqliteEventLog, incident_id: str) -> IncidentSession:
    """The incident's session; on a writable log, refused if its chain does not verify."""
    if incident_id not in log.incident_ids():
        raise CliError(f"no incident '{incident_id}' in {log.path}")
    try:
        session = IncidentSession(log, incident_id, SystemClock())
    except (ValueError, RunbookError) as error:
        raise CliError(f"{log.path}: incident {incident_id} cannot be read: {error}") from None
    if session.damage is not None and not log.read_only:
        raise CliError(str(DamagedRecord(session.damage)), exit_code=1)
    return session


def cmd_declare(args: argparse.Namespace) -> int:
    runbook = runbook_for(args.runbook)
    started_at = None
    if args.started_at:
        try:
            started_at = parse_timestamp(args.started_at)
        except ValueError:
            raise CliError(
                f"--started-at: '{args.started_at}' is not an ISO 8601 time with a timezone"
            ) from None
    details = Declaration(
        title=args.title,
        severity=args.severity,
        commander=args.commander,
        issue=args.issue,
        eta_min=args.eta,
        pattern=args.pattern,
        started_at=started_at,
        channel=args.channel,
        from_version=args.from_version,
        last_good_version=args.last_good,
    )
    clock = SystemClock()
    with open_log(args) as log:
        try:
            event = commands.declare(
                runbook, details, actor=actor_name(), clock=clock, taken_ids=log.incident_ids()
            )
        except CommandError as error:
            raise CliError(str(error)) from None
        log.append([event])
        print(event.incident_id)
        follow_up(args, open_session(log, event.incident_id))
    return 0


Build = Callable[[argparse.Namespace, IncidentState, str, Clock], NewEvent]
"""Turns parsed arguments, the current state, the actor and the clock into an event."""

_RECORDING_VERBS: dict[str, tuple[Build, Callable[[argparse.Namespace], str]]] = {
    "check": (
        lambda a, s, actor, clock: commands.check_step(
            s, a.step, actor=actor, clock=clock, by=a.by, note=a.note, evidence=a.evidence
        ),
        lambda a: f"checked {a.step}",
    ),
    "skip": (
        lambda a, s, actor, clock: commands.skip_step(
            s, a.step, reason=a.reason, actor=actor, clock=clock, by=a.by
        ),
        lambda a: f"skipped {a.step}",
    ),
    "reopen": (
        lambda a, s, actor, clock: commands.reopen_step(
            s, a.step, reason=a.reason, actor=actor, clock=clock
        ),
        lambda a: f"reopened {a.step}",
    ),
    "approve": (
        lambda a, s, actor, clock: commands.approve(
            s, a.target, by=a.by, reason=a.reason, actor=actor, clock=clock
        ),
        lambda a: f"approved {a.target} (by {a.by})",
    ),
    "db-tier": (
        lambda a, s, actor, clock: commands.choose_database_tier(
            s, a.tier, reason=a.reason, actor=actor, clock=clock
        ),
        lambda a: f"database tier: {a.tier}",
    ),
    "note": (
        lambda a, s, actor, clock: commands.add_note(
            s, a.text, actor=actor, clock=clock, pinned=a.pin
        ),
        lambda a: "note recorded",
    ),
    "assign": (
        lambda a, s, actor, clock: commands.assign_role(
            s, a.role, a.person, actor=actor, clock=clock
        ),
        lambda a: f"{a.person} is {a.role}",
    ),
    "handoff": (
        lambda a, s, actor, clock: commands.hand_off(
            s, a.to, actor=actor, clock=clock, reason=a.reason
        ),
        lambda a: f"incident command handed to {a.to}",
    ),
    "page": (
        lambda a, s, actor, clock: commands.record_page(
            s, a.target, actor=actor, clock=clock, note=a.note
        ),
        lambda a: f"paged {a.target}",
    ),
    "severity": (
        lambda a, s, actor, clock: commands.change_severity(
            s, a.severity, reason=a.reason, actor=actor, clock=clock
        ),
        lambda a: f"severity is now {a.severity}",
    ),
    "baseline": (
        lambda a, s, actor, clock: commands.capture_baseline(
            s, a.probe, actor=actor, clock=clock, value=a.value
        ),
        lambda a: f"baseline for {a.probe} recorded",
    ),
    "close": (
        lambda a, s, actor, clock: commands.close(
            s, actor=actor, clock=clock, force=a.force, reason=a.reason
        ),
        lambda a: f"closed {a.id}",
    ),
    "rca": (
        lambda a, s, actor, clock: commands.note_rca(s, a.text, actor=actor, clock=clock),
        lambda a: "root cause recorded",
    ),
    "action": (
        lambda a, s, actor, clock: commands.add_action_item(
            s, a.text, actor=actor, clock=clock, owner=a.owner, due=a.due
        ),
        lambda a: "action item recorded",
    ),
    "lesson": (
        lambda a, s, actor, clock: commands.note_lesson(
            s, a.text, actor=actor, clock=clock, category=a.kind
        ),
        lambda a: "lesson recorded",
    ),
    "schedule-postmortem": (
        lambda a, s, actor, clock: commands.schedule_postmortem(
            s,
            a.at,
            actor=actor,
            clock=clock,
            duration_min=a.duration,
            attendees=a.attendees.split(","),
            force=a.force,
            reason=a.reason,
        ),
        lambda a: (
            f"post-mortem booked for {utc_text(a.at)} ({a.duration} min); "
            f"invitation: lastgood ics {a.id} -o postmortem.ics"
        ),
    ),
}


def cmd_recording(args: argparse.Namespace) -> int:
    """The verbs that record one event: decide on fresh state, append, confirm."""
    build, done = _RECORDING_VERBS[args.command]
    actor = actor_name()
    with open_log(args) as log:
        session = open_session(log, args.id)
        try:
            session.run(lambda state: build(args, state, actor, session.clock))
        except CommandError as error:
            raise CliError(str(error)) from None
        offset = format_offset(elapsed(session.state, session.clock.now()))
        print(visible(f"{offset}  {done(args)}"))
        follow_up(args, session)
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    """Run a command step: confirm, run, record the exit code, check it on success."""
    actor = actor_name()
    with open_log(args) as log:
        session = open_session(log, args.id)
        try:
            command = commands.command_for(session.state, args.step)
        except CommandError as error:
            raise CliError(str(error)) from None
        if not args.yes:
            if not sys.stdin.isatty():
                raise CliError("not a terminal: confirm with --yes to run the command")
            answer = input(f"Run `{command}`? [y/N] ").strip().lower()
            if answer not in ("y", "yes"):
                raise CliError("not run", exit_code=1)
        result = subprocess.run(
            command, shell=True, capture_output=True, text=True, errors="replace", check=False
        )
        output = (result.stdout + result.stderr)[-OUTPUT_TAIL_CHARS:]
        sys.stdout.write(output)
        clock = SystemClock()
        session.run(
            lambda s: commands.record_command(
                s,
                args.step,
                command=command,
                exit_code=result.returncode,
                output_tail=output,
                actor=actor,
                clock=clock,
            )
        )
        if result.returncode != 0:
            raise CliError(f"`{command}` exited {result.returncode}; step left open", 1)
        session.run(
            lambda s: commands.check_step(
                s, args.step, actor=actor, clock=clock, note=f"`{command}` exited 0"
            )
        )
        print(f"checked {args.step}")
        follow_up(args, session)
    return 0


def cmd_monitor(args: argparse.Namespace) -> int:
    """Headless probes for a bastion or a pipeline: same polling, same record."""
    from tui.cli.monitor import run_monitor

    with open_log(args) as log:
        session = open_session(log, args.id)
        runbook = session.state.runbook
        if not runbook.probes and not runbook.notify_targets and not runbook.timed_rules():
            raise CliError(f"runbook '{runbook.id}' defines no probes and no messages to send")
        if session.state.is_closed:
            raise CliError(f"incident {args.id} is closed")
        return run_monitor(session, db_path(args), duration_s=args.duration, actor=actor_name())


def cmd_attach(args: argparse.Namespace) -> int:
    """A second terminal on the same database: sees new events within a second."""
    require_terminal()
    with open_log(args, read_only=True) as log:
        if args.id not in log.incident_ids():
            raise CliError(f"no incident '{args.id}' in {log.path}")
        launch.run_follow(log, args.id)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Each browser gets its own `lastgood attach` process: read-only by construction."""
    import shlex

    from textual_serve.server import Server

    path = db_path(args)
    with open_log(args, read_only=True) as log:
        if args.id not in log.incident_ids():
            raise CliError(f"no incident '{args.id}' in {log.path}")
    if not 0 < args.port < 65536:
        raise CliError(f"--port: {args.port} is not a TCP port")
    command = shlex.join([sys.executable, "-m", "tui.cli", "--db", str(path), "attach", args.id])
    print(f"Serving {args.id} read-only at http://{args.host}:{args.port} (Ctrl+C stops)")
    Server(
        command,
        host=args.host,
        port=args.port,
        title=f"lastgood · {args.id}",
        public_url=args.public_url,
    ).serve()
    return 0


def cmd_replay(args: argparse.Namespace) -> int:
    """Read the record once through a read-only connection, then play it from memory."""
    from incident.core.replay import parse_offset, state_at

    offset = None
    if args.at is not None:
        try:
            offset = parse_offset(args.at)
        except ValueError as error:
            raise CliError(f"--at: {error}") from None
    if not args.speed > 0:
        raise CliError("--speed must be more than zero")
    if not args.json:
        require_terminal()
    with open_log(args, read_only=True, snapshot=True) as log:
        if args.id not in log.incident_ids():
            raise CliError(f"no incident '{args.id}' in {log.path}")
        events, report = log.read_chain(args.id)
    damage = None if report.ok else report
    if args.json:
        from tui.cli.record_verbs import damage_data

        first = open_state(events)
        moment = first.started_at + offset if offset is not None else events[-1].at
        data = status_data(state_at(events, moment), moment)
        data["damage"] = damage_data(damage)
        print(json_text(data))
        return 0
    launch.run_replay(
        events, speed=args.speed, playing=not args.paused, start_offset=offset, damage=damage
    )
    return 0


def open_state(events: list[Event]) -> IncidentState:
    try:
        return fold(events[:1])
    except (ValueError, RunbookError) as error:
        raise CliError(f"incident cannot be read: {error}") from None


def cmd_status(args: argparse.Namespace) -> int:
    from tui.cli.record_verbs import damage_data, damage_warning

    with open_log(args, read_only=True) as log:
        session = open_session(log, args.id)
        now = session.clock.now()
        if args.json:
            data = status_data(session.state, now)
            data["damage"] = damage_data(session.damage)
            print(json_text(data))
        else:
            if session.damage is not None:
                print(damage_warning(session.damage))
            print(status_text(session.state, now))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    path = db_path(args)
    if not path.exists():
        print("[]" if args.json else f"no incidents yet ({path})")
        return 0
    rows = []
    with open_log(args, read_only=True) as log:
        clock = SystemClock()
        for incident_id in log.incident_ids():
            state = open_session(log, incident_id).state
            rows.append(
                {
                    "id": state.id,
                    "severity": state.severity,
                    "status": "closed" if state.is_closed else "open",
                    "title": state.title,
                    "declared_at": state.declared_at.isoformat(),
                    "elapsed": format_offset(elapsed(state, clock.now())),
                }
            )
    if args.json:
        print(json_text(rows))
    elif not rows:
        print(f"no incidents yet ({path})")
    else:
        for row in rows:
            print(
                visible(
                    f"{row['id']}  {row['severity']}  {row['status']:6}  {row['elapsed']:>10}  "
                    f"{row['title']}"
                )
            )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    if args.format == "ics":
        return cmd_ics(args)
    with open_log(args, read_only=True) as log:
        session = open_session(log, args.id)
        events = log.events(args.id)
        now = session.clock.now()
        if args.format == "json":
            text = json_export(session.state, events, now)
        else:
            text = markdown_report(session.state, events, now, tz=_zone(args))
    _emit(args, text)
    return 0


def cmd_timeline(args: argparse.Namespace) -> int:
    with open_log(args, read_only=True) as log:
        session = open_session(log, args.id)
        text = markdown_timeline(
            session.state,
            log.events(args.id),
            session.clock.now(),
            gap=timedelta(minutes=args.gap),
            tz=_zone(args),
        )
    _emit(args, text)
    return 0


def cmd_ics(args: argparse.Namespace) -> int:
    with open_log(args, read_only=True) as log:
        session = open_session(log, args.id)
        try:
            text = postmortem_ics(session.state, log.events(args.id))
        except NotScheduled as error:
            raise CliError(str(error)) from None
    _emit(args, text)
    return 0


def _emit(args: argparse.Namespace, text: str) -> None:
    if args.output:
        _write_atomically(Path(args.output), text)
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


def _zone(args: argparse.Namespace) -> tzinfo | None:
    """`--tz`, else this machine's zone: $TZ, /etc/localtime, or the current offset."""
    given: tzinfo | None = getattr(args, "tz", None)
    if given is not None:
        return given
    name = os.environ.get("TZ", "").lstrip(":")
    candidates = [name] if name else []
    target = os.path.realpath("/etc/localtime")
    if "/zoneinfo/" in target:
        candidates.append(target.split("/zoneinfo/", 1)[1])
    for candidate in candidates:
        try:
            return ZoneInfo(candidate)
        except (ValueError, KeyError, OSError):
            continue
    return datetime.now().astimezone().tzinfo


def _write_atomically(path: Path, text: str) -> None:
    try:
        directory = path.parent if str(path.parent) else Path(".")
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", newline="", dir=directory, delete=False, suffix=".tmp"
        ) as handle:
            handle.write(text)
            temp = Path(handle.name)
        temp.replace(path)
    except OSError as error:
        raise CliError(f"{path}: cannot write: {error.strerror or error}") from None


def cmd_validate(args: argparse.Namespace) -> int:
    problems = 0
    for name in args.files:
        found = validate_runbook_file(name)
        for problem in found:
            print(problem, file=sys.stderr)
        problems += len(found)
        if not found:
            runbook = load_runbook(name)
            print(
                f"{name}: ok (runbook '{runbook.id}', {len(runbook.phases)} phases, "
                f"{len(runbook.steps())} steps)"
            )
    return 2 if problems else 0


def cmd_start(args: argparse.Namespace) -> int:
    """Open the TUI; Textual is imported only in `tui.cli.launch`, so scripts stay fast."""
    runbook = runbook_for(args.runbook)
    require_terminal()
    with open_log(args) as log:
        if args.incident and args.incident not in log.incident_ids():
            raise CliError(f"no incident '{args.incident}' in {log.path}")
        refusal = launch.run_coordinator(
            log,
            runbook,
            actor=actor_name(),
            incident_id=args.incident,
            poll_probes=not args.no_probes,
        )
    if refusal is not None:
        raise CliError(refusal, exit_code=1)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    if args.headless:
        from tui.demo.script import run_demo as run_headless

        return run_headless()
    require_terminal()
    return launch.run_demo(actor=actor_name())


_VERBS: dict[str, Callable[[argparse.Namespace], int]] = {
    **dict.fromkeys(_RECORDING_VERBS, cmd_recording),
    "start": cmd_start,
    "declare": cmd_declare,
    "send": lambda args: _comms().cmd_send(args),
    "decline": lambda args: _comms().cmd_decline(args),
    "deliver": lambda args: _comms().cmd_deliver(args),
    "run": cmd_run,
    "monitor": cmd_monitor,
    "attach": cmd_attach,
    "serve": cmd_serve,
    "replay": cmd_replay,
    "status": cmd_status,
    "list": cmd_list,
    "export": cmd_export,
    "timeline": cmd_timeline,
    "ics": cmd_ics,
    "verify": lambda args: _record_verbs().cmd_verify(args),
    "validate": cmd_validate,
    "demo": cmd_demo,
}


def _record_verbs() -> ModuleType:
    """`verify`, which builds on this module's helpers."""
    from tui.cli import record_verbs

    return record_verbs


def _comms() -> ModuleType:
    """The messaging verbs, which build on this module's helpers."""
    from tui.cli import comms_verbs

    return comms_verbs


def follow_up(args: argparse.Namespace, session: IncidentSession) -> None:
    _comms().follow_up(args, session)


def dispatch(args: argparse.Namespace) -> int:
    return _VERBS[args.command](args)
