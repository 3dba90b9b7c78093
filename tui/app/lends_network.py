"""What the app lends the coordinator's screen of the network: the thread where probes
and webhooks run on one HTTP client, and the outbox of messages waiting for their
webhooks (`tui.app.screens.services`).

Each is made on first use, which the screen makes after its first frame, and closed
with the app; nothing of httpx, SSL or the outbox is loaded before the coordinator
sees the incident.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.app import App

from incident.core.log import EventLog

if TYPE_CHECKING:
    from store.backends import OutboxRecord
    from tui.net.network_loop import NetworkLoop


class LendsNetwork(App[None]):
    """An app that starts the network and opens the outbox when its screen first asks,
    and stops and closes them as it ends."""

    event_log: EventLog
    with_network: bool
    """The network on: deliver the runbook's webhook messages and poll its probes
    (tests and screenshots turn it off)."""
    _network: NetworkLoop | None = None
    _outbox: OutboxRecord | None = None

    def network(self) -> NetworkLoop | None:
        """The thread where probes and webhooks run on the app's one HTTP client.

        Started on first use, which the incident screen makes after its first frame:
        nothing of httpx or SSL is loaded before the coordinator sees the incident.
        """
        if not self.with_network:
            return None
        if self._network is None:
            from tui.net.network_loop import NetworkLoop

            self._network = NetworkLoop()
        return self._network

    def outbox(self) -> OutboxRecord | None:
        """Messages waiting for their webhooks, in the same database as the log (its
        SQLite file or its PostgreSQL database)."""
        opener: Callable[[], OutboxRecord] | None = getattr(self.event_log, "open_outbox", None)
        if not self.with_network or opener is None:
            return None
        if self._outbox is None:
            self._outbox = opener()
        return self._outbox

    def on_unmount(self) -> None:
        if self._network is not None:
            self._network.stop()
        if self._outbox is not None:
            self._outbox.close()
