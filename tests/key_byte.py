"""The byte a poller's gate reads (`tui/net/gate.py`), as tests hold and clear it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

BOUND_S = 30.0
"""Only keeps a broken gate from hanging the suite."""


class Byte:
    """What the screen shares: set while a key's frame is being made."""

    def __init__(self) -> None:
        self.value = 0

    def held(self) -> bool:
        return self.value != 0


async def until(condition: Callable[[], bool]) -> None:
    """Let the loop run until `condition` holds."""
    async with asyncio.timeout(BOUND_S):
        while not condition():
            await asyncio.sleep(0.001)
