"""Prometheus probes against a loopback server that answers as Prometheus does."""

from __future__ import annotations

import pytest
from msgspec.structs import replace

from incident.core.payloads import sample_to_json
from incident.core.samples import Outcome
from runbooks.model import Probe, ProbeKind, Reduce
from tests.probing.helpers import SECRET, assert_clean, poll, prometheus

# --- prometheus kind ----------------------------------------------------------------


async def test_prometheus_vector_reads_the_first_sample(server, client):
    sample = await poll(client, prometheus(server, "error_rate"))
    assert (sample.outcome, sample.value, sample.detail) == (Outcome.OK, 0.031, "")
    request = server.requests[-1]
    assert (request.path, request.query) == ("/api/v1/query", {"query": "error_rate"})


async def test_prometheus_base_url_may_have_a_path_and_a_trailing_slash(server, client):
    sample = await poll(client, prometheus(server, "error_rate", path="/"))
    assert sample.outcome == Outcome.OK
    full = await poll(client, prometheus(server, "error_rate", path="/api/v1/query"))
    assert full.outcome == Outcome.OK
    assert server.paths() == ["/api/v1/query", "/api/v1/query"]


async def test_prometheus_several_series_need_a_stated_reduction(server, client):
    several = await poll(client, prometheus(server, "up"))
    assert (several.outcome, several.value) == (Outcome.ERROR, None)
    assert several.detail == "3 series; add `reduce: max|min|sum|avg` to the probe"
    reduced = await poll(client, replace(prometheus(server, "up"), reduce=Reduce.MIN))
    assert (reduced.outcome, reduced.value, reduced.detail) == (Outcome.OK, 0.0, "")


async def test_prometheus_scalar(server, client):
    sample = await poll(client, prometheus(server, "scalar(42)"))
    assert (sample.outcome, sample.value) == (Outcome.OK, 42.0)


@pytest.mark.parametrize(
    ("query", "detail"),
    [
        ("absent_metric", "query returned no series"),
        ("nan_metric", "query returned NaN"),
        ("inf_metric", "query returned +Inf"),
        ("minus_inf_metric", "query returned -Inf"),
    ],
)
async def test_prometheus_no_data(server, client, query, detail):
    sample = await poll(client, prometheus(server, query))
    assert (sample.outcome, sample.value, sample.detail) == (Outcome.NO_DATA, None, detail)
    assert "value" not in sample_to_json(sample)


async def test_prometheus_error_status_carries_the_message(server, client):
    sample = await poll(client, prometheus(server, "rate("))
    assert sample.outcome == Outcome.ERROR
    assert sample.http_status == 400
    assert sample.detail.startswith("Prometheus error (bad_data): invalid parameter")
    assert "unclosed left parenthesis" in sample.detail


async def test_prometheus_long_error_is_truncated_to_one_line(server, client):
    sample = await poll(client, prometheus(server, "too_heavy"))
    assert sample.outcome == Outcome.ERROR
    assert sample.detail.startswith("Prometheus error (execution): query processing")
    assert sample.detail.endswith("…")
    assert_clean(sample)


async def test_prometheus_rejection_without_a_body_is_an_error(server, client):
    sample = await poll(client, prometheus(server, "bare_400"))
    assert (sample.outcome, sample.detail) == (
        Outcome.ERROR,
        "Prometheus rejected the query (HTTP 400)",
    )


async def test_prometheus_gateway_failure_is_http_status(server, client):
    sample = await poll(client, prometheus(server, "gateway_down"))
    assert (sample.outcome, sample.detail) == (Outcome.HTTP_STATUS, "HTTP 503 (expected 200)")


@pytest.mark.parametrize(
    ("query", "detail"),
    [
        ("broken_json", "invalid JSON: "),
        ("malformed", "malformed sample"),
        ("not_a_number", "sample value 'many' is not a number"),
        ("no_data_key", "not a Prometheus answer"),
    ],
)
async def test_prometheus_malformed_answers_are_bad_json(server, client, query, detail):
    sample = await poll(client, prometheus(server, query))
    assert sample.outcome == Outcome.BAD_JSON
    assert sample.detail.startswith(detail)


async def test_prometheus_matrix_is_refused_by_name(server, client):
    sample = await poll(client, prometheus(server, "range[5m]"))
    assert sample.outcome == Outcome.ERROR
    assert sample.detail == "query returned a matrix; expected a vector or scalar"


async def test_prometheus_headers_are_expanded_too(server, client):
    probe = Probe(
        name="prom",
        kind=ProbeKind.PROMETHEUS,
        url=server.url(),
        query="error_rate",
        headers=(("Authorization", "Bearer ${TOKEN}"),),
    )
    sample = await poll(client, probe, env={"TOKEN": SECRET})
    assert sample.outcome == Outcome.OK
    assert server.requests[-1].headers["authorization"] == f"Bearer {SECRET}"
    assert_clean(sample, SECRET)


async def test_an_impact_query_answered_with_several_series_names_no_probe(client):
    """measure-impact's queries are sum()s: a server answering several series is not a
    Prometheus, and "add `reduce:` to the probe" named nothing the user wrote (a
    hostile review)."""
    from datetime import UTC, datetime

    from incident.core.errors import CommandError
    from tests.http_servers import LoopbackServer, Received, Reply
    from tui.net.impact_query import instant_query, prometheus_at

    async def two_series(request: Received, reply: Reply) -> None:
        series = [{"metric": {"i": name}, "value": [0, "1"]} for name in ("a", "b")]
        await reply.json({"status": "success", "data": {"resultType": "vector", "result": series}})

    async with LoopbackServer({"/api/v1/query": two_series}) as server:
        query = instant_query(client, prometheus_at(server.url("")))
        with pytest.raises(CommandError) as refused:
            await query("sum(increase(x[5m]))", datetime.now(UTC))
    assert str(refused.value).endswith("2 series where a sum() gives one")
    assert "probe" not in str(refused.value)
