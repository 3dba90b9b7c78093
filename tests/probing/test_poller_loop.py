"""The poller's loop, `ProbePoller.run`, against real loopback servers: batches handed
over until its time is up or its stop event is set, a failing handler raised, a hanging
poll holding up no other probe's samples, and a probe in flight not polled again."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx
import pytest

from incident.core.clock import ManualClock, SystemClock
from incident.core.samples import Outcome, Sample
from tests.conftest import T0
from tests.gate_waiting import BOUND_S
from tests.http_servers import HEALTH, Handler, LoopbackServer, Received, Reply, hang
from tests.probing.poller_helpers import probe
from tui.net.poller import ProbePoller


async def test_run_delivers_batches_until_the_time_is_up(server, client):
    poller = ProbePoller(
        [probe("api", server.url("/health"), interval_s=0.1)], client, clock=SystemClock(), env={}
    )
    batches: list[list[Sample]] = []
    # It returns by itself once `until_s` is up; the 30 s bound only keeps a broken
    # loop from hanging the suite (nothing sets the stop event).
    await asyncio.wait_for(poller.run(batches.append, stop=asyncio.Event(), until_s=0.45), 30)
    assert len(batches) >= 2
    assert all(len(batch) == 1 and batch[0].ok for batch in batches)


async def test_run_awaits_async_handlers_and_stops_on_the_event(server, client):
    poller = ProbePoller(
        [probe("api", server.url("/health"), interval_s=30.0)], client, clock=SystemClock(), env={}
    )
    stop = asyncio.Event()
    seen: list[list[Sample]] = []

    async def record(batch: list[Sample]) -> None:
        await asyncio.sleep(0)
        seen.append(batch)

    runner = asyncio.create_task(poller.run(record, stop=stop))
    while not seen:
        await asyncio.sleep(0.01)
    stop.set()  # the loop is sleeping 30 s until the next poll: it must wake now
    await asyncio.wait_for(runner, timeout=5.0)
    assert len(seen) == 1


async def test_run_propagates_a_failing_handler(server, client):
    poller = ProbePoller([probe("api", server.url("/health"))], client, clock=SystemClock(), env={})

    def broken(batch: list[Sample]) -> None:
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        await poller.run(broken, stop=asyncio.Event(), until_s=5.0)


class StuckBesideHealthy:
    """A probe stuck until released, beside a healthy one; each healthy answer takes a
    second of the test's clock, which nothing else moves."""

    def __init__(self, client: httpx.AsyncClient, server: LoopbackServer) -> None:
        self.clock = ManualClock(T0)
        self.release = asyncio.Event()
        self.healthy = probe("healthy", server.url("/health"), interval_s=1.0)
        self.slow = probe("slow", server.url("/stuck"), interval_s=1.0, timeout_s=5.0)
        self.poller = ProbePoller([self.healthy, self.slow], client, clock=self.clock, env={})
        self.handed: list[list[Sample]] = []

    def routes(self) -> dict[str, Handler]:
        async def healthy_answer(request: Received, reply: Reply) -> None:
            self.clock.advance(1.0)
            await reply.json(HEALTH)

        async def stuck(request: Received, reply: Reply) -> None:
            await self.release.wait()
            await reply.json(HEALTH)

        return {"/health": healthy_answer, "/stuck": stuck}

    def names(self) -> list[str]:
        return [sample.probe for batch in self.handed for sample in batch]


async def test_a_hanging_probe_holds_up_no_other_probes_samples(client):
    async with LoopbackServer({}) as server:
        setup = StuckBesideHealthy(client, server)
        server.routes.update(setup.routes())
        stop = asyncio.Event()

        def keep(batch: list[Sample]) -> None:
            setup.handed.append(batch)
            names = setup.names()
            if names.count("healthy") >= 5:
                setup.release.set()  # five healthy samples counted: let the slow one end
            if names.count("slow") == 2 or ("slow" in names and not setup.release.is_set()):
                stop.set()

        await asyncio.wait_for(setup.poller.run(keep, stop=stop), BOUND_S)

    # Five healthy samples, handed over one batch each, while the slow poll hung
    # (before, the first batch waited for the slow one, 5 s here, and held both).
    names = setup.names()
    assert names[:5] == ["healthy"] * 5, names
    assert [len(batch) for batch in setup.handed[:5]] == [1, 1, 1, 1, 1]
    # Once its poll had ended, the slow probe was polled again, at its next due time.
    first, second = [s for batch in setup.handed for s in batch if s.probe == "slow"]
    assert first.outcome == second.outcome == Outcome.OK
    assert first.at == T0
    assert second.at >= T0 + timedelta(seconds=5)
    assert server.paths().count("/stuck") == 2


async def test_a_probe_in_flight_is_not_polled_again(client):
    async with LoopbackServer({}) as server:
        setup = StuckBesideHealthy(client, server)
        server.routes.update(setup.routes())
        stop = asyncio.Event()
        seen: dict[str, object] = {}

        def keep(batch: list[Sample]) -> None:
            setup.handed.append(batch)
            if setup.names().count("healthy") == 5 and not seen:
                seen["stuck asked"] = server.paths().count("/stuck")
                seen["in flight"] = setup.poller.in_flight()
                seen["due"] = setup.poller.due()
                stop.set()
            elif "slow" in setup.names():
                stop.set()

        await asyncio.wait_for(setup.poller.run(keep, stop=stop), BOUND_S)
        # The slow probe was due again at each of the five healthy ticks, and asked once:
        # its time has come, but only the healthy one is due while its poll is in flight.
        assert setup.clock.now() == T0 + timedelta(seconds=5)
        assert seen == {"stuck asked": 1, "in flight": [setup.slow], "due": [setup.healthy]}
        assert server.paths().count("/stuck") == 1
        assert setup.poller.in_flight() == []  # cancelled when `run` returned


async def test_run_returns_at_its_deadline_with_a_poll_still_in_flight(client):
    clock = ManualClock(T0)

    async def answer_at_the_deadline(request: Received, reply: Reply) -> None:
        clock.advance(10.0)
        await reply.json(HEALTH)

    routes: dict[str, Handler] = {"/health": answer_at_the_deadline, "/hang": hang}
    async with LoopbackServer(routes) as server:
        hanging = probe("hanging", server.url("/hang"), interval_s=1.0, timeout_s=5.0)
        healthy = probe("healthy", server.url("/health"), interval_s=1.0)
        poller = ProbePoller([hanging, healthy], client, clock=clock, env={})
        handed: list[list[Sample]] = []
        await asyncio.wait_for(
            poller.run(handed.append, stop=asyncio.Event(), until_s=10.0), BOUND_S
        )
        # What ended by the deadline is handed over; the hanging poll is cancelled,
        # not waited for (before, `run` waited for its 5 s timeout and handed it over).
        assert [[sample.probe for sample in batch] for batch in handed] == [["healthy"]]
        assert server.paths().count("/hang") == 1
        assert poller.in_flight() == []


async def test_run_hands_a_paced_round_over_as_one_batch(server, client):
    probes = [probe(f"p{i:02}", server.url("/health"), interval_s=1.0) for i in range(40)]
    poller = ProbePoller(probes, client, clock=ManualClock(T0), env={}, round_spread_s=0.2)
    handed: list[list[Sample]] = []
    stop = asyncio.Event()

    def keep(batch: list[Sample]) -> None:
        handed.append(batch)
        stop.set()

    await asyncio.wait_for(poller.run(keep, stop=stop), BOUND_S)
    assert [[sample.probe for sample in batch] for batch in handed] == [[p.name for p in probes]]
