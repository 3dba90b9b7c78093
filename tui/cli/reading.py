"""The verbs that read: status, list, the exports, and replay's `--json`.

They open the record read-only (nothing beside the file is written, so evidence on
read-only media reads as it is) and print; JSON answers keep the exact text and use
one timestamp format (`incident.core.events.format_timestamp`).
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
from collections.abc import Callable, Iterable
from datetime import timedelta, tzinfo
from pathlib import Path
from typing import TypeVar

from incident.app.params import machine_zone
from incident.core.chain import ChainReport, ChainWalk
from incident.core.clock import SystemClock
from incident.core.events import Event, JSONValue, format_timestamp
from incident.core.phase_clocks import elapsed, format_offset
from incident.core.replay import parse_offset, state_at_items
from incident.core.state import IncidentState, fold
from incident.core.text import json_text, visible
from incident.reports.ics import NotScheduled, postmortem_ics
from incident.reports.record import read_record
from incident.reports.report import json_export_streamed, markdown_report_from
from incident.reports.status import status_data, status_text
from incident.reports.timeline import timeline_from
from runbooks import RunbookError
from store.sqlite_log import SqliteEventLog
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
        require_incident(log, args.id)
        now = SystemClock().now()
        if args.format == "json":
            # The figures come before the events in the document and are known only
            # once every event has passed: the events wait in a spool, not in memory.
            with tempfile.SpooledTemporaryFile(
                SPOOL_IN_MEMORY, mode="w+", encoding="utf-8", newline=""
            ) as spool:
                head, tail = readable(
                    log, args.id, lambda: json_export_streamed(log.scan(args.id), now, spool.write)
                )
                spool.seek(0)
                events = iter(lambda: spool.read(COPY_CHARS), "")
                _emit_parts(args, itertools.chain([head], events, [tail]))
            return 0
        record = readable(log, args.id, lambda: read_record(log.scan(args.id)))
        text = markdown_report_from(record, now, tz=_zone(args))
    _emit(args, text)
    return 0


SPOOL_IN_MEMORY = 8 * 1024 * 1024
"""Characters of a JSON export's events kept in memory before they spill to a temporary file."""
COPY_CHARS = 1024 * 1024


def require_incident(log: SqliteEventLog, incident_id: str) -> None:
    if not log.has_incident(incident_id):
        raise CliError(f"no incident '{incident_id}' in {log.path}")


T = TypeVar("T")


def readable(log: SqliteEventLog, incident_id: str, read: Callable[[], T]) -> T:
    """What `read` makes of the incident, or the one line `open_session` would give."""
    try:
        return read()
    except (ValueError, RunbookError) as error:
        raise CliError(f"{log.path}: incident {incident_id} cannot be read: {error}") from None


def cmd_timeline(args: argparse.Namespace) -> int:
    if not args.gap > 0:
        raise CliError("--gap must be more than zero minutes")
    with open_log(args, read_only=True) as log:
        require_incident(log, args.id)
        now = SystemClock().now()
        record = readable(log, args.id, lambda: read_record(log.scan(args.id)))
        text = timeline_from(record, now, gap=timedelta(minutes=args.gap), tz=_zone(args))
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
    _emit_parts(args, [text])


def _emit_parts(args: argparse.Namespace, parts: Iterable[str]) -> None:
    if args.output:
        _write_atomically(Path(args.output), parts)
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        for part in parts:
            sys.stdout.write(part)
        sys.stdout.flush()


def _zone(args: argparse.Namespace) -> tzinfo | None:
    """`--tz`, else this machine's zone."""
    given: tzinfo | None = getattr(args, "tz", None)
    return given if given is not None else machine_zone()


def _write_atomically(path: Path, parts: Iterable[str]) -> None:
    try:
        directory = path.parent if str(path.parent) else Path(".")
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", newline="", dir=directory, delete=False, suffix=".tmp"
        ) as handle:
            for part in parts:
                handle.write(part)
            temp = Path(handle.name)
        temp.replace(path)
    except OSError as error:
        raise CliError(f"{path}: cannot write: {error.strerror or error}") from None


def open_state(events: list[Event]) -> IncidentState:
    try:
        return fold(events[:1])
    except (ValueError, RunbookError) as error:
        raise CliError(f"incident cannot be read: {error}") from None


def replay_events(args: argparse.Namespace) -> tuple[list[Event], ChainReport]:
    """The incident's events and their chain report, read once, leaving the file as it was."""
    with open_log(args, read_only=True, snapshot=True) as log:
        if not log.has_incident(args.id):
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
    """The state at `--at` (default: the end) in `status --json`'s shape.

    One pass over the record, verifying it (for `damage`) and folding the events
    up to the moment as they stream; the moment comes first, from the declaration
    (or from the last event, without `--at`).
    """
    offset = replay_offset(args)
    with open_log(args, read_only=True, snapshot=True) as log:
        require_incident(log, args.id)
        first = next(iter(log.scan(args.id)))
        if offset is not None:
            declared = open_state([first if isinstance(first, Event) else first.event()])
            moment = declared.started_at + offset
        else:
            last = log.last_event(args.id)
            moment = first.at if last is None else last.at
        walk = ChainWalk(args.id)
        state = readable(log, args.id, lambda: state_at_items(log.scan(args.id, walk=walk), moment))
        report = walk.report()
    data = status_data(state, moment)
    data["damage"] = damage_data(None if report.ok else report)
    print(json_text(data))
    return 0
