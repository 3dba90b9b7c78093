"""The verbs that read: status, list, the exports, and replay's `--json`.

They open the record read-only (nothing beside the file is written, so evidence on
read-only media reads as it is) and print; JSON answers keep the exact text and use
one timestamp format (`incident.core.events.format_timestamp`).
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from typing import TypeVar

from incident.app.closeout import export_report, report_written
from incident.app.exports import ICS, JSON, MARKDOWN, format_for, json_export_parts
from incident.app.invitation import invitation
from incident.app.outcome import Done
from incident.app.params import machine_zone
from incident.app.replay import state_at_moment
from incident.app.report_document import report_document, report_record
from incident.app.session import cannot_read
from incident.app.whole_file import (
    STDOUT_NAME,
    cannot_write,
    is_kept_file,
    is_stdout,
    write_whole,
)
from incident.app.written import INVITATION, RECORD, TIMELINE, file_written
from incident.core.chain import ChainReport, ChainWalk, damage_data
from incident.core.clock import SystemClock
from incident.core.errors import CommandError
from incident.core.events import LONGEST_SPAN_MIN, Event
from incident.core.phase_clocks import t_plus
from incident.core.replay import Recording, ShownMoment, parse_offset, replay_moment
from incident.core.state import IncidentState, fold
from incident.core.text import json_text
from incident.reports.drill_faults import FaultHidden, fault_shown
from incident.reports.ics import NotScheduled
from incident.reports.record import ReportRecord
from incident.reports.status import status_data
from incident.reports.timeline import timeline_from
from incident.reports.timeline_json import timeline_data
from runbooks import RunbookError
from store.backends import EventRecord
from tui.cli.arguments import Arguments
from tui.cli.context import (
    actor_name,
    incident_of,
    open_log,
    open_session,
    refused,
    require_incident,
)
from tui.cli.damage_words import damage_warning
from tui.cli.edges import os_path
from tui.cli.errors import CliError
from tui.cli.recording import say, say_at
from tui.cli.shown_stream import ShownStream, json_for_stdout, shown_utf8


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a whole record is read.

    Reading one keeps hundreds of thousands of small objects (a tuple per probe tick,
    the fold's deques) and makes no cycles, yet each of the collector's full passes
    walks every one of them: a fifth of a 100,000-event export's time
    (`bench/README.md`). What it would collect is collected once, after.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def settle_format(args: Arguments) -> None:
    """`--format` as chosen, else as the file's name says (one rule for every face and
    for every source: the database, an export, the report for the org)."""
    path = output_path(args)
    try:
        args.format = format_for(str(path) if path is not None else "", args.format)
    except CommandError as error:
        raise CliError(f"--format {args.format}: {error}") from None


def cmd_export(args: Arguments) -> int:
    settle_format(args)
    if args.format == ICS:
        return cmd_ics(args)
    if args.check_step:
        return cmd_export_checked(args)
    with open_log(args, read_only=True) as log, collector_paused():
        require_incident(log, incident_of(log, args))
        now = SystemClock().now()
        if args.format == JSON:
            with ExitStack() as spooled:
                try:
                    whole, parts = readable(
                        log,
                        args.id,
                        lambda: spooled.enter_context(
                            json_export_parts(log, args.id, now, _utf8_for(args))
                        ),
                    )
                except FaultHidden as error:  # a drill still running: nothing written
                    raise refused(error) from None
                _emit_utf8(
                    args,
                    parts,
                    when_in(whole.state, now),
                    lambda path: file_written(RECORD, path, whole.head_hash),
                )
            warn_if_damaged(whole.damage)
            return 0
        record, text = readable(
            log, args.id, lambda: report_document(log, args.id, now, tz=_zone(args))
        )
    # Said as `--check-step` says it (`closeout.report_written`).
    _emit(
        args,
        text,
        when_in(record.state, now),
        lambda path: report_written(record.state, path, record.head_hash),
    )
    warn_if_damaged(record.damage)
    return 0


def warn_if_damaged(damage: ChainReport | None) -> None:
    """The line `status` prints above a damaged record, on stderr after a document of it
    (which says so too, but for the calendar file): stdout may be the document itself."""
    if damage is not None:
        print(damage_warning(damage), file=sys.stderr)


def cmd_export_checked(args: Arguments) -> int:
    """`export -o FILE --check-step`: the report written as above, then the close-out
    step it completes checked with where the file is (its absolute path and this
    machine) and its head hash (this one records).

    Said as the export without it says it, after T+ on stdout (the report is in a file).
    """
    path = output_path(args)
    if args.format != MARKDOWN or path is None:
        raise CliError("--check-step needs the Markdown report written to a file (-o FILE)")
    if not is_kept_file(path):  # /dev/null or a pipe would tick the step with no report
        raise CliError(f"--check-step needs the report kept in a file: {path} is not one")
    with open_log(args) as log:
        session = open_session(log, args.id)
        try:
            done = export_report(
                session,
                actor_name(args),
                str(path),
                lambda text: _write_atomically(path, [text.encode()]),
                check_step=True,
                tz=_zone(args),
            )
        except CommandError as error:
            raise refused(error) from None
        say(session, done)
    return 0


T = TypeVar("T")


def readable(log: EventRecord, incident_id: str, read: Callable[[], T]) -> T:
    """What `read` makes of the incident, or the one line `open_session` would give."""
    try:
        return read()
    except (ValueError, RunbookError) as error:
        raise CliError(cannot_read(log.path, incident_id, error)) from None


def check_gap(args: Arguments) -> None:
    """`timeline --gap`: more than zero minutes, at most a year; else one line."""
    if not 0 < args.gap <= LONGEST_SPAN_MIN:
        raise CliError(
            f"--gap must be more than zero minutes and at most a year ({LONGEST_SPAN_MIN:,})"
        )


def cmd_timeline(args: Arguments) -> int:
    check_gap(args)
    with open_log(args, read_only=True) as log, collector_paused():
        require_incident(log, incident_of(log, args))
        now = SystemClock().now()
        record = readable(log, args.id, lambda: report_record(log, args.id))
        gap = timedelta(minutes=args.gap)
        text = timeline_text(args, record, now, gap)
    _emit(args, text, when_in(record.state, now), lambda path: file_written(TIMELINE, path))
    warn_if_damaged(record.damage)
    return 0


def cmd_ics(args: Arguments) -> int:
    path = output_path(args)  # `export`'s rule: a file named for another format is refused
    if path is not None:
        try:
            format_for(str(path), ICS, instead="lastgood export writes {}")
        except CommandError as error:
            raise CliError(f"--output: {error}") from None
    with open_log(args, read_only=True) as log:
        require_incident(log, incident_of(log, args))
        now = SystemClock().now()
        try:
            made = readable(log, args.id, lambda: invitation(log, args.id))
        except NotScheduled as error:
            raise CliError(str(error)) from None
    _emit(args, made.text, when_in(made.state, now), lambda path: file_written(INVITATION, path))
    warn_if_damaged(made.damage)
    return 0


def output_path(args: Arguments) -> Path | None:
    """`--output`: None to print (left out, or `-`, as most tools read it); an empty
    path, from an unset variable (`-o "$OUT"`), is refused rather than printed."""
    given: str | None = args.output
    if given is None or given == STDOUT_NAME:
        return None
    if not given:
        raise CliError("--output: the path is empty (leave the option out, or give -, to print)")
    return Path(os_path(given, "--output"))


Written = Callable[[str], Done]
"""What a verb says it wrote, given the file's name: `incident.app.written`'s words."""


def when_in(state: IncidentState, now: datetime) -> str:
    """T+ `now` in the incident: where the line saying a file was written starts (not
    `elapsed`, which stops at the close: an export days after it read the close's T+)."""
    return t_plus(state, now)


def _emit(args: Arguments, text: str, when: str, written: Written) -> None:
    """`text` in the file `-o` names (then said written, after T+ `when`), else printed."""
    if output_path(args) is not None:
        _emit_utf8(args, [text.encode()], when, written)
        return
    sys.stdout.write(text)
    sys.stdout.flush()


def _utf8_for(args: Arguments) -> Callable[[str], bytes]:
    """How `_emit_utf8` wants text encoded: for stdout, with what the terminal must not
    obey already shown (`ShownStream`); for a file, as it is."""
    return str.encode if output_path(args) is not None else shown_utf8


def _emit_utf8(args: Arguments, parts: Iterable[bytes], when: str, written: Written) -> None:
    """Text encoded by `_utf8_for(args)` as UTF-8 (JSON's one encoding, RFC 8259),
    written as it is: not decoded and encoded again, nor checked again.

    Into the file `-o` names, then said written (`say_written`); else on stdout.
    """
    path = output_path(args)
    if path is not None:
        _write_atomically(path, parts)
        say_written(path, when, written(str(path)))
        return
    stdout = sys.stdout
    (stdout if isinstance(stdout, ShownStream) else ShownStream(stdout)).write_shown(parts)


def say_written(path: Path, when: str, done: Done) -> None:
    """A file written, said after T+ as every recording verb says what it did
    (`say_at`, which shows control characters in its name): on stdout, unless the
    file is stdout itself (`-o /dev/stdout`), which then carries the file alone."""
    say_at(when, done, stream=sys.stderr if is_stdout(path) else None)


def _zone(args: Arguments) -> tzinfo | None:
    """`--tz`, else this machine's zone."""
    given: tzinfo | None = getattr(args, "tz", None)
    return given if given is not None else machine_zone()


def _write_atomically(path: Path, parts: Iterable[bytes]) -> None:
    try:
        write_whole(path, parts)
    except OSError as error:
        raise CliError(cannot_write(path, error)) from None


def first_event(log: EventRecord, incident_id: str) -> Event:
    """The incident's event 1; without one (a row deleted behind lastgood's back), the
    one line any other verb gives such a record, where `replay --at` gave a traceback."""
    for item in log.scan(incident_id, upto_seq=1):
        return item if isinstance(item, Event) else item.event()
    missing = ValueError(f"incident {incident_id} does not start with a declaration")
    raise CliError(cannot_read(log.path, incident_id, missing))


def replayed_moment(
    args: Arguments,
    declared: IncidentState,
    offset: timedelta,
    record_end: Callable[[], IncidentState],
) -> ShownMoment:
    """T+0 plus `offset` as the record shows it (`replay_moment`, the replay screen's
    Go to's rule too); its refusal, one line."""
    try:
        return replay_moment(declared, offset, SystemClock().now(), record_end)
    except ValueError as error:
        raise CliError(f"--at {args.at}: {error}") from None


def replay_events(args: Arguments) -> tuple[list[Event], ChainReport]:
    """The incident's events and their chain report, read once, leaving the file as it was."""
    with open_log(args, read_only=True, snapshot=True) as log:
        require_incident(log, args.id)
        return log.read_chain(args.id)


def replay_recording(log: EventRecord, incident_id: str) -> tuple[Recording, ChainReport]:
    """The incident indexed for replay from the open `log`, verified as it is read.

    Unlike `replay_events`, the events stay in the file: a `Recording` keeps their
    times, the events a timeline lists and a state every `CHECKPOINT_EVERY` events,
    and reads the rest back when the replay moves (a 100k-event record: ~80 MB, not 430).
    """
    require_incident(log, incident_id)
    walk = ChainWalk(incident_id)
    recording = readable(log, incident_id, lambda: Recording(log, incident_id, walk=walk))
    return recording, walk.report()


MAX_REPLAY_SPEED = 10_000
"""Some three hours of incident a second. Faster, each frame's step ran off the
calendar (`--speed 1e14` ended the replay screen in OverflowError)."""


def replay_offset(args: Arguments) -> timedelta | None:
    """`--at T+MM:SS` as an offset from the incident's start; `--speed` checked too."""
    if not 0 < args.speed <= MAX_REPLAY_SPEED:
        raise CliError(f"--speed must be more than zero and at most {MAX_REPLAY_SPEED:,}")
    if args.at is None:
        return None
    try:
        return parse_offset(args.at)
    except ValueError as error:
        raise CliError(f"--at: {error}") from None


def cmd_replay_json(args: Arguments) -> int:
    """The state at `--at` (default: the end) in `status --json`'s shape.

    From the nearest state stored at or before the moment, the events after it
    folded and their links verified (`incident.app.replay` says what that checks,
    and what only `verify` does). The moment comes first, from the incident as its
    record stands (`replay_moment`), or is its last event without `--at`.
    """
    offset = replay_offset(args)
    with open_log(args, read_only=True, snapshot=True) as log:
        require_incident(log, incident_of(log, args))
        first = first_event(log, args.id)
        last = log.last_event(args.id)
        end = first.at if last is None else last.at

        def record_end() -> IncidentState:
            """The incident as its record stands: read only where a moment needs it."""
            return readable(log, args.id, lambda: state_at_moment(log, args.id, end)).state

        moment = end
        if offset is not None:
            declared = readable(log, args.id, lambda: fold([first]))
            shown = replayed_moment(args, declared, offset, record_end)
            moment = shown.at
            if shown.note:
                print(f"lastgood replay: {shown.note}", file=sys.stderr)
        replayed = readable(log, args.id, lambda: state_at_moment(log, args.id, moment))
        latest = replayed.state
        if offset is not None and latest.drill and not fault_shown(latest):
            # a drill open at the moment: whether its fault shows is the record's to say
            latest = record_end()
    data = status_data(replayed.state, moment, latest=latest)
    data["damage"] = damage_data(None if replayed.report.ok else replayed.report)
    data["kept_here"] = None  # this machine's spool is now's, not the moment replayed's
    print(json_for_stdout(data))
    return 0


def timeline_text(args: Arguments, record: ReportRecord, now: datetime, gap: timedelta) -> str:
    """The timeline `timeline` writes of `record`: `--json`'s data, else Markdown, as
    read from the database or from an export (`tui.cli.from_export`)."""
    if args.json:
        data = timeline_data(record, now, gap=gap)
        return (json_text if output_path(args) else json_for_stdout)(data) + "\n"
    return timeline_from(record, now, gap=gap, tz=_zone(args))
