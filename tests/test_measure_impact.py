"""Failed requests and their share of traffic, counted by a real Prometheus.

`lastgood measure-impact` (a real subprocess, a real SQLite file) asks the
Prometheus that scrapes the demo shop for `sum(increase(...))` over the impact
window, records the figures with the queries, and the report and the export show
them. The figures are checked against the same queries asked of Prometheus here.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.cli_helpers import Cli
from tests.golden.markdown_checks import fences, inline_text, section_items, tokens
from tests.prometheus_helpers import (  # the fixture is imported for pytest to find
    PrometheusStack,
    free_port,
    prometheus_stack_fixture,  # noqa: F401
)
from tests.test_json_schemas import assert_valid

FAILED = 'demo_requests_total{status="500"}'
TOTAL = "demo_requests_total"
SCRAPES_IN_WINDOW = 'count_over_time(demo_requests_total{status="200"}[15s])'
LATEST_SCRAPE = 'max(timestamp(demo_requests_total{status="200"}))'


def measure(incident_id: str, url: str, *, failed: str = FAILED) -> tuple[str, ...]:
    """`lastgood measure-impact` on the demo's request counters, asking `url`."""
    return (
        "measure-impact",
        incident_id,
        "--failed",
        failed,
        "--total",
        TOTAL,
        "--prometheus",
        url,
    )


def value_at(stack: PrometheusStack, promql: str, at: str) -> float:
    moment = datetime.fromisoformat(at.replace("Z", "+00:00")).timestamp()
    response = httpx.get(
        f"{stack.url}/api/v1/query", params={"query": promql, "time": f"{moment:.3f}"}, timeout=5
    )
    response.raise_for_status()
    (series,) = response.json()["data"]["result"]
    return float(series["value"][1])


def exported(cli: Cli, incident_id: str) -> dict[str, Any]:
    """The incident's JSON export, read in this process (a read-back, not the process
    under test)."""
    return dict(json.loads(cli.in_process().ok("export", incident_id, "--format", "json")))


@pytest.fixture(scope="module")
def resolved(prometheus_stack: PrometheusStack, tmp_path_factory: pytest.TempPathFactory):
    """An incident whose impact began 10 s ago, closed now, once Prometheus has scraped
    past the close (so no later scrape can change what the window holds)."""
    prometheus_stack.wait_for(SCRAPES_IN_WINDOW, lambda scrapes: scrapes >= 12)
    cli = Cli(tmp_path_factory.mktemp("impact") / "impact.db")
    setup = cli.in_process()  # the declaration, the close and the read: measuring a process
    started = (datetime.now(UTC) - timedelta(seconds=10)).isoformat()
    incident_id = setup.ok(
        "declare",
        "--title",
        "Checkout errors",
        "--severity",
        "SEV2",
        "--commander",
        "Ada",
        "--started-at",
        started,
    ).strip()
    open_result = cli.run(*measure(incident_id, prometheus_stack.url))
    setup.ok("close", incident_id, "--force", "--reason", "measured in a test")
    closed_at = json.loads(setup.ok("status", incident_id, "--json"))["closed_at"]
    end = datetime.fromisoformat(closed_at.replace("Z", "+00:00")).timestamp()
    prometheus_stack.wait_for(LATEST_SCRAPE, lambda latest: latest > end + 1)
    return cli, incident_id, open_result


def test_before_resolution_the_window_has_no_end(resolved):
    _, _, open_result = resolved
    assert open_result.code != 0
    assert open_result.err.strip().endswith(
        "the impact window ends at the resolution: send the resolution message or close the "
        "incident first"
    )
    assert len(open_result.err.strip().splitlines()) == 1


def test_failed_requests_and_their_share_come_from_increase(resolved, prometheus_stack):
    cli, incident_id, _ = resolved
    said = cli.ok(*measure(incident_id, prometheus_stack.url))
    assert "impact measured: " in said
    requests = exported(cli, incident_id)["requests"]
    seconds = requests["failed_query"].rsplit("[", 1)[1].split("s]")[0]
    assert requests["failed_query"] == f"sum(increase({FAILED}[{seconds}s]))"
    assert requests["total_query"] == f"sum(increase({TOTAL}[{seconds}s]))"
    # the window runs from the impact start (declared 10 s back) to the window's end,
    # rounded up to a whole second: derived from the record, not bounded by a clock
    started_at = json.loads(cli.in_process().ok("status", incident_id, "--json"))["started_at"]
    window = _moment(requests["end"]) - _moment(started_at)
    assert int(seconds) == math.ceil(window.total_seconds()) >= 10
    # the same queries, asked here at the window's end, give the same figures
    assert requests["failed"] == value_at(
        prometheus_stack, requests["failed_query"], requests["end"]
    )
    assert requests["total"] == value_at(prometheus_stack, requests["total_query"], requests["end"])
    assert 0 < requests["failed"] < requests["total"]
    assert requests["share"] == pytest.approx(requests["failed"] / requests["total"])
    assert 0.02 < requests["share"] < 0.3  # 2.4.1 fails about one request in eight

    report = cli.in_process().ok("export", incident_id, "--format", "markdown")
    found = tokens(report)
    users = " ".join(inline_text(t) for t in found if t.type == "inline")
    share = requests["failed"] / requests["total"]
    assert (
        f"Failed requests: {requests['failed']:,.0f} of {requests['total']:,.0f} "
        f"({share:.1%} of traffic)"
    ) in users
    assert fences(found, "promql") == [f"{requests['failed_query']}\n{requests['total_query']}\n"]
    assert section_items(found, "Timeline")  # the measurement is listed like any action
    assert "Impact measured: " in report


