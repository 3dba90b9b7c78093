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

Those full collections still grew with what a run of keys left behind: traced
through 200 step checks, each walked 28-43 thousand objects made since the last
(timeline rows, Textual's line caches) in 14-35 ms, every 3-4 s, and those that fell
during a check made the slowest checks of the run. So the oldest generation is no
longer collected when the collector decides but when the keyboard is quiet
(`YOUNG_QUIET_S`): what a few keys left behind, a few milliseconds at a time,
between keys. The collector's own trigger stays, for a keyboard never quiet: it
comes after ten collections of the younger generations, which a quiet moment
between keys resets.

Frozen objects that become garbage in a cycle later (a dialog's widgets, say) are
found only by a collection of everything; one runs at the first moment without
keys for a second once a minute has passed, or after ten minutes regardless.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

TICK_S = 0.1
"""How often `FrozenCollections.tick` looks for a quiet moment."""
YOUNG_QUIET_S = 0.1
"""No key for this long: the oldest generation (what survived since the last
collection of it) is collected now, holding nobody up."""
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
    """Each full collection's survivors frozen; the oldest generation collected when
    the keyboard is quiet, and everything when it has been quiet longer (`tick`)."""

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
        """Every `TICK_S`: collect everything, frozen or not, if it is due and quiet
        (whether it ran); else the oldest generation, if anything reached it since its
        last collection and the keyboard is quiet."""
        now = self._clock()
        waited = now - self._everything_at
        quiet_for = now - self._last_key
        if waited >= EVERYTHING_BY_S or (quiet_for >= QUIET_S and waited >= EVERYTHING_AFTER_S):
            collect_everything()
            self._everything_at = now
            return True
        if quiet_for >= YOUNG_QUIET_S and gc.get_count()[2] > 0:
            gc.collect(2)  # frozen objects are not walked; the survivors are frozen next
        return False
