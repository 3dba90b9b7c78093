"""`lastgood monitor`: the TUI's background work without the TUI.

Says on stderr what it watches as it starts and what it recorded as it stops; prints
one line per poll and every trigger change, records samples through the
same domain command as the TUI, sends and delivers the incident's messages as an
open TUI would, and stops cleanly on Ctrl-C, after `--for`, or once the incident is
closed. The coordinator's screen runs it as `--probes-only --exit-on-eof --keys-first
FD` to poll in a process of its own (`tui/app/probe_child.py`).
"""

from __future__ import annotations

import asyncio
import contextlib
import mmap
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path
from typing import TextIO

from incident.app.probe_turn import ProbeTurn, poller_name
from incident.app.session import IncidentSession
from incident.core.events import Event, JSONValue, Kind, format_timestamp
from incident.core.payloads.health import sample_to_json
from incident.core.phase_clocks import elapsed, format_duration, format_offset, t_plus
from incident.core.samples import Sample
from incident.core.text import counted, json_text, visible
from incident.health.reading_line import reading_summary
from incident.reports.describe import describe
from runbooks.model import Probe
from runbooks.unpointed import pointed_probes
from runbooks.unset import polled_here, unset_hint
from store.errors import StoreError
from tui.cli.courier import Courier
from tui.cli.errors import CliError
from tui.cli.store_thread import SampleWriter, StoreThread, finished
from tui.net.client import close_client, make_client
from tui.net.gate import Gate
from tui.net.in_turn import poll_in_turn
from tui.net.outage import Outage
from tui.net.poller import ProbePoller


