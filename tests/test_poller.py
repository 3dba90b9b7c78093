"""Scheduling and bounded concurrency of probe polls, against real loopback servers."""

from __future__ import annotations

import asyncio
import math
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest

from incident.core.clock import ManualClock, SystemClock
from incident.core.samples import Outcome, Sample
from runbooks.model import Probe, ProbeKind
from tests.conftest import T0
from tests.gate_waiting import BOUND_S, until
from tests.http_servers import (
    HEALTH,
    Handler,
    LoopbackServer,
    Received,
    Reply,
    hang,
    standard_routes,
    unused_port,
)
from tui.app.keys_first import KeyFlag
from tui.net.client import make_client
from tui.net.gate import Gate
from tui.net.poller import ProbePoller


@pytest.fixture
async def server() -> AsyncIterator[LoopbackServer]:
    async with LoopbackServer(standard_routes()) as running:
        yield running


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with make_client() as shared:
        yield shared


def probe(name: str, url: str, **kw: object) -> Probe:
    return Probe(name=name, kind=ProbeKind.HTTP, url=url, **kw)  # type: ignore[arg-type]


def by_name(batch: list[Sample]) -> dict[str, Sample]:
    return {sample.probe: sample for sample in batch}


# --- construction -------------------------------------------------------------------


async def test_concurrency_must_stay_below_the_pool(client):
    with pytest.raises(ValueError, match="below the client's pool size"):
        ProbePoller([], client, clock=SystemClock(), env={}, max_concurrency=32)
    with pytest.raises(ValueError, match="at least 1"):
        ProbePoller([], client, clock=SystemClock(), env={}, max_concurrency=0)
    ProbePoller([], client, clock=SystemClock(), env={}, max_concurrency=31)


async def test_pool_size_can_be_given_explicitly(client):
    with pytest.raises(ValueError):
        ProbePoller([], client, clock=SystemClock(), env={}, max_concurrency=4, pool_size=4)
    ProbePoller([], client, clock=SystemClock(), env={}, max_concurrency=4, pool_size=5)


# --- scheduling ---------------------------------------------------------------------


async def test_schedule_follows_the_clock_without_drift(server, client):
    clock = ManualClock(T0)
    fast = probe("fast", server.url("/health"), interval_s=5.0)
    slow = probe("slow", server.url("/health"), interval_s=30.0)
    poller = ProbePoller([fast, slow], client, clock=clock, env={})

    assert poller.due() == [fast, slow]
    assert poller.seconds_until_next() == 0.0
    first = await poller.poll_due()
    assert [s.probe for s in first] == ["fast", "slow"]
    assert all(s.at == T0 for s in first)
    assert poller.due() == []
    assert poller.seconds_until_next() == 5.0
    assert await poller.poll_due() == []

    clock.advance(3.0)
    assert poller.seconds_until_next() == 2.0
    clock.advance(2.5)  # polled 0.5 s late: the next poll stays on the 5 s grid
    assert poller.due() == [fast]
    assert [s.probe for s in await poller.poll_due()] == ["fast"]
    assert poller.seconds_until_next() == pytest.approx(4.5)

    clock.advance(12.0)  # missed whole slots: start again from now
    assert poller.due() == [fast]
    await poller.poll_due()
    assert poller.seconds_until_next() == pytest.approx(5.0)

    clock.advance(13.0)  # 30.5 s after the start
    assert poller.due() == [fast, slow]


async def test_no_probes_is_never_due(client):
    poller = ProbePoller([], client, clock=SystemClock(), env={})
    assert poller.due() == []
    assert await poller.poll_due() == []
    assert math.isinf(poller.seconds_until_next())


# --- isolation and concurrency ------------------------------------------------------


async def test_a_hanging_probe_never_holds_up_the_others(server, client):
    hanging = probe("hanging", server.url("/hang"), timeout_s=0.5, interval_s=0.1)
    healthy = probe("healthy", server.url("/health"), json_field="error_rate", interval_s=0.1)
    refused = probe("refused", f"http://127.0.0.1:{unused_port()}/", interval_s=0.1)
    poller = ProbePoller([hanging, healthy, refused], client, clock=SystemClock(), env={})

    for _ in range(2):
        # The 30 s bound only keeps a broken timeout from hanging the suite.
        batch = by_name(await asyncio.wait_for(poller.poll_due(), 30))
        assert set(batch) == {"hanging", "healthy", "refused"}
        assert batch["hanging"].outcome == Outcome.TIMEOUT
        assert (batch["healthy"].outcome, batch["healthy"].value) == (Outcome.OK, 0.12)
        assert batch["refused"].outcome == Outcome.REFUSED
        hung, answered = batch["hanging"].latency_ms, batch["healthy"].latency_ms
        assert hung is not None and answered is not None
        assert answered < hung  # the healthy answer did not wait for the hanging one


async def test_the_server_never_sees_more_than_max_concurrency(server, client):
    probes = [probe(f"p{i:02}", server.url("/slow"), interval_s=60.0) for i in range(50)]
    poller = ProbePoller(
        probes, client, clock=SystemClock(), env={}, max_concurrency=8, round_spread_s=0
    )  # unpaced: all 50 are due at once, and only the semaphore holds them back
    batch = await poller.poll_due()
    assert [s.probe for s in batch] == [p.name for p in probes]
    assert all(s.outcome == Outcome.OK for s in batch)
    assert len(server.requests) == 50
    assert 2 <= server.peak_in_flight <= 8


class StartsRecorded(ProbePoller):
    """Notes when, into its round, each poll was asked to start."""

    starts: dict[str, float]

    async def _poll_one(self, probe: Probe, *, after_s: float = 0.0) -> Sample:
        self.starts[probe.name] = after_s
        return await super()._poll_one(probe, after_s=after_s)


async def test_a_large_round_starts_its_polls_one_after_another(server, client):
    probes = [probe(f"p{i:02}", server.url("/health"), interval_s=1.0) for i in range(40)]
    poller = StartsRecorded(probes, client, clock=SystemClock(), env={}, round_spread_s=0.2)
    poller.starts = {}
    batch = await poller.poll_due()
    assert [s.probe for s in batch] == [p.name for p in probes]
    assert all(s.outcome == Outcome.OK for s in batch)
    assert [poller.starts[p.name] for p in probes] == [pytest.approx(n * 0.005) for n in range(40)]


@pytest.mark.parametrize(
    ("due", "interval_s", "gap_s"),
    [
        (3, 1.0, 0.0),  # a runbook's few probes: all at once, as always
        (20, 1.0, 0.0),
        (21, 1.0, 0.5 / 21),
        (200, 1.0, 0.5 / 200),  # over half a second
        (200, 0.4, 0.2 / 200),  # over half the interval, when that is shorter
        (50, 60.0, 0.5 / 50),
    ],
)
async def test_how_far_apart_a_rounds_polls_start(client, due, interval_s, gap_s):
    poller = ProbePoller([], client, clock=SystemClock(), env={})
    assert poller.pace_s(due, interval_s) == pytest.approx(gap_s)


# --- the loop -----------------------------------------------------------------------


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


# --- giving way to the coordinator's keys (tui/net/gate.py) -------------------------


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
