"""Polling production for the coordinator's screen, off the UI loop.

The probes are polled on the network loop (`tui.net.network_loop`); each round's
batch of samples (what ended since the last), and any trigger they flip, are
recorded as one job on the recorder's
thread, which posts them to the screen like any other events. The UI loop runs
neither the HTTP requests nor the append.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from incident.app.session import IncidentSession
from incident.core.clock import Clock
from incident.core.samples import Sample
from runbooks.model import Probe
from tui.app.screens.recorder import Outcome, Recorder

if TYPE_CHECKING:  # the network (and the probes' turn, the commands) load after the first frame
    from incident.app.probe_turn import ProbeTurn
    from tui.net.client import HttpClient
    from tui.net.network_loop import NetworkLoop


CLOSED = "closed"
GIVEN_UP = "given up"


def record_round(session: IncidentSession, batch: Sequence[Sample], turn: ProbeTurn) -> str | None:
    """Record one round in one transaction; why polling should stop: the incident is
    `CLOSED`, or another poller holds the probes' turn (`GIVEN_UP`); None to go on."""
    if session.state.is_closed:
        return CLOSED
    recorded = turn.record(session, batch).events
    if session.state.is_closed:
        return CLOSED
    return None if recorded else GIVEN_UP


def start_polling(
    network: NetworkLoop,
    recorder: Recorder,
    probes: tuple[Probe, ...],
    clock: Clock,
    turn: ProbeTurn,
    *,
    on_error: Callable[[Outcome[str | None]], None],
    key_held: Callable[[], bool] | None = None,
) -> concurrent.futures.Future[None]:
    """Poll `probes` on the network loop until the incident closes; cancel to stop.

    No poll starts while a batch is being recorded, so a slow append holds the
    polling back instead of queueing batches behind it. While
    `key_held()` is true (a key's frame is being made), no poll starts. While another
    poller holds the probes' `turn`, none does (`tui/net/in_turn.py`).
    """

    def reply(outcome: Outcome[str | None]) -> None:
        if outcome.error is not None:
            on_error(outcome)

    async def poll(client: HttpClient) -> None:
        from tui.net.gate import Gate
        from tui.net.in_turn import poll_in_turn
        from tui.net.poller import ProbePoller

        gate = Gate(key_held) if key_held is not None else None
        stop, given_up = asyncio.Event(), asyncio.Event()

        async def record(batch: list[Sample]) -> None:
            try:
                job = recorder.submit(lambda s: record_round(s, batch, turn), reply, kind="samples")
                why = await asyncio.wrap_future(job)
            except Exception:  # shown by `reply`; the next round tries again
                return
            if why == CLOSED:
                stop.set()
            elif why == GIVEN_UP:
                given_up.set()

        def wait_s(session: IncidentSession) -> float | None:
            """How long to stand by; None once the incident is closed."""
            session.refresh()
            state = session.state
            return None if state.is_closed else turn.wait_s(state, session.clock.now())

        async def standby() -> float:
            try:
                wait = await asyncio.wrap_future(recorder.submit(wait_s, kind="turn"))
            except Exception:  # the record is away: poll, and its batches say so
                return 0.0
            if wait is None:
                stop.set()
                return 0.0
            return wait

        poller = ProbePoller(probes, client=client, clock=clock, env=os.environ, gate=gate)
        await poll_in_turn(poller, record, standby, stop=stop, given_up=given_up, clock=clock)

    return network.submit(poll)
