"""Production after a bad release, on loopback: the service `lastgood demo` rolls back.

`DemoService` serves a small shop over real HTTP on 127.0.0.1. It starts on the bad
release 2.4.1: about 12% of checkouts fail and `/checkout` is slow; a drill's `fault`
(`tui.demo.faults`) changes how: errors rising, only latency, a migration without a down
step on /version, or /healthz flapping. `POST
/admin/rollback` switches it to 2.4.0 at once (blue-green), after which the error
probability decays to the 0.4% baseline over `settle_s` seconds.

A background thread plays about 20 checkouts a second, so the error rate, `/stats`
and the Prometheus counters on `/metrics` move without outside load. Real requests
to `/checkout` are counted the same way.

Errors are drawn from a seeded `random.Random` through an error accumulator: each
request adds the current error probability to it and fails when it passes a random
threshold, so the failures are scattered yet the observed rate stays within a couple
of requests of the target over any window. Time comes from the injected `monotonic`
callable (the rolling window and the decay after a rollback); only the pacing of the
synthetic traffic uses real time. Standard library only.
"""

from __future__ import annotations

import random
import threading
import time
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime
from http import HTTPStatus
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

from tui.demo.faults import DEMO, ShopFault
from tui.demo.shop_http import Answer, ShopServer, json_answer, metrics_answer

BAD_VERSION = "2.4.1"
GOOD_VERSION = "2.4.0"
BASELINE_ERROR_RATE = 0.004
GOOD_LATENCY_S = 0.04
WINDOW_S = 10.0
"""The rolling window, in seconds, behind `error_rate` on /stats and /healthz."""
DEGRADED_ABOVE = 0.05
"""/healthz says "degraded" above this error rate (the runbook's trigger)."""
FAILING_ABOVE = 0.20
"""/healthz answers 503 above this error rate."""
DURATION_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
"""Upper bounds of the request duration histogram, in seconds."""

_MAX_WINDOW_ENTRIES = 100_000
"""A cap on the rolling window, for a clock that never moves (tests)."""
_TICK_S = 0.25
"""How often the synthetic traffic thread wakes up."""


