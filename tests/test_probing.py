"""One poll of one probe, against real HTTP servers on loopback (no mocks)."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import replace

import httpx
import pytest

from incident.core.clock import ManualClock, SystemClock
from incident.core.payloads import sample_to_json
from incident.core.samples import Outcome, Sample
from runbooks.model import Probe, ProbeKind, Reduce
from tests.conftest import T0
from tests.http_servers import (
    Handler,
    LoopbackServer,
    Received,
    Reply,
    standard_routes,
    unused_port,
)
from tui.net.client import client_pool_size, make_client
from tui.net.probing import poll_probe

SECRET = "s3cr3t-t0ken-value"


@pytest.fixture
async def server() -> AsyncIterator[LoopbackServer]:
    async with LoopbackServer(standard_routes()) as running:
        yield running


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with make_client() as shared:
        yield shared


def http(url: str, **kw: object) -> Probe:
    return Probe(name="api", kind=ProbeKind.HTTP, url=url, **kw)  # type: ignore[arg-type]


async def poll(client: httpx.AsyncClient, probe: Probe, **kw: object) -> Sample:
    env = kw.pop("env", {})
    return await poll_probe(client, probe, clock=SystemClock(), env=env, **kw)  # type: ignore[arg-type]


def assert_clean(sample: Sample, *secrets: str) -> None:
    """The sample, as shown and as stored, is one line and holds none of `secrets`."""
    stored = json.dumps(sample_to_json(sample))
    for secret in secrets:
        assert secret not in stored
        assert secret not in repr(sample)
    assert "\n" not in sample.detail
    assert len(sample.detail) <= 160


# --- http kind ----------------------------------------------------------------------


async def test_healthy_endpoint_reads_a_numeric_field(server, client):
    sample = await poll(client, http(server.url("/health"), json_field="error_rate"))
    assert sample.outcome == Outcome.OK
    assert sample.value == 0.12
    assert sample.http_status == 200
    assert sample.latency_ms is not None and sample.latency_ms > 0
    assert sample.detail == ""


async def test_at_is_the_clock_time_at_start_and_latency_uses_the_clock(server, client):
    clock = ManualClock(T0)
    sample = await poll_probe(client, http(server.url("/health")), clock=clock, env={})
    assert sample.at == T0
    assert sample.outcome == Outcome.OK
    assert sample.latency_ms == 0.0  # a manual clock does not move by itself


async def test_healthy_endpoint_without_a_field_is_just_ok(server, client):
    sample = await poll(client, http(server.url("/health")))
    assert (sample.outcome, sample.value, sample.text) == (Outcome.OK, None, None)


async def test_dotted_path_reaches_nested_fields_and_list_items(server, client):
    nested = await poll(client, http(server.url("/nested"), json_field="checks.db.error_rate"))
    assert (nested.outcome, nested.value) == (Outcome.OK, 0.02)
    item = await poll(client, http(server.url("/nested"), json_field="nodes.0.name"))
    assert (item.outcome, item.text) == (Outcome.OK, "web-0")


async def test_string_and_bool_fields_become_text(server, client):
    status = await poll(client, http(server.url("/health"), json_field="status"))
    assert (status.outcome, status.text, status.value) == (Outcome.OK, "ok", None)
    flag = await poll(client, http(server.url("/nested"), json_field="checks.db.ok"))
    assert (flag.outcome, flag.text) == (Outcome.OK, "true")


async def test_missing_field_is_bad_json_naming_the_field(server, client):
    sample = await poll(client, http(server.url("/nested"), json_field="checks.db.latency"))
    assert sample.outcome == Outcome.BAD_JSON
    assert sample.detail == "no field 'checks.db.latency' in the JSON"


async def test_an_object_where_a_value_was_expected_is_bad_json(server, client):
    sample = await poll(client, http(server.url("/nested"), json_field="checks.db"))
    assert sample.outcome == Outcome.BAD_JSON
    assert sample.detail == "field 'checks.db' is an object, not a value"


async def test_nan_and_null_fields_are_no_data(server, client):
    nan = await poll(client, http(server.url("/nan"), json_field="error_rate"))
    assert (nan.outcome, nan.value) == (Outcome.NO_DATA, None)
    assert nan.detail == "field 'error_rate' is NaN"
    null = await poll(client, http(server.url("/nan"), json_field="nothing"))
    assert null.outcome == Outcome.NO_DATA
    assert null.detail == "field 'nothing' is null"


async def test_unexpected_status_is_http_status(server, client):
    sample = await poll(client, http(server.url("/fail"), json_field="error_rate"))
    assert sample.outcome == Outcome.HTTP_STATUS
    assert sample.detail == "HTTP 500 (expected 200)"
    assert sample.http_status == 500
    assert sample.latency_ms is not None


async def test_expected_status_other_than_200_is_ok(server, client):
    sample = await poll(client, http(server.url("/fail"), expect_status=500))
    assert sample.outcome == Outcome.OK


async def test_invalid_json_is_bad_json_with_a_short_reason(server, client):
    sample = await poll(client, http(server.url("/invalid-json"), json_field="status"))
    assert sample.outcome == Outcome.BAD_JSON
    assert sample.detail.startswith("invalid JSON: ")
    assert sample.http_status == 200
    assert_clean(sample)


async def test_invalid_json_without_a_field_is_not_parsed(server, client):
    sample = await poll(client, http(server.url("/invalid-json")))
    assert sample.outcome == Outcome.OK


async def test_redirect_is_not_followed(server, client):
    sample = await poll(client, http(server.url("/redirect")))
    assert sample.outcome == Outcome.HTTP_STATUS
    assert sample.detail == "HTTP 302 (expected 200)"
    assert server.paths() == ["/redirect"]
    expected = await poll(client, http(server.url("/redirect"), expect_status=302))
    assert expected.outcome == Outcome.OK


async def test_redirect_is_not_followed_even_by_a_client_that_would(server):
    async with httpx.AsyncClient(follow_redirects=True) as eager:
        sample = await poll(eager, http(server.url("/redirect")))
    assert (sample.outcome, sample.http_status) == (Outcome.HTTP_STATUS, 302)
    assert server.paths() == ["/redirect"]


# --- bodies and deadlines -----------------------------------------------------------


async def test_streamed_50mb_body_is_cut_off_as_too_large(server, client):
    started = time.monotonic()
    sample = await poll(client, http(server.url("/huge"), timeout_s=20.0))
    assert sample.outcome == Outcome.TOO_LARGE
    assert sample.detail == "body over 1 MiB"
    assert sample.http_status == 200
    assert time.monotonic() - started < 10.0
    await asyncio.sleep(0.1)  # let the server notice the hang-up
    assert server.body_bytes_sent < 25 * 1024 * 1024  # far from all 50 MB


async def test_declared_content_length_is_refused_up_front(server, client):
    sample = await poll(client, http(server.url("/huge-declared"), timeout_s=20.0))
    assert sample.outcome == Outcome.TOO_LARGE
    assert sample.detail == "body over 1 MiB"
    await asyncio.sleep(0.1)
    assert server.body_bytes_sent < 25 * 1024 * 1024


async def test_body_limit_is_configurable(server, client):
    sample = await poll(client, http(server.url("/version-long")), max_body_bytes=100)
    assert sample.outcome == Outcome.TOO_LARGE
    assert sample.detail == "body over 100 bytes"


async def test_a_server_that_never_answers_times_out(server, client):
    started = time.monotonic()
    sample = await poll(client, http(server.url("/hang"), timeout_s=0.5))
    elapsed = time.monotonic() - started
    assert sample.outcome == Outcome.TIMEOUT
    assert sample.detail == "no answer within 0.5 s"
    assert sample.latency_ms is not None and sample.latency_ms >= 400
    assert elapsed < 0.5 + 1.5


async def test_a_server_that_drips_its_body_hits_the_total_deadline(server, client):
    # Each byte arrives well within httpx's per-read timeout; only the total deadline
    # around the whole exchange, body included, can stop it.
    started = time.monotonic()
    sample = await poll(client, http(server.url("/drip"), timeout_s=1.0))
    assert sample.outcome == Outcome.TIMEOUT
    assert sample.detail == "no answer within 1.0 s"
    assert time.monotonic() - started < 1.0 + 1.5


async def test_a_server_that_hangs_up_mid_body_is_an_error_named_by_class(server, client):
    sample = await poll(client, http(server.url("/close-mid-body")))
    assert sample.outcome == Outcome.ERROR
    assert sample.detail.startswith("RemoteProtocolError")
    assert_clean(sample)


async def test_cancellation_propagates(server, client):
    task = asyncio.create_task(poll(client, http(server.url("/hang"), timeout_s=30.0)))
    await asyncio.sleep(0.2)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


# --- connection failures ------------------------------------------------------------


async def test_nothing_listening_is_refused(client):
    sample = await poll(client, http(f"http://127.0.0.1:{unused_port()}/health"))
    assert sample.outcome == Outcome.REFUSED
    assert sample.detail == "connection refused"
    assert sample.http_status is None
    assert sample.latency_ms is not None


async def test_unknown_host_is_dns(client):
    sample = await poll(client, http("http://does-not-exist.invalid/health", timeout_s=10.0))
    assert sample.outcome == Outcome.DNS
    assert sample.detail == "cannot resolve host does-not-exist.invalid"


async def test_https_to_a_plain_http_server_is_tls(server, client):
    sample = await poll(client, http(server.url("/health", scheme="https")))
    assert sample.outcome == Outcome.TLS
    assert sample.detail.startswith("TLS handshake failed: ")
    assert_clean(sample)


async def test_unusable_urls_are_errors_not_exceptions(client):
    scheme = await poll(client, http("ftp://127.0.0.1/health"))
    assert scheme.outcome == Outcome.ERROR
    assert scheme.detail.startswith("UnsupportedProtocol")
    broken = await poll(client, http("http://[::1/health"))
    assert broken.outcome == Outcome.ERROR


# --- headers and secrets ------------------------------------------------------------


async def test_header_references_are_expanded_on_the_wire_only(server, client):
    probe = http(
        server.url("/health"),
        json_field="error_rate",
        headers=(("Authorization", "Bearer ${TOKEN}"), ("X-Team", "${TEAM}-oncall")),
    )
    sample = await poll(client, probe, env={"TOKEN": SECRET, "TEAM": "payments"})
    assert sample.outcome == Outcome.OK
    received = server.requests[-1].headers
    assert received["authorization"] == f"Bearer {SECRET}"
    assert received["x-team"] == "payments-oncall"
    assert received["user-agent"].startswith("lastgood/")
    assert_clean(sample, SECRET, f"Bearer {SECRET}")


@pytest.mark.parametrize(
    ("path", "kw", "outcome"),
    [
        ("/fail", {}, Outcome.HTTP_STATUS),
        ("/hang", {"timeout_s": 0.3}, Outcome.TIMEOUT),
        ("/invalid-json", {"json_field": "x"}, Outcome.BAD_JSON),
        ("/close-mid-body", {}, Outcome.ERROR),
    ],
)
async def test_failures_never_carry_the_secret(server, client, path, kw, outcome):
    probe = http(server.url(path), headers=(("Authorization", "Bearer ${TOKEN}"),), **kw)
    sample = await poll(client, probe, env={"TOKEN": SECRET})
    assert sample.outcome == outcome
    assert server.requests[-1].headers["authorization"] == f"Bearer {SECRET}"
    assert_clean(sample, SECRET)


async def test_missing_environment_variable_is_an_error_and_nothing_is_sent(server, client):
    probe = http(server.url("/health"), headers=(("Authorization", "Bearer ${HEALTH_TOKEN}"),))
    sample = await poll(client, probe, env={"OTHER": SECRET})
    assert sample.outcome == Outcome.ERROR
    assert sample.detail == "environment variable HEALTH_TOKEN is not set"
    assert sample.latency_ms is None
    assert server.requests == []


async def test_a_value_that_would_split_the_header_is_refused_unsent(server, client):
    probe = http(server.url("/health"), headers=(("X-Token", "${TOKEN}"),))
    sample = await poll(client, probe, env={"TOKEN": "abc\r\nX-Evil: 1"})
    assert sample.outcome == Outcome.ERROR
    assert sample.detail == "header 'X-Token' has a control character after expansion"
    assert server.requests == []


async def test_url_references_are_expanded_on_the_wire_only(server, client):
    probe = http(server.url("/health") + "?key=${KEY}", json_field="error_rate")
    sample = await poll(client, probe, env={"KEY": SECRET})
    assert (sample.outcome, server.requests[-1].query) == (Outcome.OK, {"key": SECRET})
    missing = await poll(client, http(server.url("/${NOT_SET}")))
    assert (missing.outcome, missing.detail) == (
        Outcome.ERROR,
        "environment variable NOT_SET is not set",
    )


async def test_a_secret_host_is_not_named_by_the_dns_failure(client):
    host_secret = "Priv4te-Cluster-Name-77"
    probe = http("http://${HOST}.invalid/health", timeout_s=10.0)
    sample = await poll(client, probe, env={"HOST": host_secret})
    assert (sample.outcome, sample.detail) == (Outcome.DNS, "cannot resolve host ***.invalid")
    assert_clean(sample, host_secret, host_secret.lower(), host_secret[:8].lower())


def echo_routes(body: Callable[[str], bytes], status: int) -> dict[str, Handler]:
    """Answer `status` with a body made from the request's Authorization header."""

    async def echo(request: Received, reply: Reply) -> None:
        await reply.full(status, body(request.headers.get("authorization", "")))

    return {"/echo": echo, "/api/v1/query": echo}


