"""Small real HTTP/1.1 servers on 127.0.0.1 for the probe tests.

`LoopbackServer` is an asyncio server on an ephemeral port, run in the test's own
event loop: `async with LoopbackServer(routes) as server: ...`. Leaving the block
closes the listener, every open connection and every handler still running (a
hanging or dripping route included). Each request is recorded with its headers, so
tests can check what actually went over the wire.
"""

from __future__ import annotations

import asyncio
import json
import socket
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

HEALTH = {"status": "ok", "version": "2.4.1", "error_rate": 0.12}


@dataclass
class Received:
    """A request as the server saw it."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    """Lower-cased names; a repeated header keeps its last value."""


Handler = Callable[["Received", "Reply"], Awaitable[None]]


class Reply:
    """Writes a response to one request."""

    def __init__(self, server: LoopbackServer, writer: asyncio.StreamWriter) -> None:
        self._server = server
        self._writer = writer
        self.keep_alive = True

    async def head(self, status: int, headers: dict[str, str]) -> None:
        lines = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Status')}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        self._writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        await self._writer.drain()

    async def send(self, data: bytes) -> None:
        self._writer.write(data)
        await self._writer.drain()
        self._server.body_bytes_sent += len(data)

    async def full(self, status: int, body: bytes, content_type: str = "text/plain") -> None:
        await self.head(status, {"Content-Type": content_type, "Content-Length": str(len(body))})
        await self.send(body)

    async def json(self, document: object, status: int = 200) -> None:
        await self.full(status, json.dumps(document).encode(), "application/json")

    def close_after(self) -> None:
        self.keep_alive = False


class LoopbackServer:
    def __init__(self, routes: dict[str, Handler]) -> None:
        self.routes = routes
        self.requests: list[Received] = []
        self.body_bytes_sent = 0
        """Body bytes the server managed to hand to the kernel, across all responses."""
        self.in_flight = 0
        self.peak_in_flight = 0
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.Task[None]] = set()
        self._writers: set[asyncio.StreamWriter] = set()

    @property
    def port(self) -> int:
        assert self._server is not None
        return int(self._server.sockets[0].getsockname()[1])

    def url(self, path: str = "/", scheme: str = "http") -> str:
        return f"{scheme}://127.0.0.1:{self.port}{path}"

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]

    async def __aenter__(self) -> LoopbackServer:
        self._server = await asyncio.start_server(self._connection, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        for writer in list(self._writers):
            writer.close()
        for task in list(self._connections):
            task.cancel()
        await asyncio.gather(*self._connections, return_exceptions=True)
        await self._server.wait_closed()

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        self._writers.add(writer)
        try:
            while await self._exchange(reader, writer):
                pass
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        except asyncio.CancelledError:
            # Only `__aexit__` cancels these; ending quietly keeps 3.11's stream
            # callback from logging the cancellation as an error.
            pass
        finally:
            self._connections.discard(task)
            self._writers.discard(writer)
            writer.close()

    async def _exchange(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        """Serve one request; False when the connection should close."""
        first = await reader.read(1)
        if not first:
            return False
        if not first.isalpha():  # not HTTP (a TLS ClientHello, say): answer as servers do
            writer.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
            await writer.drain()
            return False
        head = (first + await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
        request_line, *header_lines = head.split("\r\n")
        method, target, _version = request_line.split(" ", 2)
        headers = {}
        for line in header_lines:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        if int(headers.get("content-length", "0") or 0):
            await reader.readexactly(int(headers["content-length"]))
        parts = urlsplit(target)
        received = Received(method, parts.path, dict(parse_qsl(parts.query)), headers)
        self.requests.append(received)
        reply = Reply(self, writer)
        handler = self.routes.get(parts.path)
        self.in_flight += 1
        self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
        try:
            if handler is None:
                await reply.full(404, b"not found")
            else:
                await handler(received, reply)
        finally:
            self.in_flight -= 1
        return reply.keep_alive


def unused_port() -> int:
    """A port on 127.0.0.1 with nothing listening (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- routes -------------------------------------------------------------------------


def json_route(document: object, status: int = 200) -> Handler:
    async def handler(request: Received, reply: Reply) -> None:
        await reply.json(document, status)

    return handler


def raw_route(body: bytes, status: int = 200, content_type: str = "text/plain") -> Handler:
    async def handler(request: Received, reply: Reply) -> None:
        await reply.full(status, body, content_type)

    return handler


async def hang(request: Received, reply: Reply) -> None:
    """Accept the request and never answer."""
    await asyncio.Event().wait()


async def drip(request: Received, reply: Reply) -> None:
    """A 200 whose 50-byte body arrives one byte every 0.2 s."""
    await reply.head(200, {"Content-Type": "application/json", "Content-Length": "50"})
    for _ in range(50):
        await reply.send(b" ")
        await asyncio.sleep(0.2)


def huge_route(total: int, *, declare_length: bool) -> Handler:
    """Stream `total` bytes in 64 KiB pieces, chunked or with a Content-Length."""

    async def handler(request: Received, reply: Reply) -> None:
        piece = b"x" * 65536
        if declare_length:
            await reply.head(200, {"Content-Type": "text/plain", "Content-Length": str(total)})
        else:
            await reply.head(200, {"Content-Type": "text/plain", "Transfer-Encoding": "chunked"})
        sent = 0
        while sent < total:
            n = min(len(piece), total - sent)
            data = piece[:n]
            await reply.send(data if declare_length else b"%x\r\n%s\r\n" % (n, data))
            sent += n
        if not declare_length:
            await reply.send(b"0\r\n\r\n")

    return handler


def redirect_route(location: str, status: int = 302) -> Handler:
    async def handler(request: Received, reply: Reply) -> None:
        await reply.head(status, {"Location": location, "Content-Length": "0"})

    return handler


async def close_mid_body(request: Received, reply: Reply) -> None:
    """Promise 100 bytes, send 10, hang up."""
    await reply.head(200, {"Content-Type": "text/plain", "Content-Length": "100"})
    await reply.send(b"0123456789")
    reply.close_after()


def slow_route(seconds: float) -> Handler:
    """Hold each request for `seconds` (the server's in-flight counter sees it)."""

    async def handler(request: Received, reply: Reply) -> None:
        await asyncio.sleep(seconds)
        await reply.json(HEALTH)

    return handler


# --- a fake Prometheus HTTP API -----------------------------------------------------


def _vector(*values: str) -> dict[str, object]:
    result = [
        {"metric": {"__name__": "up", "instance": f"web-{i}"}, "value": [1764320400.0, value]}
        for i, value in enumerate(values)
    ]
    return {"status": "success", "data": {"resultType": "vector", "result": result}}


PROMETHEUS_ANSWERS: dict[str, tuple[int, object]] = {
    "error_rate": (200, _vector("0.031")),
    "up": (200, _vector("1", "1", "0")),
    "absent_metric": (200, _vector()),
    "scalar(42)": (
        200,
        {"status": "success", "data": {"resultType": "scalar", "result": [1764320400.0, "42"]}},
    ),
    "nan_metric": (200, _vector("NaN")),
    "inf_metric": (200, _vector("+Inf")),
    "minus_inf_metric": (200, _vector("-Inf")),
    "rate(": (
        400,
        {
            "status": "error",
            "errorType": "bad_data",
            "error": 'invalid parameter "query": 1:6: parse error: unclosed left parenthesis',
        },
    ),
    "too_heavy": (
        422,
        {
            "status": "error",
            "errorType": "execution",
            "error": "query processing would load "
            "too many samples into memory in query execution " + "x" * 400,
        },
    ),
    "range[5m]": (
        200,
        {"status": "success", "data": {"resultType": "matrix", "result": []}},
    ),
    "malformed": (200, {"status": "success", "data": {"resultType": "vector", "result": [{}]}}),
    "not_a_number": (200, _vector("many")),
    "no_data_key": (200, {"status": "success"}),
}
"""Canned answers by query text; anything else gets a 400 bad_data error."""


async def prometheus_query(request: Received, reply: Reply) -> None:
    query = request.query.get("query", "")
    if query == "broken_json":
        await reply.full(200, b'{"status": "success", "data": ', "application/json")
        return
    if query == "gateway_down":
        await reply.full(503, b"upstream unavailable")
        return
    if query == "bare_400":
        await reply.full(400, b"bad request")
        return
    status, document = PROMETHEUS_ANSWERS.get(
        query, (400, {"status": "error", "errorType": "bad_data", "error": "unknown query"})
    )
    await reply.json(document, status)


async def brotli_version(request: Received, reply: Reply) -> None:
    """A version said in brotli (bytes that are not brotli: only the header is read)."""
    body = b"\x00\x1b\x0egarbage"
    await reply.head(200, {"Content-Encoding": "br", "Content-Length": str(len(body))})
    await reply.send(body)


def standard_routes() -> dict[str, Handler]:
    """Every behaviour the probe tests need, on one server."""
    return {
        "/health": json_route(HEALTH),
        "/nested": json_route(
            {"checks": {"db": {"error_rate": 0.02, "ok": True}}, "nodes": [{"name": "web-0"}]}
        ),
        "/nan": raw_route(b'{"error_rate": NaN, "nothing": null}', content_type="application/json"),
        "/fail": json_route({"status": "down"}, status=500),
        "/invalid-json": raw_route(b'{"status": "ok", ', content_type="application/json"),
        "/version": raw_route(b"  2.4.1\nbuilt 2026-11-27\n"),
        "/version-long": raw_route(b"v" * 500),
        "/empty": raw_route(b""),
        "/huge": huge_route(50 * 1024 * 1024, declare_length=False),
        "/huge-declared": huge_route(50 * 1024 * 1024, declare_length=True),
        "/hang": hang,
        "/drip": drip,
        "/redirect": redirect_route("/health"),
        "/close-mid-body": close_mid_body,
        "/slow": slow_route(0.05),
        "/brotli": brotli_version,
        "/api/v1/query": prometheus_query,
    }


_REASONS = {
    200: "OK",
    302: "Found",
    400: "Bad Request",
    404: "Not Found",
    422: "Unprocessable Entity",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def gzip_bomb(mebibytes: int) -> bytes:
    """`mebibytes` of zeros, gzipped: about a thousandth of that on the wire."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1 << 20)
    return b"".join(packer.compress(block) for _ in range(mebibytes)) + packer.flush()
