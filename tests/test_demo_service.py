"""The demo service over real HTTP on loopback, and the demo runbook template."""

from __future__ import annotations

import re
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from runbooks import load_runbook, validate_runbook_file
from runbooks.model import DeploymentPattern, ProbeKind, StepKind
from tests.waiting import poll_until
from tui.demo.faults import ShopFault
from tui.demo.shop import DemoService

TEMPLATE = Path(__file__).resolve().parent.parent / "runbooks" / "demo.yaml.in"

SAMPLE_LINE = re.compile(
    r"^(?P<name>[a-zA-Z_:][a-zA-Z0-9_:]*)"
    r'(?:\{(?P<labels>[a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*")*)\})?'
    r" (?P<value>\S+)$"
)


class FakeMonotonic:
    """A monotonic clock that moves only when told to."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeMonotonic:
    return FakeMonotonic()


@pytest.fixture
def service(clock: FakeMonotonic) -> Iterator[DemoService]:
    """A quiet service on a fake clock: no background traffic, instant checkouts."""
    with DemoService(monotonic=clock, latency_scale=0, synthetic_rps=0, settle_s=20) as svc:
        yield svc


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=5) as http:
        yield http


def checkout_failures(client: httpx.Client, url: str, count: int) -> int:
    statuses = [client.get(f"{url}/checkout").status_code for _ in range(count)]
    assert set(statuses) <= {200, 500}
    return statuses.count(500)


def parse_metrics(text: str) -> dict[str, float]:
    """`name{labels}` -> value, checking every line's shape on the way."""
    samples: dict[str, float] = {}
    for line in text.splitlines():
        if line.startswith("#"):
            assert re.match(r"^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* \S", line), line
            continue
        match = SAMPLE_LINE.match(line)
        assert match, f"not a sample line: {line!r}"
        key = match["name"] + (f"{{{match['labels']}}}" if match["labels"] else "")
        samples[key] = float(match["value"])
    return samples


def test_serves_the_bad_release_until_rolled_back(
    service: DemoService, client: httpx.Client
) -> None:
    assert service.url == f"http://127.0.0.1:{service.port}"
    assert client.get(f"{service.url}/version").json() == {"version": "2.4.1"}
    response = client.post(f"{service.url}/admin/rollback")
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == "2.4.0"
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", body["switched_at"])
    assert client.get(f"{service.url}/version").json() == {"version": "2.4.0"}
    assert client.get(f"{service.url}/healthz").json()["version"] == "2.4.0"


def test_rollback_is_idempotent(
    service: DemoService, client: httpx.Client, clock: FakeMonotonic
) -> None:
    first = client.post(f"{service.url}/admin/rollback").json()
    clock.advance(7)
    second = client.post(f"{service.url}/admin/rollback").json()
    assert first["changed"] is True
    assert second["changed"] is False
    assert second["version"] == first["version"] == "2.4.0"
    assert second["switched_at"] == first["switched_at"]
    assert client.get(f"{service.url}/stats").json()["seconds_since_rollback"] == 7


def test_about_twelve_percent_of_checkouts_fail_on_the_bad_release(
    service: DemoService, client: httpx.Client
) -> None:
    failures = checkout_failures(client, service.url, 300)
    assert 30 <= failures <= 42  # 12% of 300 is 36
    stats = client.get(f"{service.url}/stats").json()
    assert stats["requests"] == 300
    assert stats["errors"] == failures
    assert stats["error_rate"] == pytest.approx(failures / 300)
    assert stats["version"] == "2.4.1"
    health = client.get(f"{service.url}/healthz")
    assert health.status_code == 200
    assert health.json() == {
        "status": "degraded",
        "version": "2.4.1",
        "error_rate": failures / 300,
        "check_ms": 0.0,
    }


