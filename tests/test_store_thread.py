"""`monitor`'s sample writer: a failure in saying a refusal is not a silent stop.

When the callback that reports a refused batch raised (stderr closed), the writer
kept `_draining` set and never recorded again, and `drained` returned as if all
were well (a review of this session's diff).
"""

from __future__ import annotations

import pytest

from incident.core.samples import Sample
from store.errors import StoreError
from tui.cli.store_thread import SampleWriter, StoreThread


async def test_a_refusal_that_cannot_be_said_is_raised_not_swallowed() -> None:
    recorded: list[list[Sample]] = []
    calls = 0

    def record(batch: list[Sample]) -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise StoreError("db", "locked")
        recorded.append(batch)

    def refused(error: StoreError, dropped: list[list[Sample]]) -> None:
        raise BrokenPipeError("stderr is closed")

    store = StoreThread()
    try:
        writer = SampleWriter(store, record, refused)
        writer.put([])
        with pytest.raises(BrokenPipeError):
            await writer.drained()
        with pytest.raises(BrokenPipeError):
            writer.put([])
    finally:
        store.close()


async def test_after_a_refusal_said_the_next_batches_are_recorded_in_order() -> None:
    recorded: list[int] = []
    said: list[str] = []

    def record(batch: list[Sample]) -> None:
        if len(batch) == 1 and not said:
            raise StoreError("db", "locked")
        recorded.append(len(batch))

    store = StoreThread()
    try:
        writer = SampleWriter(store, record, lambda error, _dropped: said.append(str(error)))
        writer.put([object()])  # type: ignore[list-item]
        await writer.drained()
        for size in (2, 3, 4):
            writer.put([object()] * size)  # type: ignore[list-item]
        await writer.drained()
    finally:
        store.close()
    assert len(said) == 1 and recorded == [2, 3, 4]
    assert writer.backlog() == (0, 0)
