"""When to poll which probe, and how many at once.

The poller keeps a next-poll time per probe on the injected clock's monotonic
counter and starts whatever is due concurrently (bounded by a semaphore, always below
the shared client's connection pool). Each probe is polled on its own interval: a
probe whose poll is still in flight is not started again, and once its poll ends it
is polled at its next due time (the next on its schedule, if it overran one).

Samples are handed over in batches, each meant to be recorded in one transaction: a
batch is what ended since the last hand-over. The polls started together (a round)
are waited for so that their samples go together, but only for `gather_s` after the
round's last poll started: a poll still in flight then (a hanging endpoint, a slow
trickle) holds nothing up, and its sample goes with whatever batch follows its end.
Before (until 2026-12-06) a round was handed over when its slowest poll ended, so
one endpoint that hung until its timeout held back every other probe's samples, and
their next polls, for as long.

A large round is paced: its polls start one after another over `round_spread_s`
rather than all at once. 200 probes polled at once took the poller a whole core
for 0.2 s of every second (`bench/README.md`), which the coordinator's screen then
shared, and sent production 200 requests in the same instant.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Awaitable, Callable, Mapping, Sequence
from functools import partial
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
GATHER_S = 0.25
"""How long after a round's last start its batch waits for the round's polls still in
flight: the most a hanging endpoint can hold back the samples polled beside it."""
_NS = 1_000_000_000
_NEVER = 2**63
"""A monotonic time no clock reaches: nothing to wake for."""

BatchHandler = Callable[[list[Sample]], Awaitable[None] | None]
"""Receives each non-empty batch; may be a plain function or a coroutine function."""


class _Round:
    """Polls started together, whose samples a batch waits for until `until_ns`."""

    __slots__ = ("closed", "pending", "until_ns")

    def __init__(self, until_ns: int, pending: int) -> None:
        self.until_ns = until_ns
        self.pending = pending
        """Its polls still in flight."""
        self.closed = False
        """Past `until_ns` with polls still in flight: the batch no longer waits for them."""


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
        gather_s: float = GATHER_S,
        gate: Gate | None = None,
    ) -> None:
        """`pool_size` defaults to what `client_pool_size` can tell of `client`;
        `round_spread_s` 0 starts every round's polls at once; `gather_s` is how long
        after a round's last start its batch waits for the rest of the round; each
        poll, and each batch's handing over, waits at `gate` while it is held
        (`tui/net/gate.py`).

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
        self.gather_s = gather_s
        """How long after a round's last start its batch waits for its polls."""
        self._client = client
        self._clock = clock
        self._env = env
        self._max_body_bytes = max_body_bytes
        self._semaphore = asyncio.Semaphore(max_concurrency)
        self._gate = gate
        self._next_ns: dict[int, int] = {}
        """Probe index -> monotonic time of its next poll; absent means never polled."""
        self._flying: dict[int, asyncio.Task[Sample]] = {}
        """Probe index -> its poll still in flight (in `run`)."""

    def due(self) -> list[Probe]:
        """Probes whose next poll time has come (all of them before the first poll),
        but for those whose poll is still in flight."""
        return [self.probes[i] for i in self._due_indexes(self._clock.monotonic_ns())]

    def in_flight(self) -> list[Probe]:
        """Probes whose poll `run` started and has not seen end."""
        return [self.probes[i] for i in sorted(self._flying)]

    def seconds_until_next(self) -> float:
        """Seconds until a probe not in flight is due: 0 if one is due now, inf with none."""
        idle = [i for i in range(len(self.probes)) if i not in self._flying]
        if not idle:
            return math.inf
        if any(i not in self._next_ns for i in idle):
            return 0.0
        wait_ns = min(self._next_ns[i] for i in idle) - self._clock.monotonic_ns()
        return max(0.0, wait_ns / _NS)

    async def poll_due(self) -> list[Sample]:
        """Poll every due probe concurrently, once; return their samples in probe order
        when the slowest has ended. `run` does not wait so: this is one round, alone.

        Each polled probe is rescheduled at its scheduled time + interval (so the
        schedule does not drift), or at now + interval if that is already past.
        """
        indexes, gap_s = self._take_due(self._clock.monotonic_ns())
        if not indexes:
            return []
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

        Each probe is started when due unless its poll is still in flight; a batch
        (what ended since the last one, in probe order) is handed over once no poll of
        a round still gathering is in flight (see the module), so a hanging endpoint
        holds up no other probe's samples or polls. No poll starts while a batch is
        being handed over, so a slow `on_batch` holds the polling back.

        Returns as soon as `stop` is set or `until_s` is up, without waiting for the
        polls in flight: they are cancelled and their samples never handed over. At
        `until_s`, samples that had already ended are handed over first; once `stop`
        is set, nothing more is. An exception from `on_batch` ends the loop, cancels
        the polls in flight and propagates.
        """
        now = self._clock.monotonic_ns()
        deadline = None if until_s is None else now + int(until_s * _NS)
        ended: list[tuple[int, Sample, _Round]] = []
        rounds: list[_Round] = []
        """Rounds with polls still in flight; those not `closed` are gathering."""
        gather_ns = int(self.gather_s * _NS)
        woken = asyncio.Event()
        stopping = asyncio.ensure_future(stop.wait())

        def landed(index: int, round_: _Round, task: asyncio.Task[Sample]) -> None:
            if self._flying.get(index) is task:
                del self._flying[index]
            if task.cancelled():
                return
            now = self._clock.monotonic_ns()
            ended.append((index, task.result(), round_))
            self._after_poll(index, now)
            round_.pending -= 1
            if round_.closed:  # a straggler: the batch waits for its round's others
                round_.closed = False  # in flight, but only `gather_s` from now
                round_.until_ns = now + gather_ns
                woken.set()
            elif round_.pending == 0 or now >= round_.until_ns:
                woken.set()  # else the loop wakes at the round's `until_ns` anyway

        try:
            while not stop.is_set():
                woken.clear()
                now = self._clock.monotonic_ns()
                rounds = [r for r in rounds if r.pending]
                for round_ in rounds:
                    if round_.until_ns <= now:
                        round_.closed = True  # its polls in flight hold up no batch
                gathering = [r for r in rounds if not r.closed]
                if deadline is not None and now >= deadline:
                    if ended:
                        await self._hand_over(on_batch, ended)
                    return
                hand_by = min((r.until_ns for _, _, r in ended if not r.closed), default=_NEVER)
                if ended and (not gathering or now >= hand_by):
                    await self._hand_over(on_batch, ended)
                    continue  # the time has moved on
                indexes, gap_s = self._take_due(now)
                if indexes:
                    last_start_ns = int((len(indexes) - 1) * gap_s * _NS)
                    round_ = _Round(now + last_start_ns + gather_ns, len(indexes))
                    rounds.append(round_)
                    gathering.append(round_)
                    for n, i in enumerate(indexes):
                        poll = self._poll_one(self.probes[i], after_s=n * gap_s)
                        self._flying[i] = task = asyncio.create_task(poll)
                        task.add_done_callback(partial(landed, i, round_))
                wake_ns = min(self._next_idle_ns(now), hand_by if ended else _NEVER)
                for round_ in gathering:
                    wake_ns = min(wake_ns, round_.until_ns)
                if deadline is not None:
                    wake_ns = min(wake_ns, deadline)
                if wake_ns <= now:
                    continue
                timeout = None if wake_ns == _NEVER else (wake_ns - now) / _NS
                waiter = asyncio.ensure_future(woken.wait())
                try:
                    await asyncio.wait(
                        (waiter, stopping), timeout=timeout, return_when=asyncio.FIRST_COMPLETED
                    )
                finally:
                    waiter.cancel()
        finally:
            stopping.cancel()
            flying = list(self._flying.values())
            self._flying.clear()
            for task in flying:
                task.cancel()
            await asyncio.gather(*flying, stopping, return_exceptions=True)

    async def _hand_over(
        self, on_batch: BatchHandler, ended: list[tuple[int, Sample, _Round]]
    ) -> None:
        batch = [sample for _, sample, _ in sorted(ended, key=lambda each: each[0])]
        ended.clear()
        if self._gate is not None:
            await self._gate.passed()
        pending = on_batch(batch)
        if pending is not None:
            await pending

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

    def _take_due(self, now: int) -> tuple[list[int], float]:
        """The due probes' indexes, rescheduled, and the gap between their starts."""
        indexes = self._due_indexes(now)
        for i in indexes:
            interval_ns = int(self.probes[i].interval_s * _NS)
            following = self._next_ns.get(i, now) + interval_ns
            self._next_ns[i] = following if following > now else now + interval_ns
        if not indexes:
            return [], 0.0
        return indexes, self.pace_s(len(indexes), min(self.probes[i].interval_s for i in indexes))

    def _after_poll(self, index: int, now: int) -> None:
        """A poll that outlasted its next due time: on to the next slot at or after now."""
        following = self._next_ns[index]
        if following < now:
            interval_ns = max(1, int(self.probes[index].interval_s * _NS))
            self._next_ns[index] = following + -(-(now - following) // interval_ns) * interval_ns

    def _next_idle_ns(self, now: int) -> int:
        """When the next probe not in flight is due: `now` if one has never been
        polled, `_NEVER` if every probe is in flight."""
        soonest = _NEVER
        for i in range(len(self.probes)):
            if i not in self._flying:
                soonest = min(soonest, self._next_ns.get(i, now))
        return soonest

    def _due_indexes(self, now_ns: int) -> list[int]:
        return [
            i
            for i in range(len(self.probes))
            if i not in self._flying and (i not in self._next_ns or self._next_ns[i] <= now_ns)
        ]