class DemoService:
    """The demo shop: start it, point probes at `url`, roll it back, stop it.

    Args:
        monotonic: seconds from a monotonic clock; the rolling window and the decay
            after a rollback are measured with it.
        latency_scale: multiplies every checkout latency (0 makes /checkout instant).
        settle_s: seconds for the error probability to fall from the bad release's
            rate to the baseline after a rollback.
        synthetic_rps: background checkouts per second (0 turns them off).
        seed: seeds the pseudo-random error draws and latency jitter.
        fault: what the bad release does (`tui.demo.faults`); the demo's by default.
        baseline_error_rate: error probability once settled after a rollback.
        window_s: length of the rolling error-rate window, in seconds.
    """

    def __init__(
        self,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        latency_scale: float = 1.0,
        settle_s: float = 20.0,
        synthetic_rps: float = 20.0,
        seed: int = 241,
        fault: ShopFault = DEMO,
        baseline_error_rate: float = BASELINE_ERROR_RATE,
        window_s: float = WINDOW_S,
    ) -> None:
        self._monotonic = monotonic
        self.latency_scale = max(0.0, latency_scale)
        self.settle_s = max(0.0, settle_s)
        self.synthetic_rps = max(0.0, synthetic_rps)
        self.fault = fault
        self.baseline_error_rate = baseline_error_rate
        self.window_s = window_s
        self._lock = threading.Lock()
        self._rng = random.Random(seed)
        self._carry = 0.0
        self._version = BAD_VERSION
        self._switched_at: float | None = None
        self._switched_wall: str | None = None
        self._started_at = monotonic()
        """When the bad release began serving: a rising fault climbs from here."""
        self._window: deque[tuple[float, bool]] = deque()
        self._window_errors = 0
        self._by_status: dict[int, int] = {200: 0, 500: 0}
        self._buckets = [0] * len(DURATION_BUCKETS)
        self._duration_sum = 0.0
        self._server: ShopServer | None = None
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()
        self.webhook_messages = 0
        """Messages POSTed to /hooks/team."""

    # -- lifecycle ---------------------------------------------------------------

    def start(self, port: int = 0) -> None:
        """Serve on 127.0.0.1:`port` (an ephemeral port by default) and start traffic."""
        if self._server is not None:
            raise RuntimeError("demo service already started")
        server = ShopServer(("127.0.0.1", port), self._route)
        self._server = server
        self._stopping = threading.Event()
        self._threads = [
            threading.Thread(
                target=server.serve_forever,
                kwargs={"poll_interval": 0.1},
                name="demo-service-http",
                daemon=True,
            )
        ]
        if self.synthetic_rps > 0:
            self._threads.append(
                threading.Thread(target=self._generate, name="demo-service-traffic", daemon=True)
            )
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        """Stop serving and generating traffic, and free the port. Safe to repeat."""
        server, self._server = self._server, None
        self._stopping.set()
        if server is not None:
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads = []

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("demo service not started")
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        """`http://127.0.0.1:PORT`, without a trailing slash."""
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> DemoService:
        if self._server is None:
            self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- the shop's state ----------------------------------------------------------

    @property
    def version(self) -> str:
        with self._lock:
            return self._version

    def version_info(self) -> dict[str, Any]:
        """What /version answers: the version, and the bad release's schema changes."""
        with self._lock:
            bad = self._switched_at is None
            info: dict[str, Any] = {"version": self._version}
        if bad and self.fault.migrations:
            info["migrations"] = [dict(m) for m in self.fault.migrations]
        return info

    def error_probability(self) -> float:
        """The chance that a checkout fails right now."""
        with self._lock:
            return self._probability(self._monotonic())

    def error_rate(self) -> float:
        """Failed share of the checkouts in the last `window_s` seconds (0 if none)."""
        with self._lock:
            return self._rolling_rate(self._monotonic())

    def rollback(self) -> dict[str, Any]:
        """Switch to the last good version (once; later calls change nothing)."""
        with self._lock:
            changed = self._switched_at is None
            if changed:
                self._version = GOOD_VERSION
                self._switched_at = self._monotonic()
                wall = datetime.now(UTC).isoformat(timespec="milliseconds")
                self._switched_wall = wall.replace("+00:00", "Z")
            return {
                "version": self._version,
                "previous_version": BAD_VERSION,
                "switched_at": self._switched_wall,
                "settle_s": self.settle_s,
                "changed": changed,
            }

    def simulate(self, count: int = 1) -> None:
        """Play `count` checkouts now, as the background traffic does."""
        with self._lock:
            now = self._monotonic()
            for _ in range(count):
                failed, latency = self._draw(now)
                self._record(now, failed, latency)

    def stats(self) -> dict[str, Any]:
        """What /stats answers: the rolling error rate and the totals so far."""
        with self._lock:
            now = self._monotonic()
            errors = self._by_status[500]
            return {
                "version": self._version,
                "error_rate": self._rolling_rate(now),
                "window_s": self.window_s,
                "window_requests": len(self._window),
                "requests": sum(self._by_status.values()),
                "errors": errors,
                "error_probability": self._probability(now),
                "seconds_since_rollback": (
                    None if self._switched_at is None else now - self._switched_at
                ),
                "webhook_messages": self.webhook_messages,
            }

    def health(self) -> tuple[int, dict[str, Any]]:
        """What /healthz answers: (HTTP status, body)."""
        with self._lock:
            rate = self._rolling_rate(self._monotonic())
            version = self._version
            bad = self._switched_at is None
            serving_s = self._monotonic() - self._started_at
            latency = self._latency() if bad and self.fault.slow_health else 0.0
        if latency > 0:
            self._stopping.wait(latency)
        status = "degraded" if rate > DEGRADED_ABOVE else "ok"
        failing = rate > FAILING_ABOVE or (bad and self.fault.health_down(serving_s))
        if failing and rate <= FAILING_ABOVE:
            status = "failing"
        code = HTTPStatus.SERVICE_UNAVAILABLE if failing else HTTPStatus.OK
        body: dict[str, Any] = {"status": status, "version": version, "error_rate": rate}
        # How long the check took, as a health check reports its own timing: the figure
        # the drill's runbook reads, so a slow release shows on the panel as slow.
        body["check_ms"] = round(latency * 1000, 1)
        return int(code), body

    def metrics_text(self) -> str:
        """/metrics in the Prometheus text exposition format (version 0.0.4)."""
        with self._lock:
            by_status = dict(self._by_status)
            buckets = list(self._buckets)
            total = sum(by_status.values())
            duration_sum = self._duration_sum
            version = self._version
        lines = [
            "# HELP demo_requests_total Checkout requests served, real and synthetic, by status.",
            "# TYPE demo_requests_total counter",
            *(
                f'demo_requests_total{{status="{code}"}} {n}'
                for code, n in sorted(by_status.items())
            ),
            "# HELP demo_request_duration_seconds Checkout request duration in seconds.",
            "# TYPE demo_request_duration_seconds histogram",
        ]
        cumulative = 0
        for bound, count in zip(DURATION_BUCKETS, buckets, strict=True):
            cumulative += count
            lines.append(f'demo_request_duration_seconds_bucket{{le="{bound}"}} {cumulative}')
        lines += [
            f'demo_request_duration_seconds_bucket{{le="+Inf"}} {total}',
            f"demo_request_duration_seconds_sum {duration_sum!r}",
            f"demo_request_duration_seconds_count {total}",
            "# HELP demo_version_info The version being served; the value is always 1.",
            "# TYPE demo_version_info gauge",
            f'demo_version_info{{version="{version}"}} 1',
        ]
        return "\n".join(lines) + "\n"

    # -- internals (call with the lock held) ---------------------------------------

    def _probability(self, now: float) -> float:
        if self._switched_at is None:
            return self.fault.bad_rate(now - self._started_at)
        if self.settle_s <= 0:
            return self.baseline_error_rate
        progress = min(1.0, max(0.0, (now - self._switched_at) / self.settle_s))
        bad = self.fault.bad_rate(self._switched_at - self._started_at)
        base = self.baseline_error_rate
        return bad + (base - bad) * progress

    def _latency(self) -> float:
        nominal = self.fault.latency_s if self._version == BAD_VERSION else GOOD_LATENCY_S
        return nominal * self.latency_scale * self._rng.uniform(0.8, 1.2)

    def _draw(self, now: float) -> tuple[bool, float]:
        """(failed, latency) for one checkout starting now."""
        self._carry += self._probability(now)
        failed = self._carry >= self._rng.uniform(0.5, 1.5)
        if failed:
            self._carry -= 1.0
        return failed, self._latency()

    def _record(self, now: float, failed: bool, latency: float) -> None:
        self._by_status[500 if failed else 200] += 1
        self._duration_sum += latency
        for index, bound in enumerate(DURATION_BUCKETS):
            if latency <= bound:
                self._buckets[index] += 1
                break
        self._window.append((now, failed))
        self._window_errors += failed
        if len(self._window) > _MAX_WINDOW_ENTRIES:
            self._window_errors -= self._window.popleft()[1]

    def _rolling_rate(self, now: float) -> float:
        horizon = now - self.window_s
        while self._window and self._window[0][0] < horizon:
            self._window_errors -= self._window.popleft()[1]
        return self._window_errors / len(self._window) if self._window else 0.0

    def _generate(self) -> None:
        """Background checkouts at `synthetic_rps`, paced by real time."""
        owed = 0.0
        last = time.monotonic()
        while not self._stopping.wait(_TICK_S):
            current = time.monotonic()
            owed += self.synthetic_rps * min(current - last, 5.0)
            last = current
            count = int(owed)
            owed -= count
            if count:
                self.simulate(count)

    def _hook(self) -> tuple[int, dict[str, Any]]:
        """A stand-in for the team's Slack webhook, so the demo shows delivery."""
        with self._lock:
            self.webhook_messages += 1
        return 200, {"ok": True}

    def _checkout(self) -> tuple[int, dict[str, Any]]:
        with self._lock:
            failed, latency = self._draw(self._monotonic())
            version = self._version
        if latency > 0:
            self._stopping.wait(latency)
        with self._lock:
            self._record(self._monotonic(), failed, latency)
        if failed:
            return 500, {"status": "error", "error": "checkout failed", "version": version}
        return 200, {"status": "ok", "version": version}

    def _route(self, method: str, target: str) -> Answer:
        path = urlsplit(target).path
        routes: dict[str, dict[str, Callable[[], tuple[int, Any]]]] = {
            "/healthz": {"GET": self.health},
            "/version": {"GET": lambda: (200, self.version_info())},
            "/checkout": {"GET": self._checkout},
            "/stats": {"GET": lambda: (200, self.stats())},
            "/metrics": {"GET": lambda: (200, self.metrics_text())},
            "/admin/rollback": {"POST": lambda: (200, self.rollback())},
            "/hooks/team": {"POST": self._hook},
        }
        methods = routes.get(path)
        if methods is None:
            return json_answer(404, {"error": "not found", "path": path})
        handler = methods.get("GET" if method == "HEAD" else method)
        if handler is None:
            allowed = ", ".join(methods)
            refusal = {"error": "method not allowed", "allow": allowed}
            status, ctype, body, _ = json_answer(405, refusal)
            return status, ctype, body, {"Allow": allowed}
        status, payload = handler()
        if isinstance(payload, str):
            return metrics_answer(status, payload)
        return json_answer(status, payload)
