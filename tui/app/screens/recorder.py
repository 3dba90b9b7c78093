"""The live screens' session, used from a thread of its own, never from the UI loop.

Appending is a `BEGIN IMMEDIATE` transaction and an fsync, and may wait seconds for
another writer's lock; reading what other writers recorded is a query and a hash
check per event. None of that may hold up a key press, so every use of the session
(a verb's use case, a tick of samples, the once-a-second read of other writers) is
a job run here, one at a time, in the order submitted.

After each job the events it folded into the session (its own, and other writers'
read inside its transaction) are posted to the screen as one `EventsRecorded`, in
order and without gaps. The screen folds them into the state it shows, redraws,
and only then runs the job's reply: a step shows [x] only once its append has
committed, and whatever follows a verb (the next step highlighted) sees it done.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from msgspec import Struct, field
from textual.message import Message
from textual.message_pump import MessagePump

from incident.app.session import IncidentSession
from incident.core.events import Event

T = TypeVar("T")


class Outcome(Struct, Generic[T], frozen=True):
    """How a job ended: its value, or the exception it raised."""

    value: T | None = None
    error: Exception | None = None
    events: list[Event] = field(default_factory=list)
    """The events the job folded into the session, as posted to the screen."""

    def unwrap(self) -> T:
        """The value; the job's exception raised again if it failed."""
        if self.error is not None:
            raise self.error
        return self.value  # type: ignore[return-value]


Reply = Callable[[Outcome[T]], None]
"""Runs on the UI loop once the job's events are folded and drawn."""


class EventsRecorded(Message):
    """Events the record holds that the screen has not shown yet, oldest first."""

    def __init__(
        self,
        events: list[Event],
        reply: Callable[[], None] | None = None,
        *,
        recorded_here: frozenset[int] = frozenset(),
    ) -> None:
        super().__init__()
        self.events = events
        """Committed and verified: fold them, in this order."""
        self.recorded_here = recorded_here
        """The `seq`s of those this screen's session appended; the rest came from other
        writers (another terminal, a pipeline), whoever they record as."""
        self.reply = reply
        """What the job that read or recorded them does next, once they are drawn."""


class Recorder:
    """One session, one thread: jobs run in turn and post what they folded."""

    def __init__(self, session: IncidentSession, screen: MessagePump) -> None:
        self.session = session
        """Used only from the recorder's thread once the screen is up."""
        self._screen = screen
        self._executor = concurrent.futures.ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="lastgood-record"
        )
        self._lock = threading.Lock()
        self._pending = 0
        self._kinds: dict[str, int] = {}

    @property
    def pending(self) -> int:
        """Jobs submitted whose events and reply the screen has not handled yet."""
        return self._pending

    def busy(self, kind: str) -> bool:
        """Whether a job submitted as `kind` is still waiting or running."""
        return self._kinds.get(kind, 0) > 0

    def submit(
        self,
        job: Callable[[IncidentSession], T],
        reply: Reply[T] | None = None,
        *,
        kind: str = "",
    ) -> concurrent.futures.Future[T]:
        """Run `job` on the session in turn; then post its events and `reply`.

        Thread-safe: the network thread submits sample batches too. The future
        resolves on the recorder's thread, before the screen has drawn anything;
        use `reply` (or `call`) for what must see the events on screen.
        """
        with self._lock:
            self._pending += 1
            self._kinds[kind] = self._kinds.get(kind, 0) + 1
        return self._executor.submit(self._run, job, reply, kind)

    async def call(self, job: Callable[[IncidentSession], T], *, kind: str = "") -> Outcome[T]:
        """`submit` from the UI loop, resolved once the events are on screen."""
        loop = asyncio.get_running_loop()
        done: asyncio.Future[Outcome[T]] = loop.create_future()

        def settle(outcome: Outcome[T]) -> None:
            if not done.done():
                done.set_result(outcome)

        self.submit(job, settle, kind=kind)
        return await done

    def _run(self, job: Callable[[IncidentSession], T], reply: Reply[T] | None, kind: str) -> T:
        value: T | None = None
        error: Exception | None = None
        try:
            value = job(self.session)
        except Exception as exc:  # handed to the reply, on the UI loop
            error = exc
        events = self.session.take_applied()
        recorded_here = self.session.take_appended_here()
        outcome = Outcome(value, error, events)

        def settle() -> None:
            with self._lock:
                self._pending -= 1
                self._kinds[kind] -= 1

        def finish() -> None:
            settle()
            if reply is not None:
                reply(outcome)

        recorded = EventsRecorded(events, finish, recorded_here=recorded_here)
        if not self._screen.post_message(recorded):
            settle()  # the screen is gone: nothing to draw, nobody to reply to
        if error is not None:
            raise error
        return value  # type: ignore[return-value]

    def close(self) -> None:
        """Finish the jobs already submitted (they were asked for), then stop the thread."""
        self._executor.shutdown(wait=True)