def run_monitor(
    session: IncidentSession,
    db: Path | str,
    *,
    duration_s: float | None,
    as_json: bool = False,
    probes_only: bool = False,
    exit_on_eof: bool = False,
    keys_first: Gate | None = None,
    poller: str = "",
) -> int:
    """Probes, and the incident's messages (auto-sends, delivery, missed updates).

    With `as_json`, each line is one JSON object (docs/schemas/monitor-line.schema.json).
    `probes_only` leaves the messages to whoever else has the incident open;
    `exit_on_eof` stops when standard input closes, so a parent that dies, even by
    SIGKILL, takes its monitor with it. Polls wait at `keys_first` while the
    coordinator's screen draws a key (`tui/net/gate.py`). The probes are polled only
    while this monitor, as `poller`, holds their turn (`incident.app.probe_turn`):
    while another poller of the incident does, it says so once and stands by.

    The session is used from a thread of its own (`tui/cli/store_thread.py`), so a
    record slow to answer holds up no poll. Every stop but a second Ctrl-C (or
    SIGTERM) waits until the samples polled are recorded; a second one leaves them,
    and says how many.
    """
    say = _json_say(session) if as_json else _say(session)
    probes, hint = pointed_probes(session.state.runbook)
    probes = polled_here(probes, os.environ)  # one whose URL cannot be built: not polled
    unset = unset_hint(session.state.runbook, os.environ)
    turn = ProbeTurn(poller or poller_name(None, "monitor"))
    ticks = Ticks()
    """What the line said at its stop says of the ticks this monitor recorded."""
    started: list[bool] = []
    """Whether it started (and said so): one refused at its start says only why."""

    def start() -> None:
        """Say what it watches and how it stops, once what could refuse it has not."""
        started.append(True)
        line = start_line(
            session.state.id,
            probes,
            duration_s=duration_s,
            messages=not probes_only,
            exit_on_eof=exit_on_eof,
        )
        emit(line, sys.stderr)
        if hint is not None:
            emit(f"not polled: {hint}", sys.stderr)
        if unset is not None:
            emit(unset, sys.stderr)

    given_up = asyncio.Event()
    """Set (on the loop) when a batch was not recorded: another poller holds the turn."""
    unrecorded = Outage[StoreError](
        lambda error: emit(visible(f"samples not recorded: {error}"), sys.stderr),
        lambda _: emit("samples recorded again", sys.stderr),
    )
    left: list[tuple[int, int]] = []
    """The batches, and their samples, a second signal left unrecorded."""

    async def monitor() -> None:
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        store = StoreThread()
        writer = SampleWriter(store, recorder(loop, stop), unrecorded.failed)
        stop_on_signals(stop, writer)
        try:
            if exit_on_eof:
                stop_at_eof(stop)
            await work(stop, store, writer)
            await writer.drained()
        except asyncio.CancelledError:  # a second signal: leave what waits
            left.append(writer.backlog())
            fall_silent()  # the store thread's late lines would follow the count of it
        finally:
            store.close()

    async def work(stop: asyncio.Event, store: StoreThread, writer: SampleWriter) -> None:
        if probes_only:
            start()
            if probes:
                await poll(stop, store, writer)
            return
        async with Courier(session, db, say=say) as courier:
            start()
            messages = asyncio.create_task(courier.run(stop, store=store))
            try:
                if probes:
                    await poll(stop, store, writer)
                elif duration_s is not None:
                    await asyncio.wait_for(stop.wait(), duration_s)
                else:
                    await stop.wait()
            except TimeoutError:
                pass
            finally:
                stop.set()
                await finished(messages)

    def recorder(loop: asyncio.AbstractEventLoop, stop: asyncio.Event) -> BatchRecorder:
        def record(batch: list[Sample]) -> None:
            """On the store thread: record a batch, then print it. A StoreError passes
            to the writer, which says it once (`unrecorded`) and polling goes on."""
            events = turn.record(session, batch).events
            unrecorded.worked()
            if session.state.is_closed:  # nothing was recorded: the close came first
                emit(f"incident {session.state.id} closed: monitor stopped", sys.stderr)
                with contextlib.suppress(RuntimeError):  # the loop is gone already
                    loop.call_soon_threadsafe(stop.set)
                return
            if not events:  # another poller's tick came first: it holds the turn
                tell(turn.news(session.state, session.clock.now()))
                with contextlib.suppress(RuntimeError):
                    loop.call_soon_threadsafe(given_up.set)
                return
            offset = t_plus(session.state, events[0].at)  # as the timeline has the tick
            ticks.recorded(offset)
            if as_json:
                _print_json_batch(session, batch, events)
                return
            read = " · ".join(reading_summary(session.state, s) for s in batch)
            lines = [visible(f"{offset}  {read}")]
            for event in events:
                if event.kind == Kind.TRIGGER_CHANGED:
                    lines.append(f"{offset}  {describe(event)}")
            emit("\n".join(lines))

        return record

    def tell(line: str | None) -> None:
        if line is not None:
            say(line)

    def standby(loop: asyncio.AbstractEventLoop, stop: asyncio.Event) -> float:
        """On the store thread: what others recorded, and how long to stand by."""
        try:
            session.refresh()
        except StoreError:
            return 0.0  # polled, its samples then say the record is away
        state, now = session.state, session.clock.now()
        if state.is_closed:
            emit(f"incident {state.id} closed: monitor stopped", sys.stderr)
            loop.call_soon_threadsafe(stop.set)
            return 0.0
        tell(turn.news(state, now))
        return turn.wait_s(state, now)

    async def poll(stop: asyncio.Event, store: StoreThread, writer: SampleWriter) -> None:
        client = make_client()
        poller = ProbePoller(probes, client, clock=session.clock, env=os.environ, gate=keys_first)
        loop = asyncio.get_running_loop()
        try:
            await poll_in_turn(
                poller,
                writer.put,
                lambda: store.call(lambda: standby(loop, stop)),
                stop=stop,
                given_up=given_up,
                clock=session.clock,
                until_s=duration_s,
            )
        finally:
            await close_client(client)

    with contextlib.suppress(KeyboardInterrupt):  # before the loop took the signal over
        asyncio.run(monitor())
    if started:  # not after a second signal either: its count is the last word
        emit(stop_line(ticks, polled=bool(probes)), sys.stderr)
    if left and left[0][0]:
        batches, samples = left[0]
        raise CliError(
            f"stopped with {batches} batch(es) of samples ({samples} samples) not recorded"
        )
    if unrecorded.cause is not None:
        # A pipeline reads the status: samples that were never kept are not a success.
        raise CliError(f"stopped while samples were not recorded: {unrecorded.cause}")
    return 0


BatchRecorder = Callable[[list[Sample]], None]

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


def stop_on_signals(stop: asyncio.Event, writer: SampleWriter) -> None:
    """Ctrl-C (SIGINT) or SIGTERM stops polling and waits for the samples polled to be
    recorded, saying how many wait; a second one leaves them (cancels the monitor)."""
    loop = asyncio.get_running_loop()
    main = asyncio.current_task()
    heard: list[int] = []

    def on_signal() -> None:
        heard.append(1)
        if len(heard) > 1:
            if main is not None:
                main.cancel()
            return
        stop.set()
        batches, samples = writer.backlog()
        if batches:
            emit(
                f"stopping: recording the {batches} batch(es) of samples ({samples} samples) "
                "still queued; a second Ctrl-C (or SIGTERM) leaves them",
                sys.stderr,
            )

    for number in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # not on this platform
            loop.add_signal_handler(number, on_signal)