async def test_an_echoed_token_is_redacted_before_the_version_text_is_cut(client):
    async with LoopbackServer(echo_routes(lambda auth: b"v" * 190 + auth.encode(), 200)) as echo:
        probe = version(echo.url("/echo"), headers=(("Authorization", "Bearer ${TOKEN}"),))
        sample = await poll(client, probe, env={"TOKEN": SECRET})
    assert sample.text == "v" * 190 + "Bearer ***"  # cut at 200 first, "Bearer s3" would stay
    assert_clean(sample, SECRET, SECRET[:8])


async def test_an_echoed_token_straddling_the_cut_leaves_no_part_of_itself(client):
    def error(auth: str) -> bytes:
        message = "x" * (160 - len("Prometheus error (internal): ") - 12) + " " + auth
        return json.dumps({"status": "error", "errorType": "internal", "error": message}).encode()

    async with LoopbackServer(echo_routes(error, 500)) as echo:
        probe = Probe(
            name="prom",
            kind=ProbeKind.PROMETHEUS,
            url=echo.url("/") + "?tenant=${TENANT}",
            query="up",
            headers=(("Authorization", "Bearer ${TOKEN}"),),
        )
        sample = await poll(client, probe, env={"TOKEN": SECRET, "TENANT": "team-blue"})
        request = echo.requests[-1]
    assert (request.path, request.query) == (
        "/api/v1/query",
        {"tenant": "team-blue", "query": "up"},
    )
    assert sample.outcome == Outcome.ERROR
    assert sample.detail.endswith("Bearer ***")
    assert_clean(sample, SECRET, SECRET[:4])


