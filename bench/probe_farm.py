"""A farm of probe endpoints on loopback, for benchmarks that poll many probes.

Serves `/p/0` ... `/p/{N-1}`, each answering 200 with a small JSON document
(`{"error_rate": 0.01, "version": "2.4.0", "n": K}`), over HTTP/1.1 with
keep-alive, from one asyncio event loop. `/_count` answers how many probe
requests have been served so far (it is not counted itself). Anything else is 404.

    python bench/probe_farm.py [--port 0] [--endpoints 200] [--exit-on-eof]

Prints `listening 127.0.0.1 PORT` on stdout once it accepts connections, then
serves until SIGINT / SIGTERM (or, with `--exit-on-eof`, until its stdin closes,
so that a parent that dies cannot leave it behind), then prints `served N` on
stderr unless `--quiet`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal
import sys

HOST = "127.0.0.1"
MAX_HEAD_BYTES = 16_384
"""A request head larger than this is refused and the connection closed."""
IDLE_TIMEOUT_S = 30.0
"""Keep-alive connections idle this long are closed."""


class Farm:
    """The endpoints' answers and the served-request counter."""

    def __init__(self, endpoints: int) -> None:
        self.endpoints = endpoints
        self.served = 0
        """Probe requests answered with 200 so far."""
        self._bodies = [
            json.dumps({"error_rate": 0.01, "version": "2.4.0", "n": n}).encode()
            for n in range(endpoints)
        ]

    def answer(self, method: str, target: str) -> tuple[int, bytes]:
        path = target.split("?", 1)[0]
        if method not in ("GET", "HEAD"):
            return 405, b'{"error": "method not allowed"}'
        if path == "/_count":
            return 200, json.dumps({"served": self.served}).encode()
        prefix, _, number = path.rpartition("/")
        if prefix == "/p" and number.isdigit() and int(number) < self.endpoints:
            self.served += 1
            return 200, self._bodies[int(number)]
        return 404, b'{"error": "no such endpoint"}'

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                try:
                    async with asyncio.timeout(IDLE_TIMEOUT_S):
                        head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError):
                    return
                lines = head.decode("latin-1").split("\r\n")
                parts = lines[0].split()
                if len(parts) != 3:
                    return
                method, target, protocol = parts
                headers = {
                    name.strip().lower(): value.strip()
                    for name, sep, value in (line.partition(":") for line in lines[1:])
                    if sep
                }
                length = headers.get("content-length", "0")
                if length.isdigit() and int(length) > 0:
                    await reader.readexactly(int(length))
                status, body = self.answer(method, target)
                close = headers.get("connection", "").lower() == "close" or protocol == "HTTP/1.0"
                reason = {200: "OK", 404: "Not Found", 405: "Method Not Allowed"}[status]
                writer.write(
                    f"HTTP/1.1 {status} {reason}\r\n"
                    "Content-Type: application/json\r\n"
                    f"Content-Length: {len(body)}\r\n"
                    f"Connection: {'close' if close else 'keep-alive'}\r\n"
                    "\r\n".encode("latin-1")
                    + (b"" if method == "HEAD" else body)
                )
                await writer.drain()
                if close:
                    return
        except (ConnectionError, asyncio.IncompleteReadError):
            return
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()


async def serve(port: int, endpoints: int, exit_on_eof: bool) -> int:
    """Serve until stopped; the number of probe requests served."""
    farm = Farm(endpoints)
    server = await asyncio.start_server(farm.handle, HOST, port, limit=MAX_HEAD_BYTES)
    bound = server.sockets[0].getsockname()[1]
    print(f"listening {HOST} {bound}", flush=True)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    if exit_on_eof:
        await loop.connect_read_pipe(lambda: _StopAtEof(stop), sys.stdin)
    async with server:
        await stop.wait()
    return farm.served


class _StopAtEof(asyncio.Protocol):
    """Reads and drops stdin; sets `stop` when it closes."""

    def __init__(self, stop: asyncio.Event) -> None:
        self.stop = stop

    def connection_lost(self, exc: Exception | None) -> None:
        self.stop.set()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port (default)")
    parser.add_argument("--endpoints", type=int, default=200, help="how many /p/N (default 200)")
    parser.add_argument(
        "--exit-on-eof", action="store_true", help="stop when stdin closes (for a parent)"
    )
    parser.add_argument("--quiet", action="store_true", help="no 'served N' line at the end")
    args = parser.parse_args(argv)
    if args.endpoints < 1:
        parser.error("--endpoints must be at least 1")
    try:
        served = asyncio.run(serve(args.port, args.endpoints, args.exit_on_eof))
    except OSError as error:
        print(f"bench/probe_farm.py: cannot listen on {HOST}:{args.port}: {error}", file=sys.stderr)
        return 1
    if not args.quiet:
        print(f"served {served}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
