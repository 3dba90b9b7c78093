"""Background delivery of the outbox to webhooks, with retries that never block.

`Deliverer.deliver_due` claims the messages that are due, POSTs each one's body
with an `Idempotency-Key` header, concurrently and under a per-request total
deadline (`asyncio.timeout`), so a hanging receiver costs one slot for at most
`timeout_s` and never delays the others. A 2xx marks the message delivered; any
other answer or failure is recorded as a one-line error in the words a probe's
failure is shown by (`HTTP 500 (expected 2xx): …`, `REFUSED connection refused`,
`TIMEOUT no answer within 5.0 s`, from `tui.net.failures`; never a URL, header value
or environment secret; a receiver's words with their control characters shown, NUL
as ␀) and the message is tried again after
`backoff_s(attempts)`, until `MAX_ATTEMPTS` fail it for good.

Delivery is at least once, made exactly once where receivers honour the key: if
the process dies after the receiver answered 2xx but before the outbox recorded
it, the next start sends the message again with the same `Idempotency-Key`.

httpx is imported lazily, as in `tui.net.probing` (it would pull Rich in).
The outbox is synchronous SQLite; its calls run in a worker thread so an fsync
never stalls the event loop the TUI draws from.
"""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Literal, Protocol

from incident.comms.routing import MAX_ATTEMPTS, OutboxMessage, Target, backoff_s, body_for
from incident.core.clock import Clock
from incident.core.samples import Outcome
from incident.core.secrets import (
    RequestSetupError,
    expand_request,
    safe_line,
    secrets_for,
)
from incident.health.failure_words import OUTCOME_WORDS, named
from store.errors import NotPermitted, StoreError
from tui.net.bounded_body import CorruptBody, UnreadableEncoding, read_at_most
from tui.net.failures import failed_request
from tui.net.first_set import first_set
from tui.net.no_body_allowed import close_if_stray_bytes
from tui.net.outage import Outage

if TYPE_CHECKING:
    import httpx

RESPONSE_PEEK_BYTES = 4096
"""How much of a refusing receiver's answer is read (for an error line); the rest is
dropped, and a 2xx answer's body is not read at all."""
PEEK_S = 2.0
"""How long those words are waited for, within the request's own deadline."""
ERROR = OUTCOME_WORDS[Outcome.ERROR]
"""What a message that could not even be sent (no such target, a variable not set) is."""
DELIVERY_TIMEOUT_S = 5.0
"""How long a delivery waits for its answer unless its deliverer is told otherwise."""
LEASE_MARGIN_S = 30.0
"""A claim lasts the request deadline plus this, so a dead deliverer's claims expire."""


class OutboxLike(Protocol):
    """What the deliverer needs from the store (`store.outbox.Outbox` is one)."""

    def claim(
        self, now: datetime, lease_until: datetime, limit: int = 50
    ) -> list[OutboxMessage]: ...

    def status(
        self, key: str
    ) -> tuple[Literal["pending", "delivered", "failed"], int, str] | None: ...

    def mark_delivered(self, key: str, at: datetime) -> int: ...

    def mark_attempt_failed(
        self, key: str, error: str, next_attempt_at: datetime | None
    ) -> int: ...


@dataclass(frozen=True)
class DeliveryResult:
    """What one attempt came to; `final` when the message will not be tried again."""

    key: str
    incident_id: str
    target: str
    delivered: bool
    attempts: int
    error: str
    """One classified line without secrets; empty when delivered."""
    final: bool
    next_attempt_at: datetime | None = None


class PartlyMarked(StoreError):
    """The outbox refused some outcomes of a round (this error's, the first of them)
    and took the others, `results`: those are to be recorded as any round's are."""

    def __init__(self, first: StoreError, results: list[DeliveryResult]) -> None:
        super().__init__(first.path, first.reason)
        self.results = results


_LONG_AGO = datetime(1, 1, 1, tzinfo=UTC)
"""Before any message is due: a claim of nothing, to learn whether claiming is allowed."""


class CannotDeliver(StoreError):
    """This role may never claim from the outbox (`Deliverer.refusal`): said once, and
    deliveries end rather than pause."""


