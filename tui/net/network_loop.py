"""A thread with an asyncio loop of its own, where a face's HTTP traffic runs.

The Textual app's event loop draws the screen and answers keys; 200 probes a
second parsed there (and their recording) made a key wait for whole polling
rounds. Here the probes and the webhook deliveries share the app's one
`AsyncClient`, made in this thread (its SSL context too) once the first frame is
on screen, and the UI loop only receives what they recorded, as messages.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from tui.net.client import HttpClient, close_client, make_client

T = TypeVar("T")

STOP_WAIT_S = 5.0
"""How long `stop` waits for the loop to close the client and end."""


class NetworkLoop:
    """Runs coroutines that need the shared client, off the caller's thread."""

    def __init__(self, *, max_connections: int = 32) -> None:
        self._max_connections = max_connections
        self._loop = asyncio.new_event_loop()
        self._client: HttpClient | None = None
        self._thread = threading.Thread(target=self._main, name="lastgood-network", daemon=True)
        self._thread.start()

    def _main(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_forever()
        finally:
            self._loop.run_until_complete(self._close())
            self._loop.close()

    async def _with_client(self, work: Callable[[HttpClient], Coroutine[Any, Any, T]]) -> T:
        if self._client is None:
            self._client = make_client(max_connections=self._max_connections)
        return await work(self._client)

    async def _close(self) -> None:
        tasks = [t for t in asyncio.all_tasks(self._loop) if not t.done()]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(BaseException):
                await task
        if self._client is not None:
            await close_client(self._client)
            self._client = None

    def submit(
        self, work: Callable[[HttpClient], Coroutine[Any, Any, T]]
    ) -> concurrent.futures.Future[T]:
        """Run `work(client)` on the network loop; cancel the future to stop it."""
        return asyncio.run_coroutine_threadsafe(self._with_client(work), self._loop)

    def call_soon(self, callback: Callable[[], object]) -> None:
        """Run `callback` on the network loop (to set its asyncio events, say)."""
        self._loop.call_soon_threadsafe(callback)

    def stop(self) -> None:
        """Cancel what runs, close the client and end the thread (waits a few seconds)."""
        if self._loop.is_closed():
            return
        with contextlib.suppress(RuntimeError):  # already stopping
            self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(STOP_WAIT_S)
