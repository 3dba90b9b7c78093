"""The shop playing each drill fault, over real HTTP on loopback, on a fake clock."""

from __future__ import annotations

import httpx
import pytest

from incident.reports.drill_faults import FAULTS, FaultName
from tests.test_demo_service import FakeMonotonic
from tui.demo.faults import SHOP_FAULTS
from tui.demo.shop import DemoService


def shop(clock: FakeMonotonic, name: FaultName, **options: float) -> DemoService:
    settings = {"latency_scale": 0.0, "synthetic_rps": 0.0, "settle_s": 20.0, **options}
    return DemoService(monotonic=clock, fault=SHOP_FAULTS[name], **settings)


def test_every_fault_has_its_play() -> None:
    assert set(SHOP_FAULTS) == set(FAULTS)


def test_a_bad_release_errs_more_the_longer_it_serves() -> None:
    clock = FakeMonotonic()
    with shop(clock, FaultName.BAD_RELEASE) as svc:
        svc.simulate(500)
        early = httpx.get(f"{svc.url}/stats").json()["error_rate"]
        clock.advance(5 * 60)
        svc.simulate(500)
        late = httpx.get(f"{svc.url}/stats").json()["error_rate"]
        httpx.post(f"{svc.url}/admin/rollback")
        clock.advance(svc.settle_s + svc.window_s + 1)
        svc.simulate(500)
        settled = httpx.get(f"{svc.url}/stats").json()["error_rate"]
    assert early == pytest.approx(0.08, abs=0.01)
    assert late == pytest.approx(0.23, abs=0.01)  # 8% + 3 points a minute for 5 minutes
    assert settled == pytest.approx(0.004, abs=0.004)


def mean_checkout_s(metrics: str) -> float:
    """The mean checkout duration the shop's /metrics histogram has recorded so far."""
    values = dict(
        line.split(" ", 1) for line in metrics.splitlines() if line.startswith("demo_request_dur")
    )
    total = float(values["demo_request_duration_seconds_sum"])
    return total / float(values["demo_request_duration_seconds_count"])


def test_a_slow_release_shows_only_in_latency() -> None:
    clock = FakeMonotonic()
    with shop(clock, FaultName.SLOW_RELEASE, latency_scale=0.25) as svc, httpx.Client() as http:
        svc.simulate(500)
        stats = http.get(f"{svc.url}/stats").json()
        slow = mean_checkout_s(http.get(f"{svc.url}/metrics").text)
        health = http.get(f"{svc.url}/healthz")
        http.post(f"{svc.url}/admin/rollback")
        svc.simulate(5000)
        after = http.get(f"{svc.url}/metrics").text
        health_after = http.get(f"{svc.url}/healthz").json()
    assert stats["error_rate"] < 0.05
    assert health.status_code == 200 and health.json()["status"] == "ok"
    # What the drill's runbook reads off /healthz (its health-slow trigger): the check's
    # own time, slow on 2.4.1, none once rolled back.
    assert 160 <= health.json()["check_ms"] <= 240
    assert health_after["check_ms"] == 0
    # 0.8 s nominal at a quarter scale, jittered by at most a fifth, as recorded.
    assert 0.16 <= slow <= 0.24
    assert mean_checkout_s(after) < slow / 2  # 2.4.0's 0.04 s nominal pulls the mean down


def test_an_irreversible_migration_is_listed_on_version_until_the_rollback() -> None:
    clock = FakeMonotonic()
    with shop(clock, FaultName.IRREVERSIBLE_MIGRATION) as svc, httpx.Client() as http:
        before = http.get(f"{svc.url}/version").json()
        http.post(f"{svc.url}/admin/rollback")
        after = http.get(f"{svc.url}/version").json()
    assert before["version"] == "2.4.1"
    assert before["migrations"] == [
        {
            "id": "0042_add_orders_tax_region",
            "summary": "adds orders.tax_region and backfills it",
            "down": None,
        }
    ]
    assert after == {"version": "2.4.0"}


def test_a_flapping_health_check_fails_four_seconds_in_ten() -> None:
    clock = FakeMonotonic()
    with shop(clock, FaultName.FLAPPING_HEALTH) as svc, httpx.Client() as http:
        codes = []
        for _ in range(10):
            codes.append(http.get(f"{svc.url}/healthz").status_code)
            clock.advance(1)
        http.post(f"{svc.url}/admin/rollback")
        after = []
        for _ in range(10):
            after.append(http.get(f"{svc.url}/healthz").status_code)
            clock.advance(1)
    assert codes == [200] * 6 + [503] * 4
    assert after == [200] * 10


def test_the_demo_plays_no_drill() -> None:
    clock = FakeMonotonic()
    with DemoService(monotonic=clock, latency_scale=0, synthetic_rps=0) as svc:
        svc.simulate(500)
        clock.advance(600)
        svc.simulate(500)
        version = httpx.get(f"{svc.url}/version").json()
        rate = httpx.get(f"{svc.url}/stats").json()["error_rate"]
    assert version == {"version": "2.4.1"}
    assert rate == pytest.approx(0.12, abs=0.01)  # flat: the demo's errors do not climb
