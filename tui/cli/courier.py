"""Messages without a screen: what `lastgood deliver`, `send` and `monitor` share.

The TUI sends due `mode: auto` messages, hands recorded messages to the outbox and
delivers them while it is open. A coordinator working from the CLI, or a bastion
running `monitor`, needs the same without a terminal UI; this is that, printing a
line per outcome instead of drawing a timeline.

Only an incident whose runbook names webhook targets has anything to deliver: the
HTTP client (httpx, with asyncio and its SSL) is loaded when the courier is entered
for one, so `lastgood note` on any other incident records its due messages without.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from incident.app.autosend import record_auto_sends, record_overdue
from incident.app.outcome import SYSTEM_ACTOR
from incident.app.session import IncidentSession
from incident.comms.due import DueMessage, awaiting_confirmation
from incident.comms.notifications import failed_keys
from incident.core.errors import CommandError
from incident.core.events import Event, Kind
from incident.reports.describe import describe
from store.backends import OutboxRecord, open_outbox
from store.errors import StoreError

if TYPE_CHECKING:
    import asyncio

    from tui.cli.store_thread import StoreThread
    from tui.net.client import HttpClient
    from tui.net.delivery import DeliveryResult
    from tui.net.notifier import Notifier

AUTO_ACTOR = SYSTEM_ACTOR
_SHOWN = (Kind.COMMUNICATION_SENT, Kind.STEP_CHECKED, Kind.UPDATE_OVERDUE)


class Courier:
    """Auto-sends, outbox hand-over and delivery for one incident, printed as lines.

    Use as an async context manager: it owns its HTTP client and outbox connection.
    """

    def __init__(
        self,
        session: IncidentSession,
        db: Path | str,
        *,
        say: Callable[[str], None],
        max_attempts: int | None = None,
        timeout_s: float | None = None,
    ) -> None:
        self.session = session
        self.db = db
        self.say = say
        self.max_attempts = max_attempts
        self.timeout_s = timeout_s
        """How long one delivery waits for its answer; None: the deliverer's bound."""
        self.notifier: Notifier | None = None
        self._outbox: OutboxRecord | None = None
        self._client: HttpClient | None = None
        self._told: set[tuple[str, datetime]] = set()
        """The messages awaiting confirmation already said to be due (`run`), by
        template and when they fell due: each said once."""
        self._failing: set[str] = set()
        """The targets said to be failing (`run`) whose deliveries have not worked since."""

    async def __aenter__(self) -> Courier:
        if self.session.state.runbook.notify_targets:
            from tui.net.client import make_client
            from tui.net.notifier import Notifier

            self._outbox = open_outbox(self.db)
            self._client = make_client()
            self.notifier = Notifier(
                self.session,
                self._outbox,
                self._client,
                actor=AUTO_ACTOR,
                on_recorded=self._print_events,
                max_attempts=self.max_attempts,
                timeout_s=self.timeout_s,
            )
            # A role that can never claim a message is refused here, in one line:
            # `monitor` took it for an outage and tried every half second for good.
            refused = await self.notifier.deliverer.refusal()
            if refused is not None:
                await self._close()
                raise refused
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self._close()

    async def _close(self) -> None:
        client, self._client = self._client, None
        outbox, self._outbox = self._outbox, None
        if client is not None:
            from tui.net.client import close_client

            await close_client(client)
        if outbox is not None:
            outbox.close()

    def catch_up(self) -> list[Event]:
        """Send what is due by itself, record a stakeholder update missed, and hand every
        recorded message to the outbox: what an open TUI does on every tick."""
        recorded = record_auto_sends(self.session) + record_overdue(self.session)
        self._print_events(recorded)
        if self.notifier is not None:
            recorded += self.notifier.sync()
        return recorded

    def resend_failed(self, by: str) -> int:
        """Try again every message that failed for good, recorded as asked for by `by`."""
        if self.notifier is None:
            return 0
        recorded = self.notifier.requeue(failed_keys(self.session.state), by=by)
        self._print_events(recorded)
        return len(recorded)

    def pending(self) -> int:
        if self._outbox is None:
            return 0
        return self._outbox.pending_count(self.session.state.id)

    async def deliver_round(self) -> None:
        """One attempt at every due message, each bounded by the delivery timeout."""
        if self.notifier is None:
            return
        from tui.net.delivery import PartlyMarked

        try:
            results = await self.notifier.deliverer.deliver_due()
        except PartlyMarked as partly:  # what the outbox took is recorded all the same
            self._record(partly.results)
            raise
        self._record(results)

    def _record(self, results: list[DeliveryResult]) -> None:
        assert self.notifier is not None
        for result in results:
            self.notifier.record(result)
            if not result.delivered and not result.final:
                self.say(f"Delivery to {result.target} failed ({result.error}); will retry")

    async def deliver_until_settled(self, wait_s: float) -> None:
        """Deliver, with retries, until nothing is pending or `wait_s` has passed."""
        import asyncio

        deadline = time.monotonic() + wait_s
        while self.pending() and time.monotonic() < deadline:
            await self.deliver_round()
            if self.pending():
                await asyncio.sleep(min(0.5, max(0.0, deadline - time.monotonic())))

    async def run(
        self, stop: asyncio.Event, tick_s: float = 1.0, *, store: StoreThread | None = None
    ) -> None:
        """Until `stop`: once a tick, pick up other writers' events and catch up;
        deliveries run alongside with their own retries.

        A tick the record refuses (a PostgreSQL server restarting, a message it will
        not hold) is said once and tried again at the next: a monitor on a bastion
        outlives both, where it used to end in a traceback.

        With `store`, every use of the session (a tick, a delivery's outcome recorded)
        is a job on its thread, so a record that takes long to answer holds up nothing
        else on the loop (`monitor`'s probes)."""
        import asyncio

        from tui.net.outage import Outage  # a running courier: the network is loaded

        call: Callable[[Callable[[], object]], Awaitable[object]] = (
            _inline if store is None else store.call
        )
        deliveries = None
        notifier = self.notifier
        if notifier is not None:
            paused = Outage[StoreError](
                lambda error: self.say(f"deliveries paused: {error}; trying again"),
                lambda _: self.say("deliveries: working again"),
            )

            async def record(result: DeliveryResult) -> None:
                def recorded() -> None:  # said where the session is used
                    notifier.record(result)
                    self._say_failing(result)

                await call(recorded)

            deliveries = asyncio.create_task(
                notifier.deliverer.run(notifier.stop, record, store_outage=paused)
            )
        refused = Outage[Exception](
            lambda error: self.say(f"messages: {error}; trying again every {tick_s:g}s"),
            lambda _: self.say("messages: working again"),
        )
        try:
            while not stop.is_set():
                try:
                    await call(self._tick)
                except (StoreError, CommandError) as error:
                    refused.failed(error)
                else:
                    refused.worked()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), tick_s)
        finally:
            if deliveries is not None and self.notifier is not None:
                from tui.cli.store_thread import finished

                self.notifier.stop.set()
                await finished(deliveries)

    def _say_failing(self, result: DeliveryResult) -> None:
        """A target whose deliveries start failing, said once (`deliver` says each try,
        but a monitor retries for hours): `deliveries to ops failing: REFUSED …;
        retrying`. Its end is the delivery's own line (`Delivered to ops after 8
        tries`), or the one that gives up (`… FAILED after …`)."""
        if result.delivered or result.final:
            self._failing.discard(result.target)
        elif result.target not in self._failing:
            self._failing.add(result.target)
            self.say(f"deliveries to {result.target} failing: {result.error}; retrying")

    def _tick(self) -> None:
        self.session.refresh()
        self.catch_up()
        for line in self.newly_due_lines():
            self.say(line)

    def awaiting_lines(self, incident_id: str) -> list[str]:
        """How to act on messages that wait for the coordinator's confirmation: what a
        verb says after it records (`due_lines`)."""
        return due_lines(
            incident_id, awaiting_confirmation(self.session.state, self.session.clock.now())
        )

    def newly_due_lines(self) -> list[str]:
        """`awaiting_lines` of the messages not said yet by this courier: what a running
        `monitor` says as each falls due (an update each time the cadence comes round),
        once, where a verb says all that wait after it records."""
        due = awaiting_confirmation(self.session.state, self.session.clock.now())
        fresh = [message for message in due if (message.template, message.due_at) not in self._told]
        self._told.update((message.template, message.due_at) for message in fresh)
        return [due_line(self.session.state.id, message) for message in fresh]

    def _print_events(self, events: list[Event]) -> None:
        for event in events:
            if event.kind in _SHOWN or event.kind.startswith("notification."):
                self.say(describe(event))


