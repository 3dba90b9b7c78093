"""One round of probe polls, against real loopback servers: how the poller is built, when
each probe is due, that a hanging probe holds up none of the others, that the server never
sees more than `max_concurrency` at once, and how far apart a large round's polls start.

The poller's loop is in `test_poller_loop.py`, the poller at the gate in
`test_poller_gate.py`.
"""

from __future__ import annotations

import asyncio
import math

import pytest

from incident.core.clock import ManualClock, SystemClock
from incident.core.samples import Outcome, Sample
from runbooks.model import Probe
from tests.conftest import T0
from tests.http_servers import unused_port
from tests.probing.poller_helpers import probe
from tui.net.poller import ProbePoller


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
