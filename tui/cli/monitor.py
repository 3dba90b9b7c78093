"""`lastgood monitor`: the TUI's background work without the TUI.

Which stream: stderr holds what the process says of itself (what it watches as it
starts, why and how it stops, an error); everything said while it runs goes to stdout
after its T+ (or as a JSON line with `--json`): each tick, recorded or not (`(not
recorded)`, `tui.cli.monitor_outage`), each trigger change, who polls, the messages
and their deliveries, and the record's outages. So a log read afterwards places every
line in time, and a screen's probe child, whose stdout goes nowhere, fills no pipe.

Prints one line per poll and every trigger change, records samples through the
same domain command as the TUI, sends and delivers the incident's messages as an
open TUI would, and stops cleanly on Ctrl-C, after `--for`, or once the incident is
closed. The coordinator's screen runs it as `--probes-only --exit-on-eof --keys-first
FD` to poll in a process of its own (`tui/app/probe_child.py`). What it says is
`tui.cli.monitor_lines`; what stops it from outside, `tui.cli.monitor_signals`.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from collections.abc import Callable
from pathlib import Path

from incident.app.probe_turn import ProbeTurn, poller_name
from incident.app.session import IncidentSession
from incident.core.events import Kind
from incident.core.phase_clocks import t_plus
from incident.core.samples import Sample
from incident.core.text import visible
from incident.health.reading_line import reading_summary
from incident.health.stability import NOT_RESTORED_MARK, lapse_said
from incident.reports.describe import describe
from runbooks.unpointed import pointed_probes
from runbooks.unset import polled_here, unset_by_probe, unset_hint
from store.errors import StoreError
from tui.cli.courier import Courier
from tui.cli.edges import package_version
from tui.cli.errors import CliError, store_failure
from tui.cli.monitor_lines import (
    Running,
    Ticks,
    emit,
    fall_silent,
    json_sayer,
    plain_sayer,
    print_json_batch,
    start_line,
    stop_line,
)
from tui.cli.monitor_outage import RecordOutage, lost_words
from tui.cli.monitor_signals import ClosedOutput, stop_at_eof, stop_on_signals
from tui.cli.stdout import CLOSED_PIPE_EXIT
from tui.cli.store_thread import SampleWriter, StoreThread, finished
from tui.net.client import close_client, make_client
from tui.net.gate import Gate
from tui.net.in_turn import poll_in_turn
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
    record: str = "",
) -> int:
    """Probes, and the incident's messages (auto-sends, delivery, missed updates).

    With `as_json`, each line is one JSON object (tui/cli/schemas/monitor-line.schema.json).
    `probes_only` leaves the messages to whoever else has the incident open;
    `exit_on_eof` stops when standard input closes, so a parent that dies, even by
    SIGKILL, takes its monitor with it. Polls wait at `keys_first` while the
    coordinator's screen draws a key (`tui/net/gate.py`). The probes are polled only
    while this monitor, as `poller`, holds their turn (`incident.app.probe_turn`):
    while another poller of the incident does, it says so once and stands by.
    `record` is where it records, as its start line says it (a URL without its
    password: the opened log's `path`).

    The session is used from a thread of its own (`tui/cli/store_thread.py`), so a
    record slow to answer holds up no poll. Every stop but a second Ctrl-C (or
    SIGTERM) waits until the samples polled are recorded; a second one leaves them,
    and says how many.
    """
    say = json_sayer(session) if as_json else plain_sayer(session)
    probes, hint = pointed_probes(session.state.runbook)
    probes = polled_here(probes, os.environ)  # one whose URL cannot be built: not polled
    unset = unset_hint(session.state.runbook, os.environ, "monitor")
    turn = ProbeTurn(
        poller or poller_name(None, "monitor"),
        shows_readings=False,
        unset=unset_by_probe(session.state.runbook, os.environ),
    )
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
            running=Running(
                record or str(db),
                turn.poller,
                os.getpid(),
                # importlib.metadata costs 0.25-0.3 s here: not for the screen's
                # child (`--exit-on-eof`), whose start line nobody reads.
                "" if exit_on_eof else package_version(),
                stdin_is_terminal(),
            ),
        )
        emit(line, sys.stderr)
        if hint is not None:
            emit(f"not polled: {hint}", sys.stderr)
        if unset is not None:
            emit(unset, sys.stderr)

    given_up = asyncio.Event()
    """Set (on the loop) when a batch was not recorded: another poller holds the turn."""
    unrecorded = RecordOutage(session, say, as_json=as_json)
    left: list[tuple[int, int]] = []
    """The batches, and their samples, a second signal left unrecorded."""

    async def monitor() -> None:
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        store = StoreThread()
        writer = SampleWriter(store, recorder(loop, stop), unrecorded.refused)
        stop_on_signals(stop, writer)
        output.when_closed = lambda: stop_soon(loop, stop)
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

    said_lapse: list[str | None] = [None]  # the lapse said last, said again when it changes

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
                print_json_batch(session, batch, events)
                return
            read = " · ".join(reading_summary(session.state, s) for s in batch)
            lapse = lapse_said(session.state)  # verified, and gone back (ux_review15 #2)
            marked = f"  {NOT_RESTORED_MARK}" if lapse is not None else ""
            lines = [visible(f"{offset}  {read}{marked}")]
            for event in events:
                if event.kind == Kind.TRIGGER_CHANGED:
                    lines.append(f"{offset}  {describe(event)}")
            if lapse is not None and lapse != said_lapse[0]:
                lines.append(visible(f"{offset}  {lapse}"))
            said_lapse[0] = lapse
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
        tell(turn.still_standing_by(state, now))
        wait, said_in = turn.wait_s(state, now), turn.next_said_in_s(state, now)
        return wait if said_in is None or not wait else min(wait, max(said_in, 0.1))

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

    with ClosedOutput() as output:
        with contextlib.suppress(KeyboardInterrupt):  # before the loop took the signal over
            asyncio.run(monitor())
        if started:  # not after a second signal either: its count is the last word
            lost = lost_words(unrecorded.runs) if unrecorded.runs else ""
            emit(stop_line(ticks, polled=bool(probes), lost=lost), sys.stderr)
    if left and left[0][0]:
        batches, samples = left[0]
        raise CliError(
            f"stopped with {batches} batch(es) of samples ({samples} samples) not recorded"
        )
    if unrecorded.cause is not None:
        # A pipeline reads the status: samples that were never kept are not a success.
        # A record away for now (a lock, a server down) is TRY_AGAIN, as at the start:
        # a unit's restart may find it back; a file moved away is not.
        failed = store_failure(unrecorded.cause)
        raise CliError(f"stopped while samples were not recorded: {failed}", failed.exit_code)
    return CLOSED_PIPE_EXIT if output.closed else 0  # as every verb whose reader left


def stdin_is_terminal() -> bool:
    try:
        return os.isatty(0)
    except OSError:
        return False


def stop_soon(loop: asyncio.AbstractEventLoop, stop: asyncio.Event) -> None:
    """Set `stop` on `loop` from any thread; nothing if the loop is gone already."""
    with contextlib.suppress(RuntimeError):
        loop.call_soon_threadsafe(stop.set)


BatchRecorder = Callable[[list[Sample]], None]
