"""Polling in turn: a face's probe loop that stands by while another poller of the
incident holds the probes' turn (`incident.app.probe_turn`), and polls once it lapses.

Every face that polls (`monitor`, and the screen that polls in its own process) runs
its `ProbePoller` through here, so that the rule is kept the same way everywhere.

One poller throughout, so one schedule: a run that ends because a batch was refused
leaves each probe's next due time as it was, and the next run polls each probe when
it is due, never all at once. Before, each run was a fresh poller,
which polls every probe at its start: a `monitor` whose record read "poll now" but
refused every batch asked the service 1,222 times in 10 s (ux_review4 finding 4).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

from incident.core.clock import Clock
from tui.net.first_set import first_set
from tui.net.poller import BatchHandler, ProbePoller

_NS = 1_000_000_000


async def poll_in_turn(
    poller: ProbePoller,
    on_batch: BatchHandler,
    standby: Callable[[], Awaitable[float]],
    *,
    stop: asyncio.Event,
    given_up: asyncio.Event,
    clock: Clock,
    until_s: float | None = None,
) -> None:
    """Poll with `poller`, its batches handed to `on_batch`, while this process holds
    the turn; return once `stop` is set or `until_s` (on `clock`) is up.

    `standby()` reads the record and says how long to stand by before asking again
    (0: poll now); it is asked first, after each wait, and whenever the face sets
    `given_up` because a batch was not recorded (another poller's tick came first).
    Polling stops at once then, its polls in flight left: their samples could not be
    recorded either. Polling again, it goes on from `poller`'s schedule: a probe polled
    before the refusal is polled again at its next due time, however soon `standby`
    says to poll.
    """
    start = clock.monotonic_ns()

    def left() -> float | None:
        return None if until_s is None else until_s - (clock.monotonic_ns() - start) / _NS

    while not stop.is_set():
        remaining = left()
        if remaining is not None and remaining <= 0:
            return
        wait = await standby()
        if stop.is_set():
            return
        if wait > 0:
            await _either(stop, None, wait if remaining is None else min(wait, remaining))
            continue
        given_up.clear()
        halt = asyncio.Event()
        watch = asyncio.ensure_future(_either(stop, given_up, None, then=halt))
        try:
            await poller.run(on_batch, stop=halt, until_s=remaining)
        finally:
            watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watch
        if not given_up.is_set():
            return  # stopped, or its time is up


async def _either(
    first: asyncio.Event,
    second: asyncio.Event | None,
    timeout: float | None,
    *,
    then: asyncio.Event | None = None,
) -> None:
    """Wait until `first` or `second` is set or `timeout` passes; then set `then`."""
    await first_set(*(event for event in (first, second) if event), timeout=timeout)
    if then is not None:
        then.set()
