"""Each full collection's survivors are frozen; the oldest generation is collected when
the keyboard is quiet, not when a key may be waiting; frozen garbage is collected when
the keyboard has been quiet for a second and a minute has passed, or after ten minutes."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from tui.app.heap import (
    EVERYTHING_AFTER_S,
    EVERYTHING_BY_S,
    QUIET_S,
    YOUNG_QUIET_S,
    FrozenCollections,
    settle_heap,
)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Node:
    """Half of a reference cycle: only the collector frees it."""

    other: Node | None = None


@pytest.fixture
def frozen() -> Iterator[tuple[FrozenCollections, Clock]]:
    """`FrozenCollections` started, the heap frozen first, as the app freezes it once its
    first frame is up (`settle_heap`): a test's full collections walk what it made, and
    only a collection of everything walks the test worker's whole heap. Unfrozen (by the
    test before), each of them walked every app the worker had opened, 0.25-0.6 s of CPU
    each after the screens' tests (the first also freed their garbage, 2.5-4.5 s, which
    the session's last collection frees anyway: `tests/conftest.py`)."""
    gc.freeze()
    clock = Clock()
    collections = FrozenCollections(clock)
    collections.start()
    try:
        yield collections, clock
    finally:
        collections.stop()
        gc.unfreeze()
    assert collections._after_collection not in gc.callbacks


def frozen_cycle() -> weakref.ref[Node]:
    """A cycle alive through a full collection, so frozen by it, then dropped."""
    a, b = Node(), Node()
    a.other, b.other = b, a
    before = gc.get_freeze_count()
    gc.collect()
    assert gc.get_freeze_count() > before
    return weakref.ref(a)


def test_a_full_collection_freezes_its_survivors(frozen) -> None:
    before = gc.get_freeze_count()
    kept = [Node() for _ in range(100)]
    gc.collect()
    assert gc.get_freeze_count() >= before + len(kept)


def old_cycle() -> weakref.ref[Node]:
    """A cycle that survived into the oldest generation (not frozen), then dropped."""
    a, b = Node(), Node()
    a.other, b.other = b, a
    gc.collect(1)  # its survivors move to the oldest generation
    assert gc.get_count()[2] > 0
    return weakref.ref(a)


def test_the_oldest_generation_waits_for_the_keyboard_to_be_quiet(frozen) -> None:
    collections, clock = frozen
    cycle = old_cycle()
    collections.key()
    assert not collections.tick()
    assert cycle() is not None  # a key just came: nothing walked
    clock.now += 2 * YOUNG_QUIET_S
    assert not collections.tick()  # not everything: the oldest generation alone
    assert cycle() is None
    assert gc.get_count()[2] == 0


def test_frozen_garbage_waits_for_a_quiet_moment_after_a_minute(frozen) -> None:
    collections, clock = frozen
    cycle = frozen_cycle()
    gc.collect()
    assert cycle() is not None  # frozen: a full collection does not look at it
    clock.now += EVERYTHING_AFTER_S
    collections.key()
    assert not collections.tick()  # a key just came
    clock.now += QUIET_S
    assert collections.tick()
    assert cycle() is None


def test_nothing_is_collected_before_a_minute_however_quiet(frozen) -> None:
    collections, clock = frozen
    cycle = frozen_cycle()
    clock.now += EVERYTHING_AFTER_S - 1
    assert not collections.tick()
    assert cycle() is not None


def test_after_ten_minutes_it_runs_though_keys_keep_coming(frozen) -> None:
    collections, clock = frozen
    cycle = frozen_cycle()
    clock.now += EVERYTHING_BY_S
    collections.key()
    assert collections.tick()
    assert cycle() is None


def test_settling_collects_young_garbage_and_freezes_what_is_kept() -> None:
    """What start-up made is young (the collector was off): settling frees its garbage
    and leaves the kept objects out of later collections."""
    gc.unfreeze()
    collecting = gc.isenabled()
    gc.disable()  # as `lastgood start` starts
    try:
        a, b = Node(), Node()
        a.other, b.other = b, a
        cycle = weakref.ref(a)
        del a, b
        kept = [Node() for _ in range(100)]
        settle_heap()
        assert cycle() is None
        assert gc.get_freeze_count() >= len(kept)
    finally:
        gc.unfreeze()
        if collecting:
            gc.enable()
