"""A real Prometheus scraping the real demo service, queried over its HTTP API.

The tests share one module-scoped stack (see `prometheus_helpers`) and run in file
order: the rollback test comes last because it changes the service for good. The
`poll_probe` test is lastgood's own Prometheus probe against the real thing.
"""

from __future__ import annotations

import httpx
from msgspec.structs import replace

from incident.core.clock import SystemClock
from incident.core.samples import Outcome
from runbooks.model import Probe, ProbeKind, Reduce
from tests.prometheus_helpers import (  # the fixture is imported for pytest to find
    PrometheusStack,
    prometheus_stack_fixture,  # noqa: F401
)
from tui.net.client import make_client
from tui.net.probing import poll_probe

ERROR_RATIO = (
    'sum(rate(demo_requests_total{status="500"}[15s])) / sum(rate(demo_requests_total[15s]))'
)
SCRAPES_IN_WINDOW = 'count_over_time(demo_requests_total{status="200"}[15s])'


def test_prometheus_starts_and_scrapes_the_demo_service(
    prometheus_stack: PrometheusStack,
) -> None:
    if prometheus_stack.startup_s is not None:
        print(f"prometheus ready in {prometheus_stack.startup_s:.2f} s")
        assert prometheus_stack.startup_s < 30
    assert prometheus_stack.wait_for('up{job="demo"}', lambda up: up == 1) == 1
    version = prometheus_stack.wait_for('demo_version_info{version="2.4.1"}', lambda v: v == 1)
    assert version == 1


def test_a_selector_that_matches_nothing_is_an_empty_vector(
    prometheus_stack: PrometheusStack,
) -> None:
    prometheus_stack.wait_for('up{job="demo"}', lambda up: up == 1)
    assert prometheus_stack.query('demo_requests_total{status="999"}') == []
    assert prometheus_stack.scalar('demo_requests_total{status="999"}') is None


def prometheus_probe(stack: PrometheusStack, query: str) -> Probe:
    return Probe(
        name="error-rate", kind=ProbeKind.PROMETHEUS, url=stack.url, query=query, timeout_s=5
    )


async def test_poll_probe_reads_the_error_ratio_from_real_prometheus(
    prometheus_stack: PrometheusStack,
) -> None:
    prometheus_stack.wait_for(SCRAPES_IN_WINDOW, lambda scrapes: scrapes >= 8)
    client = make_client()
    try:
        probe = prometheus_probe(prometheus_stack, ERROR_RATIO)
        sample = await poll_probe(client, probe, clock=SystemClock(), env={})
        empty = prometheus_probe(prometheus_stack, 'demo_requests_total{status="999"}')
        nothing = await poll_probe(client, empty, clock=SystemClock(), env={})
    finally:
        await client.aclose()
    assert sample.outcome == Outcome.OK, sample
    assert sample.http_status == 200
    assert sample.value is not None and 0.05 <= sample.value <= 0.25, sample
    assert nothing.outcome == Outcome.NO_DATA, nothing


THREE_SERIES = (
    'vector(1) or label_replace(vector(2), "x", "y", "", "") '
    'or label_replace(vector(3), "x", "z", "", "")'
)
"""Three series with fixed values (1, 2, 3), listed in whatever order Prometheus likes."""
BUCKETS = "demo_request_duration_seconds_bucket"


async def test_several_series_need_a_reduction_stated_in_the_runbook(
    prometheus_stack: PrometheusStack,
) -> None:
    prometheus_stack.wait_for('up{job="demo"}', lambda up: up == 1)
    buckets = len(prometheus_stack.query(BUCKETS))
    assert buckets > 1
    client = make_client()
    try:
        unreduced = await poll_probe(
            client, prometheus_probe(prometheus_stack, BUCKETS), clock=SystemClock(), env={}
        )
        reduced = {
            reduce: await poll_probe(
                client,
                replace(prometheus_probe(prometheus_stack, THREE_SERIES), reduce=reduce),
                clock=SystemClock(),
                env={},
            )
            for reduce in Reduce
        }
        three = await poll_probe(
            client, prometheus_probe(prometheus_stack, THREE_SERIES), clock=SystemClock(), env={}
        )
    finally:
        await client.aclose()
    assert (unreduced.outcome, unreduced.value) == (Outcome.ERROR, None)
    assert unreduced.detail == f"{buckets} series; add `reduce: max|min|sum|avg` to the probe"
    assert three.detail == "3 series; add `reduce: max|min|sum|avg` to the probe"
    assert {reduce: (s.outcome, s.value) for reduce, s in reduced.items()} == {
        Reduce.MAX: (Outcome.OK, 3.0),
        Reduce.MIN: (Outcome.OK, 1.0),
        Reduce.SUM: (Outcome.OK, 6.0),
        Reduce.AVG: (Outcome.OK, 2.0),
    }


def test_error_ratio_is_bad_then_back_under_the_trigger_after_rollback(
    prometheus_stack: PrometheusStack,
) -> None:
    # A full window first: a ratio from the first two scrapes rests on ~20 requests.
    prometheus_stack.wait_for(SCRAPES_IN_WINDOW, lambda scrapes: scrapes >= 8)
    before = prometheus_stack.wait_for(ERROR_RATIO, lambda _: True)
    assert 0.05 <= before <= 0.25, before

    response = httpx.post(f"{prometheus_stack.demo.url}/admin/rollback", timeout=5)
    assert response.status_code == 200
    assert response.json()["version"] == "2.4.0"

    after = prometheus_stack.wait_for(ERROR_RATIO, lambda ratio: ratio < 0.05)
    assert 0 <= after < 0.05
    assert prometheus_stack.wait_for('demo_version_info{version="2.4.0"}', lambda v: v == 1)
