"""The coordinator's screen delivering recorded messages to the runbook's webhooks.

Apart from the messages themselves (`tui.app.screens.comms`) because it changes for
its own reasons: the outbox, the network loop, a record out of reach. Each outcome is
recorded through the screen's recorder like a keypress; a pause or a stop is said in
one toast that "resumed" replaces.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from incident.app.outcome import SYSTEM_ACTOR
from store.errors import StoreError
from tui.app.plain import UNTIL_REPLACED_S
from tui.app.widgets.incident_bar import IncidentBar

if TYPE_CHECKING:  # the network is loaded after the first frame
    from store.backends import OutboxRecord
    from tui.app.screens.desk import Desk
    from tui.net.client import HttpClient
    from tui.net.delivery import DeliveryResult
    from tui.net.network_loop import NetworkLoop
    from tui.net.notifier import Notifier

DELIVERIES_TITLE = "Deliveries"
"""The title of the toasts that say webhook deliveries paused and resumed."""

OUTBOX_RETRY_S = 5.0
"""How often deliveries try the outbox again while the record is out of reach."""


class Deliveries:
    """The screen's webhook deliveries: the notifier and its loop, while they run."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self.notifier: Notifier | None = None
        """Delivers messages to the runbook's webhooks, once the network is up (if it has any)."""
        self.loop: concurrent.futures.Future[None] | None = None
        """The delivery loop on the network thread; cancelled with the screen (`stop`)."""
        self._outbox_waiting = False
        """Whether the outbox was out of reach at the last try (`open`)."""
        self._retrying: dict[str, str] = {}
        """Each target whose last try failed and will be tried again: that try's error."""

    def open(
        self,
        network: NetworkLoop,
        open_outbox: Callable[[], OutboxRecord | None],
        max_attempts: int | None,
        *,
        gone: Callable[[], bool],
    ) -> None:
        """Deliver to the runbook's webhooks, if it has any: the outbox is opened only
        for them. A record out of reach (a PostgreSQL server restarting) pauses them,
        said once, and they start when it answers (tried every `OUTBOX_RETRY_S`, until
        the screen is `gone`): opening the outbox then ended the app in a traceback."""
        if gone() or not self.desk.state.runbook.notify_targets:
            return
        try:
            outbox = open_outbox()
        except StoreError as error:
            if not self._outbox_waiting:
                self.say(error)
            self._outbox_waiting = True
            again = partial(self.open, network, open_outbox, max_attempts, gone=gone)
            self.desk.screen.set_timer(OUTBOX_RETRY_S, again)
            return
        if self._outbox_waiting:
            self.say(None)
            self._outbox_waiting = False
        if outbox is not None:
            self.start(network, outbox, max_attempts)

    def start(self, network: NetworkLoop, outbox: OutboxRecord, max_attempts: int | None) -> None:
        """Deliver to the runbook's webhooks on the network loop, recording each outcome."""
        if not self.desk.state.runbook.notify_targets:
            return
        from tui.net.notifier import Notifier

        recorder = self.desk.recorder

        async def deliver(client: HttpClient) -> None:
            notifier = Notifier(
                recorder.session,
                outbox,
                client,
                actor=SYSTEM_ACTOR,
                on_recorded=lambda events: None,  # shown from the recorder's messages
                max_attempts=max_attempts,
            )
            self.notifier = notifier

            call = self.desk.screen.app.call_from_thread

            async def record(result: DeliveryResult) -> None:
                job = recorder.submit(lambda s: notifier.record(result), kind="delivery")
                await asyncio.wrap_future(job)
                call(self.tried, result)

            from tui.net.outage import Outage

            paused = Outage[StoreError](
                lambda error: call(self.say, error),
                lambda _: call(self.say, None),
            )
            await notifier.deliverer.run(notifier.stop, record, store_outage=paused)

        self.loop = network.submit(deliver)

    def tried(self, result: DeliveryResult) -> None:
        """A failed try of a message still to go is said in the bar at once, with its
        error, while the retries go on; the bar's `pending` again once a message goes
        or fails for good: it said "pending" for two minutes of HTTP 500s, and the
        error showed only once every try had failed (a fresh user's review). A toast
        said it first, and pushed the due message's cue off the screen."""
        if result.delivered or result.final:
            self._retrying.pop(result.target, None)
        else:
            self._retrying[result.target] = result.error
        error = next(iter(self._retrying.values()), "")
        for bar in self.desk.view.query(IncidentBar):
            bar.mark_retrying(error)

    def say(self, trouble: StoreError | None) -> None:
        """Webhook deliveries paused because the record cannot be reached, or resumed.

        The same title, so "resumed" replaces "paused"; the paused toast stays up
        until then, since until then no message reaches its webhooks."""
        if trouble is None:
            self.desk.notify("Webhook deliveries resumed", title=DELIVERIES_TITLE)
            return
        from tui.net.delivery import CannotDeliver  # loaded with the network, by now

        if isinstance(trouble, CannotDeliver):  # for good: no retry is coming
            self.desk.notify(
                f"Webhook deliveries stopped: {trouble}",
                title=DELIVERIES_TITLE,
                severity="error",
                timeout=UNTIL_REPLACED_S,
            )
            return
        self.desk.notify(
            f"Webhook deliveries paused, retrying: {trouble}",
            title=DELIVERIES_TITLE,
            severity="warning",
            timeout=UNTIL_REPLACED_S,
        )

    def stop(self) -> None:
        """The screen is going: the loop cancelled."""
        if self.loop is not None:
            self.loop.cancel()
