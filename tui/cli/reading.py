"""The verbs that read: status, list, the exports, and replay's `--json`.

They open the record read-only (nothing beside the file is written, so evidence on
read-only media reads as it is) and print; JSON answers keep the exact text and use
one timestamp format (`incident.core.events.format_timestamp`).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import timedelta, tzinfo
from pathlib import Path

from incident.app.params import machine_zone
from incident.core.chain import ChainReport
from incident.core.clock import SystemClock
from incident.core.events import Event, JSONValue, format_timestamp
from incident.core.phase_clocks import elapsed, format_offset
from incident.core.replay import parse_offset, state_at
from incident.core.state import IncidentState, fold
from incident.core.text import json_text, visible
from incident.reports.ics import NotScheduled, postmortem_ics
from incident.reports.report import json_export, markdown_report
from incident.reports.status import status_data, status_text
from incident.reports.timeline import markdown_timeline
from runbooks import RunbookError, load_runbook, validate_runbook_file
from tui.cli.context import db_path, open_log, open_session
from tui.cli.errors import CliError
from tui.cli.record_verbs import damage_data, damage_warning


def cmd_status(args: argparse.Namespace) -> int:
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
    rows: list[dict[str, str]] = []
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
                    "declared_at": format_timestamp(state.declared_at),
                    "elapsed": format_offset(elapsed(state, clock.now())),
                }
            )
    if args.json:
        listing: list[JSONValue] = [dict(row) for row in rows]
        print(json_text(listing))
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
    if not args.gap > 0:
        raise CliError("--gap must be more than zero minutes")
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
    """`--tz`, else this machine's zone."""
    given: tzinfo | None = getattr(args, "tz", None)
    return given if given is not None else machine_zone()


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


def open_state(events: list[Event]) -> IncidentState:
    try:
        return fold(events[:1])
    except (ValueError, RunbookError) as error:
        raise CliError(f"incident cannot be read: {error}") from None


def replay_events(args: argparse.Namespace) -> tuple[list[Event], ChainReport]:
    """The incident's events and their chain report, read once, leaving the file as it was."""
    with open_log(args, read_only=True, snapshot=True) as log:
        if args.id not in log.incident_ids():
            raise CliError(f"no incident '{args.id}' in {log.path}")
        return log.read_chain(args.id)


def replay_offset(args: argparse.Namespace) -> timedelta | None:
    """`--at T+MM:SS` as an offset from the incident's start; `--speed` checked too."""
    if not args.speed > 0:
        raise CliError("--speed must be more than zero")
    if args.at is None:
        return None
    try:
        return parse_offset(args.at)
    except ValueError as error:
        raise CliError(f"--at: {error}") from None


def cmd_replay_json(args: argparse.Namespace) -> int:
    """The state at `--at` (default: the end) in `status --json`'s shape."""
    offset = replay_offset(args)
    events, report = replay_events(args)
    first = open_state(events)
    moment = first.started_at + offset if offset is not None else events[-1].at
    data = status_data(state_at(events, moment), moment)
    data["damage"] = damage_data(None if report.ok else report)
    print(json_text(data))
    return 0
