"""A service on loopback whose health, version and error rate a test switches.

It answers the demo runbook's probes (`write_demo_runbook(service.url, ...)`):
`/healthz` (200, or 503 while unhealthy, with `check_ms`), `/version` (JSON) and
`/stats` (`error_rate`). Setting `version`, `error_rate` or `healthy` changes what
the next poll reads: a release deployed again after the rollback, in one line.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType


class SwitchableService:
    def __init__(self, *, version: str, error_rate: float, healthy: bool = True) -> None:
        self.version = version
        self.error_rate = error_rate
        self.healthy = healthy
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = self.path.split("?")[0]
                status, body = 200, {}
                if path == "/healthz":
                    status = 200 if service.healthy else 503
                    body = {"status": "ok" if service.healthy else "failing", "check_ms": 1}
                elif path == "/version":
                    body = {"version": service.version}
                elif path == "/stats":
                    body = {"error_rate": service.error_rate}
                else:
                    status = 404
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> SwitchableService:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