# --- version kind -------------------------------------------------------------------


def version(url: str, **kw: object) -> Probe:
    return Probe(name="version", kind=ProbeKind.VERSION, url=url, **kw)  # type: ignore[arg-type]


async def test_version_from_a_json_field(server, client):
    sample = await poll(client, version(server.url("/health"), json_field="version"))
    assert (sample.outcome, sample.text, sample.value) == (Outcome.OK, "2.4.1", None)


async def test_version_from_a_plain_body_is_its_first_line(server, client):
    sample = await poll(client, version(server.url("/version")))
    assert (sample.outcome, sample.text) == (Outcome.OK, "2.4.1")


async def test_version_text_is_capped(server, client):
    sample = await poll(client, version(server.url("/version-long")))
    assert sample.text == "v" * 199 + "…"


async def test_version_needs_the_expected_status_and_a_body(server, client):
    failing = await poll(client, version(server.url("/fail"), json_field="version"))
    assert failing.outcome == Outcome.HTTP_STATUS
    empty = await poll(client, version(server.url("/empty")))
    assert (empty.outcome, empty.detail) == (Outcome.NO_DATA, "empty body")
    missing = await poll(client, version(server.url("/health"), json_field="build"))
    assert (missing.outcome, missing.detail) == (Outcome.BAD_JSON, "no field 'build' in the JSON")


# --- prometheus kind ----------------------------------------------------------------


def prometheus(server: LoopbackServer, query: str, path: str = "") -> Probe:
    return Probe(name="prom", kind=ProbeKind.PROMETHEUS, url=server.url(path), query=query)


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


# --- the shared client --------------------------------------------------------------


async def test_make_client_is_configured_for_probing():
    async with make_client(max_connections=12) as shared:
        assert shared.follow_redirects is False
        assert shared.headers["user-agent"].startswith("lastgood/")
        assert client_pool_size(shared) == 12
        assert shared.timeout.read is not None and shared.timeout.read > 2.0


async def test_pool_size_of_a_plain_client_is_read_from_its_transport():
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=7)) as plain:
        assert client_pool_size(plain) == 7
