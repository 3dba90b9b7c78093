"""Other machines' events as they commit, for a record that can say so (PostgreSQL).

A SQLite file has no way to tell a reader it changed, so screens on one read it every
second. A PostgreSQL record notifies each commit (LISTEN/NOTIFY): a screen on it
reads only when told, and learns of another machine's event within the notice's
round trip instead of within a second.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from textual.screen import Screen
from textual.worker import get_current_worker

from store.errors import StoreError

WAIT_S = 1.0
"""How long the listener blocks before looking whether its screen went away."""


class Listener(Protocol):
    def wait(self, timeout_s: float) -> int | None: ...

    def close(self) -> None: ...


def start_live_feed(
    screen: Screen[Any], log: object, incident_id: str, on_append: Callable[[], None]
) -> bool:
    """Call `on_append` on the UI loop after each commit to the incident by anyone.

    False when the record cannot notify (a SQLite file): the screen keeps polling.
    """
    listen: Callable[[str], Listener] | None = getattr(log, "listen", None)
    if listen is None:
        return False
    try:
        listener = listen(incident_id)
    except StoreError as error:
        screen.notify(f"{error}; reading every second instead", severity="warning")
        return False

    def watch() -> None:
        worker = get_current_worker()
        try:
            while not worker.is_cancelled:
                if listener.wait(WAIT_S) is not None and not worker.is_cancelled:
                    screen.app.call_from_thread(on_append)
        except StoreError as error:
            screen.app.call_from_thread(screen.notify, str(error), severity="error")
        finally:
            listener.close()

    screen.run_worker(watch, thread=True, group="live-feed", exit_on_error=False)
    return True
