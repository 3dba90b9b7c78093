"""One poll of an http probe on loopback: fields, statuses, bodies, deadlines, failures."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from incident.core.clock import ManualClock
from incident.core.samples import Outcome
from tests.conftest import T0
from tests.gate_waiting import until
from tests.http_servers import (
    unused_port,
)
from tests.probing.helpers import assert_clean, http, poll
from tui.net.probing import poll_probe

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
    sample = await poll(client, http(server.url("/huge"), timeout_s=20.0))
    assert sample.outcome == Outcome.TOO_LARGE  # not TIMEOUT: it stopped reading early
    assert sample.detail == "body over 1 MiB"
    assert sample.http_status == 200
    await until(lambda: server.in_flight == 0)  # the server has noticed the hang-up
    assert server.body_bytes_sent < 25 * 1024 * 1024  # far from all 50 MB


async def test_declared_content_length_is_refused_up_front(server, client):
    sample = await poll(client, http(server.url("/huge-declared"), timeout_s=20.0))
    assert sample.outcome == Outcome.TOO_LARGE
    assert sample.detail == "body over 1 MiB"
    await until(lambda: server.in_flight == 0)
    assert server.body_bytes_sent < 25 * 1024 * 1024


async def test_body_limit_is_configurable(server, client):
    sample = await poll(client, http(server.url("/version-long")), max_body_bytes=100)
    assert sample.outcome == Outcome.TOO_LARGE
    assert sample.detail == "body over 100 bytes"


async def test_a_server_that_never_answers_times_out(server, client):
    # The probe's own deadline ends the poll; the outer one only keeps a broken
    # deadline from hanging the suite (it raises instead of giving a sample).
    sample = await asyncio.wait_for(poll(client, http(server.url("/hang"), timeout_s=0.5)), 30)
    assert sample.outcome == Outcome.TIMEOUT
    assert sample.detail == "no answer within 0.5 s"
    assert sample.latency_ms is not None and sample.latency_ms >= 400


async def test_a_server_that_drips_its_body_hits_the_total_deadline(server, client):
    # Each byte arrives well within httpx's per-read timeout; only the total deadline
    # around the whole exchange, body included, can stop it.
    sample = await asyncio.wait_for(poll(client, http(server.url("/drip"), timeout_s=1.0)), 30)
    assert sample.outcome == Outcome.TIMEOUT
    assert sample.detail == "no answer within 1.0 s"


async def test_a_server_that_hangs_up_mid_body_is_an_error_said_in_words(server, client):
    sample = await poll(client, http(server.url("/close-mid-body")))
    assert sample.outcome == Outcome.ERROR
    assert sample.http_status == 200
    assert sample.detail == "the connection closed before the whole body came"
    assert_clean(sample)


async def test_cancellation_propagates(server, client):
    task = asyncio.create_task(poll(client, http(server.url("/hang"), timeout_s=30.0)))
    await until(lambda: server.paths() == ["/hang"])  # the poll waits for an answer
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
    assert scheme.detail == "the URL is not an http or https URL"
    broken = await poll(client, http("http://[::1/health"))
    assert broken.outcome == Outcome.ERROR
