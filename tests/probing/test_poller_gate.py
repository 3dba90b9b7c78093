"""The poller giving way to the coordinator's keys (`tui/net/gate.py`), against real
loopback servers: no poll reaches production, and no batch is handed over, while the gate
is held. The gate itself is in `tests/test_gate.py`."""

from __future__ import annotations

import asyncio

from incident.core.clock import SystemClock
from incident.core.samples import Outcome, Sample
from runbooks.model import Probe
from tests.gate_waiting import BOUND_S, until
from tests.http_servers import HEALTH, LoopbackServer, Received, Reply
from tests.probing.poller_helpers import probe
from tui.app.keys_first import KeyFlag
from tui.net.gate import Gate
from tui.net.poller import ProbePoller


def unpaced(server: LoopbackServer, count: int) -> list[Probe]:
    return [probe(f"p{n}", server.url("/health"), interval_s=60.0) for n in range(count)]


async def test_no_poll_reaches_production_while_the_gate_is_held(server, client) -> None:
    key = KeyFlag()
    gate = Gate(key.held, max_wait_s=BOUND_S)
    poller = ProbePoller(unpaced(server, 3), client, clock=SystemClock(), env={}, gate=gate)
    key.hold()
    round_ = asyncio.create_task(poller.poll_due())
    await until(lambda: gate.waiting == 3)  # every poll of the round is at the gate
    assert server.requests == []
    key.release()
    batch = await asyncio.wait_for(round_, BOUND_S)
    assert [sample.outcome for sample in batch] == [Outcome.OK] * 3
    assert len(server.requests) == 3


async def test_a_batch_is_handed_over_only_through_the_gate(client) -> None:
    key = KeyFlag()
    gate = Gate(key.held, max_wait_s=BOUND_S)
    both_asked = asyncio.Event()
    asked = 0

    async def answer_then_a_key(request: Received, reply: Reply) -> None:
        nonlocal asked
        asked += 1
        if asked == 2:  # both polls are past the gate: a key arrives before the batch
            key.hold()
            both_asked.set()
        await both_asked.wait()
        await reply.json(HEALTH)

    async with LoopbackServer({"/health": answer_then_a_key}) as server:
        probes = [probe(f"p{n}", server.url("/health"), interval_s=60.0) for n in range(2)]
        poller = ProbePoller(probes, client, clock=SystemClock(), env={}, gate=gate)
        handed: list[list[Sample]] = []
        stop = asyncio.Event()

        def keep(batch: list[Sample]) -> None:
            handed.append(batch)
            stop.set()

        running = asyncio.create_task(poller.run(keep, stop=stop))
        await until(lambda: gate.waiting == 1)  # the round's batch, at the gate
        assert handed == []
        key.release()
        await asyncio.wait_for(running, BOUND_S)
        assert [len(batch) for batch in handed] == [2]


async def test_a_poll_queued_for_a_slot_waits_at_the_gate_once_it_has_one(client) -> None:
    answer = asyncio.Event()

    async def held(request: Received, reply: Reply) -> None:
        await answer.wait()
        await reply.json(HEALTH)

    async with LoopbackServer({"/held": held}) as server:
        key = KeyFlag()
        gate = Gate(key.held, max_wait_s=BOUND_S)
        probes = [probe(f"p{n}", server.url("/held"), interval_s=60.0) for n in range(2)]
        poller = ProbePoller(
            probes, client, clock=SystemClock(), env={}, max_concurrency=1, gate=gate
        )
        round_ = asyncio.create_task(poller.poll_due())
        await until(lambda: len(server.requests) == 1)  # one in flight, one queued
        key.hold()  # a key arrives while the second waits for the slot
        answer.set()
        await until(lambda: gate.waiting == 1)  # it has the slot, and waits at the gate
        assert len(server.requests) == 1
        key.release()
        batch = await asyncio.wait_for(round_, BOUND_S)
        assert [sample.outcome for sample in batch] == [Outcome.OK] * 2
        assert len(server.requests) == 2
