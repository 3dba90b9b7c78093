"""A real Prometheus (Debian's `/usr/bin/prometheus`) scraping a real DemoService.

`prometheus_stack` is a module-scoped fixture: it starts a `DemoService` on
loopback, writes a prometheus.yml scraping it every second, starts Prometheus on a
free loopback port with its TSDB in a temporary directory, waits for `/-/ready` and
tears both down afterwards. Prometheus's own output goes to `prometheus.log` beside
its config, and is quoted when it fails to start.

If `LASTGOOD_PROMETHEUS_URL` is set, that Prometheus is used instead; it must
already scrape 127.0.0.1:`LASTGOOD_DEMO_PORT` every second, where the fixture then
starts the demo service.

A missing binary is a failure with a clear message, never a skip: the tests that use
this fixture exist to prove lastgood works against a real Prometheus.
"""

from __future__ import annotations

import math
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tui.demo.shop import DemoService

PROMETHEUS_ENV = "PROMETHEUS_BIN"
"""Overrides where the prometheus binary is looked for."""
EXTERNAL_URL_ENV = "LASTGOOD_PROMETHEUS_URL"
EXTERNAL_DEMO_PORT_ENV = "LASTGOOD_DEMO_PORT"
DEFAULT_BINARY = "/usr/bin/prometheus"
READY_DEADLINE_S = 30.0
WAIT_S = 60.0
"""How long `PrometheusStack.wait_for` polls by default before it fails: a net against
a hang, not a measure (it returns the moment the value is accepted)."""


@dataclass
class PrometheusStack:
    """A demo service and the Prometheus scraping it."""

    demo: DemoService
    url: str
    """Prometheus base URL, `http://127.0.0.1:PORT`."""
    startup_s: float | None
    """Seconds from spawning Prometheus to `/-/ready` (None for an external one)."""
    log: Path | None

    def query(self, promql: str) -> list[dict[str, object]]:
        """The result vector of an instant query (raises on any API error)."""
        response = httpx.get(f"{self.url}/api/v1/query", params={"query": promql}, timeout=5)
        response.raise_for_status()
        body = response.json()
        assert body["status"] == "success", body
        assert body["data"]["resultType"] == "vector", body
        result: list[dict[str, object]] = body["data"]["result"]
        return result

    def scalar(self, promql: str) -> float | None:
        """The single value of `promql`, or None for an empty vector or NaN."""
        result = self.query(promql)
        if not result:
            return None
        assert len(result) == 1, result
        value = float(result[0]["value"][1])  # type: ignore[index]
        return None if math.isnan(value) else value

    def wait_for(
        self, promql: str, accept: Callable[[float], bool], *, deadline_s: float = WAIT_S
    ) -> float:
        """Poll `promql` until its value satisfies `accept`; fail after `deadline_s`."""
        seen: list[float | None] = []
        end = time.monotonic() + deadline_s
        while True:
            value = self.scalar(promql)
            seen.append(value)
            if value is not None and accept(value):
                return value
            if time.monotonic() > end:
                pytest.fail(
                    f"{promql!r} never satisfied the condition within {deadline_s:.0f} s; "
                    f"last values: {seen[-8:]}{self.log_tail()}"
                )
            time.sleep(0.5)

    def log_tail(self, lines: int = 20) -> str:
        if self.log is None or not self.log.exists():
            return ""
        tail = self.log.read_text(errors="replace").splitlines()[-lines:]
        return "\nprometheus log:\n" + "\n".join(tail)


def prometheus_binary() -> str:
    """Path to prometheus; fails the test (never skips) when it is not installed."""
    candidate = os.environ.get(PROMETHEUS_ENV) or DEFAULT_BINARY
    found = candidate if os.access(candidate, os.X_OK) else shutil.which("prometheus")
    if not found:
        pytest.fail(
            f"prometheus binary not found at {candidate} or on PATH: install it with "
            "`apt-get install -y prometheus` (Debian) or set PROMETHEUS_BIN",
            pytrace=False,
        )
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def scrape_config(target: str) -> str:
    """A prometheus.yml scraping `target` (host:port) every second."""
    return (
        "global:\n"
        "  scrape_interval: 1s\n"
        "  evaluation_interval: 1s\n"
        "scrape_configs:\n"
        "  - job_name: demo\n"
        "    scrape_interval: 1s\n"
        "    scrape_timeout: 1s\n"
        "    metrics_path: /metrics\n"
        "    static_configs:\n"
        f"      - targets: ['{target}']\n"
    )


def wait_ready(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    end = time.monotonic() + READY_DEADLINE_S
    while time.monotonic() < end:
        if process.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"prometheus exited with {process.returncode}:\n{tail}")
        try:
            if httpx.get(f"{url}/-/ready", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    tail = log.read_text(errors="replace")[-3000:]
    raise RuntimeError(f"prometheus not ready within {READY_DEADLINE_S:.0f} s:\n{tail}")


def start_prometheus(
    workdir: Path, target: str, attempts: int = 3
) -> tuple[subprocess.Popen[bytes], str, float, Path]:
    """Spawn Prometheus scraping `target`; (process, url, seconds to ready, log)."""
    binary = prometheus_binary()
    config = workdir / "prometheus.yml"
    config.write_text(scrape_config(target))
    log = workdir / "prometheus.log"
    error: Exception | None = None
    for attempt in range(attempts):
        port = free_port()  # another process may take it first: retry on a new one
        url = f"http://127.0.0.1:{port}"
        started = time.monotonic()
        with log.open("ab") as out:
            process = subprocess.Popen(
                [
                    binary,
                    f"--config.file={config}",
                    f"--storage.tsdb.path={workdir / f'tsdb-{attempt}'}",
                    f"--web.listen-address=127.0.0.1:{port}",
                    "--log.level=warn",
                ],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        try:
            wait_ready(url, process, log)
        except RuntimeError as exc:
            stop_process(process)
            error = exc
            continue
        return process, url, time.monotonic() - started, log
    pytest.fail(f"could not start prometheus: {error}", pytrace=False)


def stop_process(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="module", name="prometheus_stack")
def prometheus_stack_fixture(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[PrometheusStack]:
    external = os.environ.get(EXTERNAL_URL_ENV)
    if external:
        port = os.environ.get(EXTERNAL_DEMO_PORT_ENV)
        if not port or not port.isdigit():
            pytest.fail(
                f"{EXTERNAL_URL_ENV} is set, so {EXTERNAL_DEMO_PORT_ENV} must name the "
                "loopback port that Prometheus scrapes for the demo service",
                pytrace=False,
            )
        demo = DemoService(latency_scale=0.05, settle_s=3)
        demo.start(int(port))
        try:
            yield PrometheusStack(demo, external.rstrip("/"), None, None)
        finally:
            demo.stop()
        return
    workdir = tmp_path_factory.mktemp("prometheus")
    with DemoService(latency_scale=0.05, settle_s=3) as demo:
        process, url, startup_s, log = start_prometheus(workdir, f"127.0.0.1:{demo.port}")
        try:
            yield PrometheusStack(demo, url, startup_s, log)
        finally:
            stop_process(process)
