"""Polling in turn (`tui/net/in_turn.py`) after a batch the record refused.

A `monitor` whose record said "poll now" but refused every batch (ux_review4 finding 4:
the write side did not hear that the last poller was gone) polled every probe again at
once, round after round: 1,222 connections to the service in 10 s, 6.7 s of CPU. The
disagreement is gone, but a refused batch must never make a poller ask again before
its probes' intervals: polling goes on from one schedule across its runs.

A real loopback server answers; the test's clock moves a second with each answer of a
probe polled every second, so its rounds are counted, not timed.
"""

from __future__ import annotations

import asyncio

import httpx

from incident.core.clock import ManualClock
from incident.core.samples import Sample
from tests.conftest import T0
from tests.gate_waiting import BOUND_S
from tests.http_servers import HEALTH, Handler, LoopbackServer, Received, Reply
from tests.probing.poller_helpers import probe
from tui.net.in_turn import poll_in_turn
from tui.net.poller import ProbePoller

ROUNDS = 5
"""Rounds of the probe polled every second (each answer a second of the test's clock)."""


async def test_a_refused_batch_is_not_polled_again_before_its_interval(
    client: httpx.AsyncClient,
) -> None:
    clock = ManualClock(T0)
    stop, given_up = asyncio.Event(), asyncio.Event()
    asked: list[str] = []

    async def each_second(request: Received, reply: Reply) -> None:
        asked.append("each-second")
        clock.advance(1.0)
        await reply.json(HEALTH)
        if asked.count("each-second") == ROUNDS:
            stop.set()

    async def hourly(request: Received, reply: Reply) -> None:
        asked.append("hourly")
        await reply.json(HEALTH)

    routes: dict[str, Handler] = {"/second": each_second, "/hour": hourly}
    reads: list[float] = []

    async def standby() -> float:
        reads.append(0.0)
        return 0.0  # the record's reading of the turn: poll now

    def refused(batch: list[Sample]) -> None:
        given_up.set()  # and its write refuses every batch, as the faces' recorders say

    async with LoopbackServer(routes) as server:
        probes = [
            probe("each-second", server.url("/second"), interval_s=1.0),
            probe("hourly", server.url("/hour"), interval_s=3600.0),
        ]

        poller = ProbePoller(probes, client, clock=clock, env={})
        await asyncio.wait_for(
            poll_in_turn(poller, refused, standby, stop=stop, given_up=given_up, clock=clock),
            BOUND_S,
        )

    # Over five rounds of the probe polled every second, the hourly one was asked once:
    # at the start, not again with each refused batch (before: once a round).
    assert asked.count("each-second") >= ROUNDS
    assert asked.count("hourly") == 1, asked
    assert len(reads) >= 2  # it stood by and read the record again after a refusal
