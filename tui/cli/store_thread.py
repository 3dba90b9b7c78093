"""`monitor`'s session, used from one thread of its own, never from its event loop.

`monitor` polls its probes and delivers its messages on an asyncio loop. Every use of
its session is a store call: recording a batch of samples, reading what other
writers recorded, recording an auto-sent message or a delivery's outcome. A store
call can wait: on a SQLite lock another writer holds (up to `WRITE_WAIT_S`), on a
PostgreSQL server that hangs (up to `ANSWER_DEADLINE_S` for each request). Made on
the loop, such a call stopped every probe for as long. Here each is a job on one
thread (`StoreThread`), run in the order submitted, and the loop polls on; the
session is used from that thread alone, as the coordinator's screen uses its own
from its recorder's (`tui/app/screens/recorder.py`).

`SampleWriter` is the probes' side: `put` queues a batch and returns at once, and the
store thread records the batches in the order they were polled, each in its own
transaction. What waits is never lost while the record answers: a call that only
takes long is waited for, and the batches behind it are recorded after it. A call
that fails drops its batch and the batches that waited behind it, as a `monitor`
always dropped the samples polled while the record was away (trying each of them
would cost another deadline each against a server that hangs).
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from incident.core.samples import Sample
from store.errors import StoreError

T = TypeVar("T")


class StoreThread:
    """One thread that runs jobs one at a time, in the order submitted.

    A daemon: a job still waiting on a server that hangs when the process is told to
    leave at once (a second Ctrl-C) does not keep the process alive.
    """

    def __init__(self, name: str = "lastgood-store") -> None:
        self._jobs: queue.SimpleQueue[tuple[Callable[[], Any], Future[Any]] | None] = (
            queue.SimpleQueue()
        )
        self._thread = threading.Thread(target=self._work, name=name, daemon=True)
        self._thread.start()

    def submit(self, job: Callable[[], T]) -> Future[T]:
        """Run `job` after the jobs submitted before it; its result or exception, later."""
        future: Future[T] = Future()
        self._jobs.put((job, future))
        return future

    async def call(self, job: Callable[[], T]) -> T:
        """`job`'s result, awaited on the loop without holding it up."""
        return await asyncio.wrap_future(self.submit(job))

    def close(self) -> None:
        """End the thread once the jobs submitted so far have run."""
        self._jobs.put(None)

    def _work(self) -> None:
        while (item := self._jobs.get()) is not None:
            job, future = item
            if not future.set_running_or_notify_cancel():
                continue  # its caller stopped waiting before it started
            try:
                result = job()
            except BaseException as error:  # handed to whoever waits for it
                future.set_exception(error)
            else:
                future.set_result(result)


async def finished(task: asyncio.Task[None]) -> None:
    """Wait for `task`, cancelling it first if the caller is being cancelled (a second
    Ctrl-C that arrived before this wait): else a job it waits for on a record that
    hangs would hold the caller up as long as the record does."""
    current = asyncio.current_task()
    if current is None or not current.cancelling():
        await task
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


class SampleWriter:
    """Batches of samples, recorded on the store thread in the order `put` was given them.

    `record` records one batch, on the store thread; a StoreError from it is handed to
    `refused` with the batches it drops: that batch and those waiting behind it. Any other
    exception is a defect: raised again by the next `put` and by `drained`, on the
    loop, as it was raised when batches were recorded there.
    """

    def __init__(
        self,
        store: StoreThread,
        record: Callable[[list[Sample]], None],
        refused: Callable[[StoreError, list[list[Sample]]], None],
    ) -> None:
        self._store = store
        self._record = record
        self._refused = refused
        self._lock = threading.Lock()
        self._waiting: deque[list[Sample]] = deque()
        self._in_hand: list[Sample] | None = None
        """The batch being recorded, if one is."""
        self._draining = False
        """Whether a job that records what waits is submitted and not yet done."""
        self._defect: BaseException | None = None

    def put(self, batch: list[Sample]) -> None:
        """Queue `batch` to be recorded after those before it; never waits for the record."""
        self._raise_defect()
        with self._lock:
            self._waiting.append(batch)
            if self._draining:
                return  # the job recording what waits takes this one too
            self._draining = True
        self._store.submit(self._drain)

    def backlog(self) -> tuple[int, int]:
        """The batches not yet recorded (the one being recorded included), and their
        samples."""
        with self._lock:
            batches = [*([self._in_hand] if self._in_hand is not None else []), *self._waiting]
        return len(batches), sum(len(batch) for batch in batches)

    async def drained(self) -> None:
        """Return once every batch put so far is recorded (or refused)."""
        await self._store.call(lambda: None)  # jobs run in order: it runs after theirs
        self._raise_defect()

    def _raise_defect(self) -> None:
        if self._defect is not None:
            raise self._defect

    def _drain(self) -> None:
        """On the store thread: record what waits, oldest first, until nothing does."""
        while True:
            with self._lock:
                if not self._waiting:
                    self._draining = False
                    return
                batch = self._in_hand = self._waiting.popleft()
            try:
                try:
                    self._record(batch)
                except StoreError as error:
                    with self._lock:
                        dropped = [batch, *self._waiting]  # polled while the record was away
                        self._waiting.clear()
                    self._refused(error, dropped)  # what it raises (stdout gone): a defect too
            except BaseException as defect:
                self._defect = defect
                with self._lock:
                    self._draining = False
                raise
            finally:
                with self._lock:
                    self._in_hand = None
