"""Waiting on conditions in async tests (the poller gate's and the probes'), bounded."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

BOUND_S = 30.0
"""Only keeps a broken gate from hanging the suite."""


async def until(condition: Callable[[], bool]) -> None:
    """Let the loop run until `condition` holds."""
    async with asyncio.timeout(BOUND_S):
        while not condition():
            await asyncio.sleep(0.001)
