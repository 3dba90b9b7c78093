"""The demo shop's HTTP plumbing: a quiet stdlib server on loopback, one answer per request.

Kept apart from `tui.demo.shop`, which decides what the shop answers; this module
only carries requests to a `respond(method, target)` callable and its answers back,
so it never imports the shop.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeAlias

JSON_TYPE = "application/json"
METRICS_TYPE = "text/plain; version=0.0.4; charset=utf-8"
MAX_REQUEST_BODY = 65536
"""Request bodies are read (and dropped) up to this many bytes."""

Answer: TypeAlias = tuple[int, str, bytes, dict[str, str]]
"""(status, content type, body, extra headers) for one request."""
Respond: TypeAlias = Callable[[str, str], Answer]
"""Answers (method, request target)."""


def json_answer(status: int, payload: Any) -> Answer:
    return status, JSON_TYPE, json.dumps(payload).encode(), {}


def metrics_answer(status: int, text: str) -> Answer:
    return status, METRICS_TYPE, text.encode(), {}


class ShopServer(ThreadingHTTPServer):
    """Serves `respond` on `address`; one thread per connection, none left behind."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], respond: Respond) -> None:
        super().__init__(address, _Handler)
        self.respond = respond

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up mid-response is not worth a traceback on stderr.
        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    server: ShopServer
    server_version = "lastgood-demo"
    sys_version = ""
    timeout = 10

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(min(length, MAX_REQUEST_BODY))
        status, ctype, body, extra = self.server.respond(self.command, self.path)
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in extra.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: no request log on stderr."""
