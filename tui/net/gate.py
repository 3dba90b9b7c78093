"""The gate the probe poller's requests wait at while the coordinator's key is drawn.

On a machine of two cores, the screen, its poller child, tmux and whatever else the
coordinator runs share the CPU. A key pressed while the poller was mid-round waited
for a core behind it: with 200 probes polled, a phase switch's p99 was 1.3-1.6x the
same screen's without (`docs/PERFORMANCE.md`). The screen keeps a byte the child
shares, non-zero from a key's arrival until just after its frame
(`tui/app/keys_first.py`, `tui/app/probe_child.py`); a poll due meanwhile, and a
round's batch, wait until it is zero again.

The gate reads the byte; nothing is sent, so a key wakes nobody (the first version
said "hold" and "release" on the child's input, which woke the child twice per key).
A hold always ends: one wait lasts
`MAX_WAIT_S` at most, whatever the byte says, so a poll is delayed by a frame and a
little more, never dropped.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

CHECK_S = 0.004
"""How often a held gate looks at the byte again: a quarter of a frame or so."""
MAX_WAIT_S = 0.1
"""The longest one wait at the gate lasts."""


class Gate:
    """Open while `held()` is false; `passed` waits while it is true."""

    def __init__(
        self,
        held: Callable[[], bool],
        *,
        check_s: float = CHECK_S,
        max_wait_s: float = MAX_WAIT_S,
    ) -> None:
        self.held = held
        self.check_s = check_s
        self.max_wait_s = max_wait_s
        self.holds = 0
        """Times something had to wait at the gate."""
        self.waiting = 0
        """How many wait at the gate now."""
        self._opening: asyncio.Future[None] | None = None
        """The one watch of the byte that every waiter shares, while there are any."""

    async def passed(self) -> None:
        """Return at once while the gate is open, else once it opens (or the wait lapses)."""
        if not self.held():
            return
        if self._opening is None:
            self.holds += 1
            self._opening = asyncio.ensure_future(self._watch())
        self.waiting += 1
        try:
            await asyncio.shield(self._opening)
        finally:
            self.waiting -= 1

    async def _watch(self) -> None:
        loop = asyncio.get_running_loop()
        until = loop.time() + self.max_wait_s
        try:
            while self.held() and loop.time() < until:
                await asyncio.sleep(self.check_s)
        finally:
            self._opening = None