def due_line(incident_id: str, message: DueMessage) -> str:
    """A message that waits for the coordinator, and how to send or decline it: one
    wording for the verbs (after they record) and `monitor` (as it falls due)."""
    return (
        f"due: the {message.template} message ({message.moment}); send it with "
        f"`lastgood send {incident_id} --template {message.template}` or decline with "
        f"`lastgood decline {incident_id} {message.template} --reason ...`"
    )


def due_lines(incident_id: str, due: list[DueMessage]) -> list[str]:
    """The messages that wait, named on one line, and the two commands that settle them
    once each, the ID in each, the template a `NAME` when more than one waits:

        due: the announce and paging messages (step:decide-rollback)
          send them: lastgood send INC-20261207-769C --template NAME
          or decline one: lastgood decline INC-20261207-769C NAME --reason ...

    A verb said `due_line` for each: from a phone (46 columns) three messages took 17
    wrapped lines, the 17-character ID six times and the commands broken mid-word
    (ux_review13 #4). A pipe gets these lines, a terminal them wrapped at words."""
    if not due:
        return []
    moments: dict[str, list[str]] = {}
    for message in due:
        moments.setdefault(message.moment, []).append(message.template)
    if len(moments) == 1:
        [(moment, names)] = moments.items()
        said = f"{_and(names)} {'message' if len(names) == 1 else 'messages'} ({moment})"
    else:
        said = _and([f"{_and(names)} ({moment})" for moment, names in moments.items()])
        said += " messages"
    if len(due) == 1:
        name = due[0].template
        send, decline = f"send it: lastgood send {incident_id} --template {name}", "or decline it"
        decline += f": lastgood decline {incident_id} {name} --reason ..."
    else:
        send = f"send them: lastgood send {incident_id} --template NAME"
        decline = f"or decline one: lastgood decline {incident_id} NAME --reason ..."
    return [f"due: the {said}", f"  {send}", f"  {decline}"]


def _and(names: list[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


async def _inline(job: Callable[[], object]) -> object:
    """`job` run where the courier runs (`deliver`, `send`: nothing else waits on the loop)."""
    return job()
