"""Waiting on the first of several events, or a timeout: how the network loops idle.

A loop that sleeps between rounds must wake at once when told to stop (or when new work
comes), not at the end of its sleep; `asyncio.wait` on the events' waits does that, and
the waits left over are cancelled so none outlives the call.
"""

from __future__ import annotations

import asyncio


async def first_set(*events: asyncio.Event, timeout: float | None) -> None:
    """Return once any of `events` is set, or after `timeout` seconds (None: no end)."""
    waits = [asyncio.ensure_future(event.wait()) for event in events]
    try:
        await asyncio.wait(waits, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for wait in waits:
            wait.cancel()
        await asyncio.gather(*waits, return_exceptions=True)
