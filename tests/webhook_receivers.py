"""Real webhook receivers on 127.0.0.1 for the outbox tests.

`WebhookReceiver(answers)` is a small HTTP/1.1 asyncio server on an ephemeral port,
run in the test's own loop: `async with WebhookReceiver(...) as hook: ...`. Every
request is recorded with its body, headers and the status it was answered with, so
tests can count what actually arrived. `answers(n)` decides how the n-th request
(1-based) is answered: a status code, or None to accept it and never answer.

Each receiver's URLs start with a prefix of its own. A port closed at the end of one
test can be handed to the next receiver, on this or another xdist worker, while a
deliverer elsewhere still retries a message to it; such a request is answered 404
and kept in `strays`, and neither counts as one of `requests` nor advances `answers`.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.http_servers import unused_port

Answers = Callable[[int], "int | None"]


def always(status: int) -> Answers:
    return lambda _n: status


def fail_first(times: int, status: int = 500) -> Answers:
    """`status` for the first `times` requests, then 200."""
    return lambda n: status if n <= times else 200


def hang_forever(_n: int) -> int | None:
    return None


@dataclass
class Delivery:
    """One request as the receiver saw it."""

    path: str
    headers: dict[str, str]
    """Lower-cased names."""
    body: bytes
    answered: int | None = None
    """The status sent back; None while (or if never) answered."""
    document: object = field(default=None)

    @property
    def key(self) -> str:
        return self.headers.get("idempotency-key", "")


class WebhookReceiver:
    def __init__(self, answers: Answers | None = None, *, prefix: str | None = None) -> None:
        """`prefix`: where this receiver's paths start; by default a random one of its own."""
        self.answers = answers or always(200)
        self.requests: list[Delivery] = []
        self.strays: list[Delivery] = []
        """Requests for a path not under this receiver's prefix: meant for another."""
        self._prefix = f"/{secrets.token_hex(4)}" if prefix is None else prefix
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._writers: set[asyncio.StreamWriter] = set()

    @property
    def port(self) -> int:
        assert self._server is not None
        return int(self._server.sockets[0].getsockname()[1])

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{self._prefix}{path}"

    def accepted_keys(self) -> list[str]:
        """Idempotency keys of the requests answered 2xx, in arrival order."""
        return [r.key for r in self.requests if r.answered is not None and 200 <= r.answered < 300]

    async def __aenter__(self) -> WebhookReceiver:
        self._server = await asyncio.start_server(self._connection, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        for writer in list(self._writers):
            writer.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._server.wait_closed()

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        self._writers.add(writer)
        try:
            while await self._exchange(reader, writer):
                pass
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass
        finally:
            self._tasks.discard(task)
            self._writers.discard(writer)
            writer.close()

    async def _exchange(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        try:
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
        except asyncio.IncompleteReadError:
            return False
        request_line, *lines = head.split("\r\n")
        _method, target, _version = request_line.split(" ", 2)
        headers: dict[str, str] = {}
        for line in lines:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        body = await reader.readexactly(int(headers.get("content-length", "0") or 0))
        ours = target.startswith(f"{self._prefix}/")
        received = Delivery(target.removeprefix(self._prefix), headers, body)
        try:
            received.document = json.loads(body)
        except ValueError:
            received.document = None
        if ours:
            self.requests.append(received)
            status = self.answers(len(self.requests))
        else:
            self.strays.append(received)
            status = 404
        if status is None:
            await asyncio.Event().wait()  # accept, never answer
            return False
        reply = json.dumps({"ok": 200 <= status < 300}).encode()
        writer.write(
            (
                f"HTTP/1.1 {status} Status\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(reply)}\r\n\r\n"
            ).encode("latin-1")
            + reply
        )
        await writer.drain()
        received.answered = status
        return True


__all__ = [
    "Delivery",
    "WebhookReceiver",
    "always",
    "fail_first",
    "hang_forever",
    "unused_port",
]
