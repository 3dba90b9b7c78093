"""What `lastgood monitor` says: its lines, one whole line at a time from whichever thread
says it, plain or as JSON (tui/cli/schemas/monitor-line.schema.json), and the line it
says as it starts and as it stops.

Apart from the monitor's loop (`tui.cli.monitor`): a pipeline reads these lines, so
they change with what a reader is promised, not with how the polling runs.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import NamedTuple, TextIO

from incident.app.session import IncidentSession
from incident.core.events import Event, JSONValue, Kind, format_timestamp
from incident.core.payloads.health import sample_to_json
from incident.core.phase_clocks import elapsed, format_duration, format_offset
from incident.core.samples import Sample
from incident.core.text import counted, visible
from incident.health.stability import lapse_said
from incident.reports.describe import describe
from runbooks.model import Probe
from tui.cli.shown_stream import json_for_stdout

_OUTPUT = threading.Lock()
"""Lines come from the loop (messages) and the store thread (samples): one at a time."""
_SILENT = threading.Event()
"""Set once a second signal left the backlog: nothing more is said after its count."""


def emit(line: str, stream: TextIO | None = None) -> None:
    """`line` and a newline in one write, flushed, whichever thread says it."""
    out = sys.stdout if stream is None else stream
    with _OUTPUT:
        if _SILENT.is_set():
            return
        out.write(line + "\n")
        out.flush()


def fall_silent() -> None:
    """Say nothing more: a second Ctrl-C (or SIGTERM) left the samples that wait, and the
    last line is how many. The store thread, a daemon, may still be in a call when the
    process ends (a lock held 10 s ran out just after the count, under load, and said so
    after it)."""
    with _OUTPUT:  # a line being written ends first
        _SILENT.set()


LISTED_PROBES = 6
"""Probes named one by one in the line said at the start; more are counted."""


def start_line(
    incident_id: str,
    probes: Sequence[Probe],
    *,
    duration_s: float | None,
    messages: bool,
    exit_on_eof: bool,
    running: Running,
) -> str:
    """What a monitor watches, where and as whom, and how it stops, said once on stderr
    as it starts: `watching INC-… in /var/lib/lastgood/lastgood.db as lgsvc's monitor
    (pid 9933 on vm), lastgood 0.1.0: health every 5s, version every 5s, error-rate
    every 15s, and its messages; SIGTERM stops`. The probes are those it polls: as on
    the coordinator's screen, those still at the bundled runbook's loopback defaults
    are left out (the next line says how to point them). Ctrl-C is named only to a
    terminal; a service is stopped by SIGTERM."""
    if len(probes) > LISTED_PROBES:
        shortest = min(probe.interval_s for probe in probes)
        longest = max(probe.interval_s for probe in probes)
        span = (
            _every(shortest) if shortest == longest else f"{_every(shortest)} to {_every(longest)}"
        )
        polled = f"{len(probes)} probes, every {span}"
    else:
        polled = ", ".join(f"{probe.name} every {_every(probe.interval_s)}" for probe in probes)
    if not probes:
        watched = "its messages (no probes to poll)"
    else:
        watched = f"{polled}, and its messages" if messages else polled
    interrupt = "Ctrl-C" if running.terminal else "SIGTERM"
    if exit_on_eof:
        stops = "stops when its input closes"
    elif duration_s is not None:
        stops = f"stops after {_every(duration_s)} ({interrupt} sooner)"
    else:
        stops = f"{interrupt} stops"
    return visible(f"watching {incident_id} {running.said()}: {watched}; {stops}")


class Running(NamedTuple):
    """Where a monitor records, as whom, and which lastgood: what a journal's reader
    checks a service's configuration against ($LASTGOOD_DB, $LASTGOOD_USER from an
    environment file), said in its start line."""

    record: str
    """The SQLite file's path, or the PostgreSQL URL without its password."""
    poller: str
    """The name its ticks record it as: `lgsvc's monitor (pid 9933 on vm)`."""
    pid: int
    version: str
    """lastgood's version; "" leaves it unsaid."""
    terminal: bool
    """Whether its standard input is a terminal, where Ctrl-C stops it."""

    def said(self) -> str:
        pid = "" if f"(pid {self.pid} " in self.poller else f", pid {self.pid}"
        version = f", lastgood {self.version}" if self.version else ""
        return f"in {self.record} as {self.poller}{pid}{version}"


class Ticks:
    """How many ticks a monitor recorded, and the last one's T+: all its stop says."""

    def __init__(self) -> None:
        self.count = 0
        self.last = ""

    def recorded(self, offset: str) -> None:
        self.count += 1
        self.last = offset


def stop_line(ticks: Ticks, *, polled: bool, lost: str = "") -> str:
    """Said once on stderr as a monitor ends (but after a second Ctrl-C, whose count of
    what it left is the last word): how many ticks it recorded, and the last one's T+;
    then `lost`, what the record refused (`6 ticks, T+00:08-T+00:28, not recorded`)."""
    if not polled:
        return "monitor stopped"
    if not ticks.count:
        said = "monitor stopped: no tick recorded"
    else:
        said = (
            f"monitor stopped after {counted(ticks.count, 'tick')} recorded; last tick {ticks.last}"
        )
    return f"{said}; {lost}" if lost else said


def _every(seconds: float) -> str:
    """`5s`, `1m30s`, `0.5s`: an interval or a run's length, as the runbook gives it."""
    if seconds != int(seconds):
        return f"{seconds:g}s"
    return format_duration(timedelta(seconds=seconds))


def plain_sayer(session: IncidentSession) -> Callable[[str], None]:
    """Says a line on stdout after the incident's T+ now."""

    def say(line: str) -> None:
        offset = format_offset(elapsed(session.state, session.clock.now()))
        emit(visible(f"{offset}  {line}"))

    return say


def _line(
    session: IncidentSession, kind: str, at: datetime | None = None, **fields: JSONValue
) -> str:
    now = session.clock.now() if at is None else at
    line: dict[str, JSONValue] = {
        "incident": session.state.id,  # `monitor --open --json` passes several on
        "at": format_timestamp(now),
        "elapsed": format_offset(elapsed(session.state, now)),
        "kind": kind,
        **fields,
    }
    return json_for_stdout(line, indent=None)


def print_json_batch(
    session: IncidentSession,
    batch: list[Sample],
    events: list[Event],
    *,
    recorded: bool = True,
    at: datetime | None = None,
) -> None:
    """A recorded batch as JSON lines (`--json`): its samples, then each trigger change.
    One the record refused is said `"recorded": false`, at `at` (when it was polled).
    The samples line's `not_restored` is the text's lapse line (`lapse_said`), or null."""
    samples: list[JSONValue] = [sample_to_json(sample) for sample in batch]
    unrecorded: dict[str, JSONValue] = {} if recorded else {"recorded": False}
    lapse = lapse_said(session.state)  # the text's `✖ NOT RESTORED` and its line
    lines = [_line(session, "samples", at, samples=samples, not_restored=lapse, **unrecorded)]
    for event in events:
        if event.kind == Kind.TRIGGER_CHANGED:
            lines.append(
                _line(session, "event", seq=event.seq, event=event.kind, text=describe(event))
            )
    emit("\n".join(lines))


def json_sayer(session: IncidentSession) -> Callable[[str], None]:
    """Says a line on stdout as a JSON `message` line (`--json`)."""

    def say(line: str) -> None:
        emit(_line(session, "message", text=line))

    return say