LISTED_PROBES = 6
"""Probes named one by one in the line said at the start; more are counted."""


def start_line(
    incident_id: str,
    probes: Sequence[Probe],
    *,
    duration_s: float | None,
    messages: bool,
    exit_on_eof: bool,
) -> str:
    """What a monitor watches and how it stops, said once on stderr as it starts:
    `watching INC-…: health every 5s, version every 5s, error-rate every 15s, and its
    messages; Ctrl-C stops`. The probes are those it polls: as on the coordinator's
    screen, those still at the bundled runbook's loopback defaults are left out (the
    next line says how to point them)."""
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
    if exit_on_eof:
        stops = "stops when its input closes"
    elif duration_s is not None:
        stops = f"stops after {_every(duration_s)} (Ctrl-C sooner)"
    else:
        stops = "Ctrl-C stops"
    return visible(f"watching {incident_id}: {watched}; {stops}")


class Ticks:
    """How many ticks a monitor recorded, and the last one's T+: all its stop says."""

    def __init__(self) -> None:
        self.count = 0
        self.last = ""

    def recorded(self, offset: str) -> None:
        self.count += 1
        self.last = offset


def stop_line(ticks: Ticks, *, polled: bool) -> str:
    """Said once on stderr as a monitor ends (but after a second Ctrl-C, whose count of
    what it left is the last word): how many ticks it recorded, and the last one's T+."""
    if not polled:
        return "monitor stopped"
    if not ticks.count:
        return "monitor stopped: no tick recorded"
    return f"monitor stopped after {counted(ticks.count, 'tick')} recorded; last tick {ticks.last}"


def _every(seconds: float) -> str:
    """`5s`, `1m30s`, `0.5s`: an interval or a run's length, as the runbook gives it."""
    if seconds != int(seconds):
        return f"{seconds:g}s"
    return format_duration(timedelta(seconds=seconds))


def keys_gate(fd: int) -> Gate:
    """The gate over the byte the coordinator's screen shares at `fd`: one byte of a
    file it passed down, non-zero while it draws a key (`tui/app/probe_child.py`)."""
    try:
        shared = mmap.mmap(fd, 1, access=mmap.ACCESS_READ)
    except (OSError, ValueError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        raise CliError(f"--keys-first {fd}: no shared byte there ({reason})") from None
    return Gate(lambda: shared[0] != 0)


def stop_at_eof(stop: asyncio.Event) -> None:
    """Set `stop` once standard input is closed (read on a thread of its own)."""
    loop = asyncio.get_running_loop()

    def wait_for_eof() -> None:
        # `os.read`, not `sys.stdin.buffer`: a thread blocked in a buffered read holds
        # its lock, and the interpreter aborts if it is still held at exit.
        try:
            while os.read(0, 4096):
                pass
        except OSError:  # no stdin at all: as good as closed
            pass
        loop.call_soon_threadsafe(stop.set)

    threading.Thread(target=wait_for_eof, name="lastgood-eof", daemon=True).start()


def _say(session: IncidentSession) -> Callable[[str], None]:
    def say(line: str) -> None:
        offset = format_offset(elapsed(session.state, session.clock.now()))
        emit(visible(f"{offset}  {line}"))

    return say


def _line(session: IncidentSession, kind: str, **fields: JSONValue) -> str:
    now = session.clock.now()
    line: dict[str, JSONValue] = {
        "at": format_timestamp(now),
        "elapsed": format_offset(elapsed(session.state, now)),
        "kind": kind,
        **fields,
    }
    return json_text(line, indent=None)


def _print_json_batch(session: IncidentSession, batch: list[Sample], events: list[Event]) -> None:
    samples: list[JSONValue] = [sample_to_json(sample) for sample in batch]
    lines = [_line(session, "samples", samples=samples)]
    for event in events:
        if event.kind == Kind.TRIGGER_CHANGED:
            lines.append(
                _line(session, "event", seq=event.seq, event=event.kind, text=describe(event))
            )
    emit("\n".join(lines))


def _json_say(session: IncidentSession) -> Callable[[str], None]:
    def say(line: str) -> None:
        emit(_line(session, "message", text=line))

    return say