def test_an_unreachable_prometheus_is_one_line_and_records_nothing(resolved):
    cli, incident_id, _ = resolved
    before = json.loads(cli.in_process().ok("export", incident_id, "--format", "json"))[
        "event_count"
    ]
    result = cli.run(*measure(incident_id, f"http://127.0.0.1:{free_port()}"))
    assert result.code != 0
    assert "Prometheus (prometheus) could not answer" in result.err
    assert "connection refused" in result.err and "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1
    after = json.loads(cli.in_process().ok("export", incident_id, "--format", "json"))[
        "event_count"
    ]
    assert after == before


def test_a_selector_prometheus_refuses_is_its_error(resolved, prometheus_stack):
    cli, incident_id, _ = resolved
    result = cli.run(*measure(incident_id, prometheus_stack.url, failed="demo_requests_total{"))
    assert result.code != 0 and "Traceback" not in result.err
    assert "Prometheus error (bad_data)" in result.err


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_a_failed_selector_matching_no_series_is_counted_as_none_and_said(
    resolved, prometheus_stack
):
    """Prometheus answers `"result":[]` for a typo as for an exporter that has not yet
    exposed its 5xx series: counted as none failed, as before, but said where it is
    printed, in the report's Impact, the timeline and the export (review 4, finding 5)."""
    cli, incident_id, _ = resolved
    said = cli.ok(*measure(incident_id, prometheus_stack.url, failed="nope_total"))
    assert (  # measured after the close, and said so
        "requests failed (0.0%); --failed matched no series: counted as none failed; "
        "check the selector if failures were expected (after the close at T+"
    ) in said
    export = exported(cli, incident_id)
    assert_valid("export", export)  # the schema documents the flag
    requests = export["requests"]
    assert requests["failed"] == 0 and requests["failed_no_series"] is True
    report = cli.in_process().ok("export", incident_id, "--format", "markdown")
    assert (
        "⚠ The failed requests' query matched no series: counted as none failed; "
        "check the selector if failures were expected."
    ) in report
    assert "requests failed (the failed query matched no series)" in report
    # a selector that matches, measured again, is a count again
    cli.ok(*measure(incident_id, prometheus_stack.url))
    requests = exported(cli, incident_id)["requests"]
    assert requests["failed"] > 0 and requests["failed_no_series"] is False
    report = cli.in_process().ok("export", incident_id, "--format", "markdown")
    assert "⚠ The failed requests' query matched no series" not in report
    assert "requests failed (the failed query matched no series)" in report  # as it was then


def test_a_total_selector_matching_no_series_is_refused(resolved, prometheus_stack):
    cli, incident_id, _ = resolved
    before = json.loads(cli.in_process().ok("export", incident_id, "--format", "json"))[
        "event_count"
    ]
    result = cli.run(
        "measure-impact",
        incident_id,
        "--failed",
        FAILED,
        "--total",
        "nope_total",
        "--prometheus",
        prometheus_stack.url,
    )
    assert result.code != 0 and "Traceback" not in result.err
    assert "--total matched no series: Prometheus has no data for " in result.err
    assert result.err.strip().endswith("check the selector")
    assert len(result.err.strip().splitlines()) == 1
    after = json.loads(cli.in_process().ok("export", incident_id, "--format", "json"))[
        "event_count"
    ]
    assert after == before


def test_a_url_that_is_not_prometheus_is_named_as_the_problem(resolved, prometheus_stack):
    """`--prometheus` at the service's own URL, or the browser's `/graph`: a 404 from
    `/api/v1/query` said `HTTP 404 (expected 200)` of the query (review 4, finding 1)."""
    cli, incident_id, _ = resolved
    service = prometheus_stack.demo.url.rstrip("/")
    for given, base in (
        (service, None),
        (f"{prometheus_stack.url}/graph", prometheus_stack.url),
    ):
        result = cli.run(*measure(incident_id, given))
        assert result.code != 0 and "Traceback" not in result.err
        assert f"no Prometheus API at {given}: give the server's base URL" in result.err
        if base is not None:
            assert result.err.strip().endswith(f"e.g. {base}")
        assert len(result.err.strip().splitlines()) == 1
