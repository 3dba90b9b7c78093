"""When to poll which probe, and how many at once.

The poller keeps a next-poll time per probe on the injected clock's monotonic
counter, polls whatever is due concurrently (bounded by a semaphore, always below
the shared client's connection pool), and hands back each tick's samples as one
batch, meant to be recorded in one transaction.

A large round is paced: its polls start one after another over `round_spread_s`
rather than all at once. 200 probes polled at once took the poller a whole core
for 0.2 s of every second (`bench/README.md`), which the coordinator's screen then
shared, and sent production 200 requests in the same instant.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from incident.core.clock import Clock
from incident.core.samples import Outcome, Sample
from runbooks.model import Probe
from tui.net.client import client_pool_size
from tui.net.gate import Gate
from tui.net.probing import DEFAULT_MAX_BODY_BYTES, poll_probe

if TYPE_CHECKING:
    import httpx

DEFAULT_MAX_CONCURRENCY = 16
PACED_ABOVE = 20
"""Rounds of more probes than this are paced; smaller ones start every poll at once."""
ROUND_SPREAD_S = 0.5
"""Over how long a paced round starts its polls: at most this, and at most half the
shortest interval among them, so that a round is over before the next is due."""
_NS = 1_000_000_000

BatchHandler = Callable[[list[Sample]], Awaitable[None] | None]
"""Receives each non-empty batch; may be a plain function or a coroutine function."""


class ProbePoller:
    """Polls a runbook's probes on their intervals through one shared client."""

    def __init__(
        self,
        probes: Sequence[Probe],
        client: httpx.AsyncClient,
        *,
        clock: Clock,
        env: Mapping[str, str],
        max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
        pool_size: int | None = None,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        round_spread_s: float = ROUND_SPREAD_S,
        gate: Gate | None = None,
    ) -> None:
        """`pool_size` defaults to what `client_pool_size` can tell of `client`;
        `round_spread_s` 0 starts every round's polls at once; each poll, and each
        batch's handing over, waits at `gate` while it is held (`tui/net/gate.py`).

        Raises ValueError unless 1 <= max_concurrency < pool size, so that probes
        never take every connection the rest of the app (webhooks) shares.
        """
        size = pool_size if pool_size is not None else client_pool_size(client)
        if size is None:
            raise ValueError("cannot tell the client's connection pool size; pass pool_size")
        if not 1 <= max_concurrency < size:
            raise ValueError(
                f"max_concurrency must be at least 1 and below the client's pool size "
                f"({size}), not {max_concurrency}"
            )
        self.probes: tuple[Probe, ...] = tuple(probes)
        """The probes, in the order batches list their samples."""
        self.max_concurrency = max_concurrency
        """How many polls may be in flight at once."""
        self.round_spread_s = round_spread_s
        """Over how long a round of more than `PACED_ABOVE` probes starts its polls."""
        self._client = client
        self._clock = clock
        self._env = env
        self._max_body_bytes = max_body_bytes
        self._semaphore = asyncio.Semaphore(max_concurrency)
        self._gate = gate
        self._next_ns: dict[int, int] = {}
        """Probe index -> monotonic time of its next poll; absent means never polled."""

    def due(self) -> list[Probe]:
        """Probes whose next poll time has come (all of them before the first poll)."""
        return [self.probes[i] for i in self._due_indexes(self._clock.monotonic_ns())]

    def seconds_until_next(self) -> float:
        """Seconds until the next probe is due: 0 if one is due now, inf with no probes."""
        if not self.probes:
            return math.inf
        if len(self._next_ns) < len(self.probes):
            return 0.0
        wait_ns = min(self._next_ns.values()) - self._clock.monotonic_ns()
        return max(0.0, wait_ns / _NS)

    async def poll_due(self) -> list[Sample]:
        """Poll every due probe concurrently; return their samples in probe order.

        Each polled probe is rescheduled at its scheduled time + interval (so the
        schedule does not drift), or at now + interval if that is already past.
        """
        now = self._clock.monotonic_ns()
        indexes = self._due_indexes(now)
        for i in indexes:
            interval_ns = int(self.probes[i].interval_s * _NS)
            following = self._next_ns.get(i, now) + interval_ns
            self._next_ns[i] = following if following > now else now + interval_ns
        if not indexes:
            return []
        gap_s = self.pace_s(len(indexes), min(self.probes[i].interval_s for i in indexes))
        async with asyncio.TaskGroup() as group:
            tasks = [
                group.create_task(self._poll_one(self.probes[i], after_s=n * gap_s))
                for n, i in enumerate(indexes)
            ]
        return [task.result() for task in tasks]

    def pace_s(self, due: int, shortest_interval_s: float) -> float:
        """Seconds between the starts of a round's polls: 0 unless it is large."""
        if due <= PACED_ABOVE:
            return 0.0
        return min(self.round_spread_s, shortest_interval_s / 2) / due

    async def run(
        self,
        on_batch: BatchHandler,
        *,
        stop: asyncio.Event,
        until_s: float | None = None,
    ) -> None:
        """Poll until `stop` is set or `until_s` seconds (on the clock) have passed.

        A round in progress finishes (each poll is bounded by its probe's timeout) and
        its batch is delivered before returning; cancel the task to stop at once.
        An exception from `on_batch` ends the loop and propagates.
        """
        deadline = None if until_s is None else self._clock.monotonic_ns() + int(until_s * _NS)
        while not stop.is_set():
            if deadline is not None and self._clock.monotonic_ns() >= deadline:
                return
            batch = await self.poll_due()
            if batch:
                if self._gate is not None:
                    await self._gate.passed()
                pending = on_batch(batch)
                if pending is not None:
                    await pending
            wait = self.seconds_until_next()
            if deadline is not None:
                wait = min(wait, max(0.0, (deadline - self._clock.monotonic_ns()) / _NS))
            if wait > 0:
                await _wait_for(stop, wait)

    async def _poll_one(self, probe: Probe, *, after_s: float = 0.0) -> Sample:
        if after_s > 0:
            await asyncio.sleep(after_s)  # its place in a paced round
        async with self._semaphore:
            if self._gate is not None:  # here, not before the slot: a poll queued for
                await self._gate.passed()  # a slot while a key was held starts after it
            try:
                return await poll_probe(
                    self._client,
                    probe,
                    clock=self._clock,
                    env=self._env,
                    max_body_bytes=self._max_body_bytes,
                )
            except Exception as exc:  # poll_probe should not raise; never let one stop all
                return Sample(
                    probe=probe.name,
                    at=self._clock.now(),
                    outcome=Outcome.ERROR,
                    detail=f"internal error: {type(exc).__name__}",
                )

    def _due_indexes(self, now_ns: int) -> list[int]:
        return [
            i
            for i in range(len(self.probes))
            if i not in self._next_ns or self._next_ns[i] <= now_ns
        ]


async def _wait_for(stop: asyncio.Event, seconds: float) -> None:
    """Sleep `seconds`, waking early if `stop` is set."""
    try:
        async with asyncio.timeout(None if math.isinf(seconds) else seconds):
            await stop.wait()
    except TimeoutError:
        pass
