"""The heap once the first frame is up: collected, then frozen.

A full garbage collection walks every object the app holds (about 80,000 once an
incident is on screen) and took 40-55 ms each time it ran, a few times a minute:
a key pressed then waited for it. Frozen after start-up, those objects are left
out of later collections, which then walk only what was made since.
"""

from __future__ import annotations

import gc


def settle_heap() -> None:
    """Collect what start-up left behind, then freeze the rest out of future collections."""
    gc.collect()
    gc.freeze()


def release_heap() -> None:
    """Give the frozen objects back to the collector (the screen that froze them is going)."""
    gc.unfreeze()
