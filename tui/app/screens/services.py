"""What the app lends the coordinator's screen once its first frame is up.

The network loop, the outbox and the polling settings are the app's (made after the
first frame, so that nothing the frame does not need delays it); the screen asks for
them through this protocol, and a test's bare app, which lends none, leaves the
screen polling and delivering nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:  # the network and the outbox are loaded after the first frame
    from store.backends import OutboxRecord
    from tui.app.keys_first import KeysFirst
    from tui.net.network_loop import NetworkLoop


@runtime_checkable
class Services(Protocol):
    """What the app lends the screen once its first frame is up: the network, the outbox."""

    delivery_attempts: int | None
    poll_probes: bool
    probes_in_child: str | None
    keys_first: KeysFirst

    def after_first_frame(self, screen: object, callback: Callable[[], object]) -> None: ...

    def network(self) -> NetworkLoop | None: ...

    def outbox(self) -> OutboxRecord | None: ...