def test_error_rate_decays_to_baseline_after_rollback(
    service: DemoService, client: httpx.Client, clock: FakeMonotonic
) -> None:
    service.simulate(500)
    assert client.get(f"{service.url}/stats").json()["error_rate"] == pytest.approx(0.12, abs=0.01)
    client.post(f"{service.url}/admin/rollback")
    probabilities = []
    for _ in range(5):
        probabilities.append(client.get(f"{service.url}/stats").json()["error_probability"])
        clock.advance(5)
    assert probabilities == pytest.approx([0.12, 0.091, 0.062, 0.033, 0.004])

    clock.advance(service.window_s)  # the bad release's requests leave the window
    assert client.get(f"{service.url}/stats").json()["error_rate"] == 0.0
    failures = checkout_failures(client, service.url, 500)
    assert failures <= 4  # 0.4% of 500 is 2
    stats = client.get(f"{service.url}/stats").json()
    assert stats["error_rate"] == pytest.approx(failures / 500)
    assert stats["requests"] == 1000
    health = client.get(f"{service.url}/healthz")
    assert health.status_code == 200
    assert health.json()["status"] == "ok"


def test_rolling_rate_forgets_requests_older_than_the_window(
    service: DemoService, client: httpx.Client, clock: FakeMonotonic
) -> None:
    service.simulate(100)
    clock.advance(service.window_s - 1)
    assert client.get(f"{service.url}/stats").json()["error_rate"] > 0.05
    clock.advance(2)
    assert client.get(f"{service.url}/stats").json()["error_rate"] == 0.0


