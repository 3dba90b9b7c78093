"""Other machines' events as they commit, for a record that can say so (PostgreSQL).

A SQLite file has no way to tell a reader it changed, so screens on one read it every
second. A PostgreSQL record notifies each commit (LISTEN/NOTIFY): a screen on it
reads only when told, and learns of another machine's event within the notice's
round trip instead of within a second.

The feed outlives its connection: when the server restarts, the coordinator is told
once that the connection is lost, the feed tries again every `RETRY_S`, and once it
listens again it says so and has the screen read what was committed meanwhile.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Protocol

from textual.screen import Screen
from textual.worker import get_current_worker

from store.errors import StoreError
from tui.app.plain import UNTIL_REPLACED_S, reason_first

WAIT_S = 1.0
"""How long the listener blocks before looking whether its screen went away."""
RETRY_S = 1.0
"""How long the feed waits between tries to reach a server it lost."""
CONNECTION_TITLE = "Connection"
"""The title of the lost and reconnected toasts: the newer replaces the older."""


class Listener(Protocol):
    def wait(self, timeout_s: float) -> int | None: ...

    def close(self) -> None: ...


def start_live_feed(
    screen: Screen[Any],
    log: object,
    incident_id: str,
    on_append: Callable[[], None],
    on_reach: Callable[[bool], None] | None = None,
) -> bool:
    """Call `on_append` on the UI loop after each commit to the incident by anyone;
    `on_reach(False)` once the connection is lost, `on_reach(True)` once it listens
    again (the Production panel's mark follows: `IncidentView.record_reached`).

    False when the record cannot notify (a SQLite file): the screen keeps polling.
    """
    listen: Callable[[str], Listener] | None = getattr(log, "listen", None)
    if listen is None:
        return False
    try:
        listener = listen(incident_id)
    except StoreError as error:
        screen.notify(f"Reading every second instead: {reason_first(error)}", severity="warning")
        return False

    def watch() -> None:
        from tui.net.outage import Outage  # the network package waits past the first frame

        worker = get_current_worker()

        def reached(said: Callable[[Screen[Any], StoreError], None], now: bool) -> Any:
            def on_ui_loop(error: StoreError) -> None:
                said(screen, error)
                if on_reach is not None:
                    on_reach(now)

            return lambda error: screen.app.call_from_thread(on_ui_loop, error)

        lost = Outage[StoreError](reached(say_lost, False), reached(say_reconnected, True))
        try:
            while not worker.is_cancelled:
                try:
                    heard = listener.wait(WAIT_S)
                except StoreError as error:
                    lost.failed(error)
                    time.sleep(RETRY_S)
                    continue
                lost.worked()
                if heard is not None and not worker.is_cancelled:
                    screen.app.call_from_thread(on_append)
        finally:
            listener.close()

    screen.run_worker(watch, thread=True, group="live-feed", exit_on_error=False)
    return True


def say_lost(screen: Screen[Any], error: StoreError) -> None:
    """Said once per outage, not at each try: what matters is that recording may fail
    until the reconnected toast (which replaces this one) says otherwise. The words
    first: the URL after them fills a toast's width at 100x30."""
    screen.notify(
        f"Database unreachable, retrying: {error.path}",
        title=CONNECTION_TITLE,
        severity="warning",
        timeout=UNTIL_REPLACED_S,
        markup=False,
    )


def say_reconnected(screen: Screen[Any], lost: StoreError) -> None:
    screen.notify(f"Reconnected to {lost.path}", title=CONNECTION_TITLE, markup=False)
