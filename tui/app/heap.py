"""The heap once the first frame is up: collected, then frozen; so after each full collection.

A full garbage collection walks every object the app holds (about 80,000 once an
incident is on screen) and took 40-55 ms each time it ran, a few times a minute:
a key pressed then waited for it. Frozen after start-up, those objects are left
out of later collections, which then walk only what was made since.

What is made since still grows (the timeline's rows, Textual's caches), and a full
collection of it took 25-30 ms by the time 100 steps were checked: traced, those
were the slowest checks of a run, its whole tail (p99 76 ms against a p50 of 30).
So `lastgood start` freezes the survivors of each full collection too
(`FrozenCollections`): the next walks only what was made since this one.

Frozen objects that become garbage in a cycle later (a dialog's widgets, say) are
found only by a collection of everything; one runs at the first moment without
keys for a second once a minute has passed, or after ten minutes regardless.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

QUIET_S = 1.0
"""No key for this long: a collection of everything now holds nobody up."""
EVERYTHING_AFTER_S = 60.0
"""How long frozen garbage may wait for a quiet moment to be collected..."""
EVERYTHING_BY_S = 600.0
"""...and how long at most."""


def settle_heap() -> None:
    """Collect what start-up left behind, then freeze the rest out of future collections.

    Start-up's objects are young: `lastgood start` makes them with the collector off,
    so none has been moved to the oldest generation, and collecting the two younger
    ones walks them all. The oldest holds what the process had before (in a test
    worker, the whole test session's heap: 80-120 ms to walk for each screen opened).
    Garbage there is frozen with the rest until the next collection of everything.
    """
    gc.collect(1)
    gc.freeze()


def release_heap() -> None:
    """Give the frozen objects back to the collector (the screen that froze them is going)."""
    gc.unfreeze()


def collect_everything() -> None:
    """Every generation collected, frozen objects included, and the survivors frozen."""
    release_heap()
    gc.collect()
    gc.freeze()


class FrozenCollections:
    """Each full collection's survivors frozen; everything collected when quiet (`tick`)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._last_key = clock()
        self._everything_at = clock()

    def start(self) -> None:
        gc.callbacks.append(self._after_collection)

    def stop(self) -> None:
        if self._after_collection in gc.callbacks:
            gc.callbacks.remove(self._after_collection)

    def _after_collection(self, phase: str, info: dict[str, int]) -> None:
        if phase == "stop" and info["generation"] == 2:
            gc.freeze()

    def key(self) -> None:
        """A key came: not quiet for another `QUIET_S`."""
        self._last_key = self._clock()

    def tick(self) -> bool:
        """Collect everything, frozen or not, if it is due and quiet; whether it ran."""
        now = self._clock()
        waited = now - self._everything_at
        quiet = now - self._last_key >= QUIET_S
        if waited < EVERYTHING_BY_S and not (quiet and waited >= EVERYTHING_AFTER_S):
            return False
        collect_everything()
        self._everything_at = now
        return True