def test_health_answers_503_above_twenty_percent(clock: FakeMonotonic) -> None:
    with DemoService(monotonic=clock, synthetic_rps=0, fault=ShopFault(error_rate=0.3)) as svc:
        svc.simulate(200)
        response = httpx.get(f"{svc.url}/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "degraded"
    assert response.json()["error_rate"] == pytest.approx(0.3, abs=0.02)


def test_metrics_are_prometheus_text(service: DemoService, client: httpx.Client) -> None:
    service.simulate(200)
    response = client.get(f"{service.url}/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    text = response.text
    for family, kind in [
        ("demo_requests_total", "counter"),
        ("demo_request_duration_seconds", "histogram"),
        ("demo_version_info", "gauge"),
    ]:
        assert f"# TYPE {family} {kind}\n" in text
        assert f"# HELP {family} " in text
    samples = parse_metrics(text)
    ok, failed = (
        samples['demo_requests_total{status="200"}'],
        samples['demo_requests_total{status="500"}'],
    )
    assert ok + failed == 200
    assert 20 <= failed <= 28
    assert samples["demo_request_duration_seconds_count"] == 200
    assert samples['demo_request_duration_seconds_bucket{le="+Inf"}'] == 200
    assert samples["demo_request_duration_seconds_sum"] == 0  # latency_scale=0
    buckets = [v for k, v in samples.items() if k.startswith("demo_request_duration_seconds_b")]
    assert buckets == sorted(buckets)
    assert samples['demo_version_info{version="2.4.1"}'] == 1

    client.post(f"{service.url}/admin/rollback")
    after = parse_metrics(client.get(f"{service.url}/metrics").text)
    assert after['demo_version_info{version="2.4.0"}'] == 1
    assert 'demo_version_info{version="2.4.1"}' not in after


def test_latency_histogram_records_checkout_durations(clock: FakeMonotonic) -> None:
    with DemoService(monotonic=clock, synthetic_rps=0, latency_scale=1) as svc:
        svc.simulate(50)
        samples = parse_metrics(httpx.get(f"{svc.url}/metrics").text)
    assert samples["demo_request_duration_seconds_sum"] == pytest.approx(50 * 0.6, rel=0.1)
    assert samples['demo_request_duration_seconds_bucket{le="0.25"}'] == 0
    assert samples['demo_request_duration_seconds_bucket{le="1.0"}'] == 50


def test_checkout_latency_follows_the_version_and_the_scale() -> None:
    with DemoService(latency_scale=0.1, synthetic_rps=0) as svc, httpx.Client() as http:

        def timed() -> float:
            started = time.perf_counter()
            http.get(f"{svc.url}/checkout")
            return time.perf_counter() - started

        bad = min(timed() for _ in range(3))
        http.post(f"{svc.url}/admin/rollback")
        good = min(timed() for _ in range(3))
    assert 0.045 <= bad < 0.5  # 600 ms x 0.1, +-20% jitter
    assert good < 0.045  # 40 ms x 0.1
    assert good < bad


def test_unknown_paths_and_methods_get_json_errors(
    service: DemoService, client: httpx.Client
) -> None:
    missing = client.get(f"{service.url}/nope")
    assert missing.status_code == 404
    assert missing.json() == {"error": "not found", "path": "/nope"}
    assert client.post(f"{service.url}/checkout/extra").status_code == 404
    wrong = client.get(f"{service.url}/admin/rollback")
    assert wrong.status_code == 405
    assert wrong.headers["allow"] == "POST"
    assert wrong.json()["error"] == "method not allowed"
    assert client.get(f"{service.url}/version").json()["version"] == "2.4.1"


def test_background_traffic_moves_the_counters_until_stopped() -> None:
    svc = DemoService(synthetic_rps=40)
    svc.start()
    try:
        poll_until(lambda: svc.stats()["requests"] >= 20, "20 background requests", timeout=60)
    finally:
        svc.stop()
    settled = svc.stats()["requests"]
    time.sleep(0.6)
    assert svc.stats()["requests"] == settled
    assert not [t for t in threading.enumerate() if t.name.startswith("demo-service")]


def test_stop_frees_the_port() -> None:
    first = DemoService(synthetic_rps=0)
    first.start()
    port = first.port
    assert httpx.get(f"{first.url}/version").status_code == 200
    first.stop()
    first.stop()  # harmless twice
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/version")
    again = DemoService(synthetic_rps=0)
    again.start(port)
    try:
        assert again.port == port
        assert httpx.get(f"{again.url}/version").status_code == 200
    finally:
        again.stop()


def test_requests_are_not_logged(
    service: DemoService, client: httpx.Client, capfd: pytest.CaptureFixture[str]
) -> None:
    client.get(f"{service.url}/healthz")
    client.get(f"{service.url}/nope")
    client.post(f"{service.url}/admin/rollback")
    assert capfd.readouterr() == ("", "")


def test_demo_runbook_template_loads_and_rolls_the_service_back(
    service: DemoService, client: httpx.Client, tmp_path: Path
) -> None:
    text = TEMPLATE.read_text()
    assert "{{SERVICE_URL}}" in text
    runbook_file = tmp_path / "demo.yaml"
    runbook_file.write_text(text.replace("{{SERVICE_URL}}", service.url))
    assert validate_runbook_file(runbook_file) == []
    runbook = load_runbook(runbook_file)
    assert (runbook.id, runbook.title) == ("demo", "Demo: emergency rollback of shop 2.4.1")
    assert [phase.id for phase in runbook.phases] == ["decide", "execute", "verify", "close-out"]
    probes = {probe.name: probe for probe in runbook.probes}
    assert (probes["health"].kind, probes["health"].url) == (
        ProbeKind.HTTP,
        f"{service.url}/healthz",
    )
    assert probes["version"].json_field == "version"
    assert (probes["error-rate"].kind, probes["error-rate"].json_field) == (
        ProbeKind.HTTP,
        "error_rate",
    )
    assert {probe.interval_s for probe in runbook.probes} == {1}
    assert runbook.default_pattern is DeploymentPattern.BLUE_GREEN

    switch = runbook.step("app-rollback-blue-green")
    assert switch is not None and switch.command is not None
    assert (switch.kind, switch.patterns) == (StepKind.COMMAND, (DeploymentPattern.BLUE_GREEN,))
    redeploy = runbook.step("app-rollback-redeploy")
    assert redeploy is not None
    assert redeploy.patterns == (DeploymentPattern.ROLLING, DeploymentPattern.RECREATE)
    verify = {step.id: (step.probe, step.evidence) for step in runbook.phases[2].steps}
    assert verify["confirm-version"] == ("version", "version == last_good_version")
    assert verify["check-health"] == ("error-rate", "error rate back to baseline")

    done = subprocess.run(switch.command, shell=True, capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert '"version": "2.4.0"' in done.stdout
    assert client.get(f"{service.url}/version").json() == {"version": "2.4.0"}


def test_the_team_webhook_stand_in_counts_what_it_receives(
    service: DemoService, client: httpx.Client
) -> None:
    assert client.get(f"{service.url}/stats").json()["webhook_messages"] == 0
    for text in ("Initiating rollback", "Resolved"):
        answer = client.post(f"{service.url}/hooks/team", json={"text": text})
        assert answer.status_code == 200 and answer.json() == {"ok": True}
    assert client.get(f"{service.url}/hooks/team").status_code == 405
    assert client.get(f"{service.url}/stats").json()["webhook_messages"] == 2