class Deliverer:
    """Sends due outbox messages to their targets; one per app, on the shared client."""

    def __init__(
        self,
        targets: Mapping[str, Target],
        outbox: OutboxLike,
        client: httpx.AsyncClient,
        clock: Clock,
        env: Mapping[str, str],
        *,
        timeout_s: float = DELIVERY_TIMEOUT_S,
        concurrency: int = 8,
        batch: int = 50,
        max_attempts: int = MAX_ATTEMPTS,
    ) -> None:
        if timeout_s <= 0 or concurrency < 1 or batch < 1 or max_attempts < 1:
            raise ValueError("timeout, concurrency, batch and max_attempts must be positive")
        self._targets = dict(targets)
        self._outbox = outbox
        self._client = client
        self._clock = clock
        self._env = env
        self._timeout_s = timeout_s
        self._slots = asyncio.Semaphore(concurrency)
        self._batch = batch
        self._max_attempts = max_attempts
        self._wake = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        """The loop `run` runs on, once it does: `wake` may be called from other threads."""

    def wake(self) -> None:
        """Ask `run` to look at the outbox now (call after enqueueing), from any thread."""
        loop = self._loop
        if loop is None or loop.is_closed():
            self._wake.set()
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._wake.set()
        else:
            loop.call_soon_threadsafe(self._wake.set)

    async def deliver_due(self) -> list[DeliveryResult]:
        """Try every due message once, concurrently; returns one result per message.

        Returns within about `timeout_s` per `concurrency` messages however the
        receivers behave. Store failures (StoreError) propagate: when the outbox
        took some of the round's outcomes and refused others, as `PartlyMarked`,
        which carries the outcomes it took, so they are recorded all the same (the
        receiver that answered 200 is not sent the message again for another's
        failure).
        """
        now = self._clock.now()
        lease = now + timedelta(seconds=self._timeout_s + LEASE_MARGIN_S)
        messages = await asyncio.to_thread(self._outbox.claim, now, lease, self._batch)
        if not messages:
            return []
        outcomes = await asyncio.gather(
            *(self._deliver(m) for m in messages), return_exceptions=True
        )
        results = [outcome for outcome in outcomes if isinstance(outcome, DeliveryResult)]
        failures = [outcome for outcome in outcomes if not isinstance(outcome, DeliveryResult)]
        for failure in failures:
            if not isinstance(failure, StoreError):
                raise failure  # a defect, or a cancellation: not an outcome to keep
        if failures:
            first = failures[0]
            assert isinstance(first, StoreError)
            raise PartlyMarked(first, results)
        return results

    async def refusal(self) -> StoreError | None:
        """Why this deliverer can never claim a message, or None if it can (or cannot tell).

        A claim of nothing (messages due before the year 1) needs what every claim
        needs, the right to lock and update outbox rows, and changes nothing. Only a
        refusal for good (`NotPermitted`: a role without UPDATE on the outbox, a
        read-only standby or file) ends deliveries; a lock held past its wait or a
        server away is an outage, which `run` rides out (taking those for a refusal
        stopped deliveries for a whole session, a review found).
        """
        try:
            await asyncio.to_thread(self._outbox.claim, _LONG_AGO, _LONG_AGO, 1)
        except NotPermitted as refused:
            why = f"cannot deliver: this role cannot write the outbox ({refused.reason})"
            return CannotDeliver(refused.path, why)
        except StoreError:
            pass
        return None

    async def run(
        self,
        stop: asyncio.Event,
        on_result: Callable[[DeliveryResult], object] | None = None,
        idle_s: float = 0.5,
        store_outage: Outage[StoreError] | None = None,
    ) -> None:
        """Deliver until `stop` is set, checking every `idle_s` or when woken.

        `on_result` (plain or async) sees every result, to record events and
        refresh the status shown.

        A record that cannot be read or written (a PostgreSQL server restarting, a
        full disk) pauses deliveries instead of ending them for the rest of the
        session: `store_outage` hears of each round, and each `idle_s` the round is
        tried again. A result whose recording failed is kept and handed to
        `on_result` first when the store is back, so the record learns of every
        delivery the outbox has made; a round the outbox took only in part hands
        on what it took.

        A role that may read the outbox but never claim from it (`refusal`) is said
        once to `store_outage` and ends the run: it would fail every round alike.
        """
        self._loop = asyncio.get_running_loop()
        outage = store_outage or Outage[StoreError](_unsaid, _unsaid)
        refused = await self.refusal()
        if refused is not None:
            outage.failed(refused)  # said once; no round could ever work
            return
        unrecorded: list[DeliveryResult] = []
        while not stop.is_set():
            self._wake.clear()
            trouble: StoreError | None = None
            try:
                unrecorded += await self.deliver_due()
            except PartlyMarked as partly:
                unrecorded += partly.results
                trouble = partly
            except StoreError as error:
                trouble = error
            try:
                while unrecorded:
                    await _handed(on_result, unrecorded[0])
                    del unrecorded[0]
            except StoreError as error:
                trouble = trouble or error
            if trouble is None:
                outage.worked()
            else:
                outage.failed(trouble)
            if stop.is_set():
                break
            await first_set(stop, self._wake, timeout=idle_s)

    # --- one message ------------------------------------------------------------------

    async def _deliver(self, message: OutboxMessage) -> DeliveryResult:
        async with self._slots:
            error = await self._attempt(message)
        if error is None:
            attempts = await asyncio.to_thread(
                self._outbox.mark_delivered, message.key, self._clock.now()
            )
            return DeliveryResult(
                message.key, message.incident_id, message.target, True, attempts, "", True
            )
        state = await asyncio.to_thread(self._outbox.status, message.key)
        tried = (state[1] if state is not None else 0) + 1
        final = tried >= self._max_attempts
        next_at = None if final else self._clock.now() + timedelta(seconds=backoff_s(tried))
        attempts = await asyncio.to_thread(
            self._outbox.mark_attempt_failed, message.key, error, next_at
        )
        return DeliveryResult(
            message.key,
            message.incident_id,
            message.target,
            False,
            attempts,
            error,
            final,
            next_at,
        )

    async def _attempt(self, message: OutboxMessage) -> str | None:
        """None when the receiver took it (2xx); otherwise a safe one-line error."""
        target = self._targets.get(message.target)
        if target is None:
            return named(ERROR, f"no target named {message.target!r} is configured")
        problem = await self._send(target, message)
        if problem is None:
            return None
        secrets = secrets_for(target.url, target.headers, self._env, webhook=True, uses=target.uses)
        return safe_line(problem, secrets, show_controls=True)

    async def _send(self, target: Target, message: OutboxMessage) -> str | None:
        """None on a 2xx; otherwise what went wrong, raw: `_attempt` makes it safe."""
        try:
            outgoing = expand_request(target.url, target.headers, self._env)
        except RequestSetupError as problem:
            return named(ERROR, str(problem))
        headers = [
            *outgoing.headers,
            ("Idempotency-Key", message.key),
            ("Content-Type", "application/json"),
        ]
        body = json.dumps(body_for(target, message)).encode()
        try:
            async with asyncio.timeout(self._timeout_s):
                status, said = await self._post(outgoing.url, headers, body)
        except Exception as exc:  # every failure is an answer; CancelledError propagates
            return _classify(exc, outgoing.url, self._timeout_s)
        if 200 <= status < 300:
            return None
        return _refused(status, said)

    async def _post(self, url: str, headers: list[tuple[str, str]], body: bytes) -> tuple[int, str]:
        """The status and the start of the answer, in whole words: a token that the
        peek limit cut through is dropped, not kept in part."""
        async with self._client.stream(
            "POST",
            url,
            headers=headers,
            content=body,
            follow_redirects=False,
            timeout=self._timeout_s,
        ) as response:
            status = response.status_code
            await close_if_stray_bytes(response)
            if 200 <= status < 300:
                # Delivered: the body is not read. A receiver that trickled it out
                # was taken for a timeout, and the message sent again and again.
                return status, ""
            try:
                async with asyncio.timeout(PEEK_S):
                    peek, more = await read_at_most(response, RESPONSE_PEEK_BYTES)
            except (TimeoutError, UnreadableEncoding, CorruptBody):
                return status, ""  # the status says what went wrong; the words are extra
            said = peek.decode("utf-8", errors="replace")
            if more and not said[-1:].isspace():
                said = said[: len(said) - len(said.split()[-1])]
            return status, said


async def _handed(
    on_result: Callable[[DeliveryResult], object] | None, result: DeliveryResult
) -> None:
    """`on_result(result)`, awaited if it is a coroutine."""
    if on_result is not None:
        outcome = on_result(result)
        if inspect.isawaitable(outcome):
            await outcome


def _unsaid(error: StoreError) -> None:
    """An outage no one asked to hear of."""


# --- classification -------------------------------------------------------------------


def _refused(status: int, said: str) -> str:
    """A receiver's answer other than 2xx, as a probe's is said (`HTTP 500 (expected 200)`),
    with the start of the receiver's own words: `HTTP 500 (expected 2xx): boom`."""
    line = f"HTTP {status} (expected 2xx)"
    return f"{line}: {said}" if said.strip() else line


def _classify(exc: BaseException, url: str, timeout_s: float) -> str:
    """A request that raised `exc`, in the words a probe's failure is shown by."""
    outcome, detail = failed_request(exc, url, timeout_s)
    return named(OUTCOME_WORDS[outcome], detail)
