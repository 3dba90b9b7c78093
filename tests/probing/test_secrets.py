"""A probe's secrets (${ENV} in its URL and headers) reach the wire and nothing else."""

from __future__ import annotations

import json

import pytest

from incident.core.samples import Outcome
from runbooks.model import Probe, ProbeKind
from tests.http_servers import (
    LoopbackServer,
)
from tests.probing.helpers import SECRET, assert_clean, echo_routes, http, poll, version

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


async def test_a_value_that_is_not_ascii_is_refused_unsent_in_words(server, client):
    """httpx raised UnicodeEncodeError, recorded as Python's own message on every poll."""
    probe = http(server.url("/health"), headers=(("Authorization", "Bearer ${TOKEN}"),))
    sample = await poll(client, probe, env={"TOKEN": "ésecret"})
    assert sample.outcome == Outcome.ERROR
    assert sample.detail == "header 'Authorization' is not ASCII after expansion"
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


async def test_a_port_from_the_environment_is_checked_when_sent(server, client):
    """`host:${PORT}` failed validation ("Port could not be cast to integer"), and a
    port out of range read 'ExceptionGroup: unhandled errors in a TaskGroup' (a
    hostile review). It is known only when sent, and refused there in words."""
    from runbooks.checks import url_problem

    url = "http://127.0.0.1:${PORT}/health"
    assert url_problem(url) is None
    good = await poll(client, http(url), env={"PORT": str(server.port)})
    assert good.outcome == Outcome.OK
    for port in ("99999", "http", "-1"):
        bad = await poll(client, http(url), env={"PORT": port})
        assert (bad.outcome, bad.detail) == (
            Outcome.ERROR,
            "the URL's port is not a number from 0 to 65535 after expansion",
        )


def test_a_failure_in_a_group_is_named_by_its_member() -> None:
    from tui.net.probing import _classify_failure

    group = ExceptionGroup("unhandled errors in a TaskGroup", [OverflowError("port 0-65535")])
    reading = _classify_failure(group, http("http://h/"), "http://h/")
    assert reading.detail == "unexpected failure (OverflowError)"  # its text may hold the URL


async def test_a_host_named_like_a_secret_is_not_named_by_the_dns_failure(client):
    """A probe's host is no secret (`runbooks.secret_reads`) unless its name says so."""
    host_secret = "Priv4te-Cluster-Name-77"
    probe = http("http://${HOST_SECRET}.invalid/health", timeout_s=10.0)
    sample = await poll(client, probe, env={"HOST_SECRET": host_secret})
    assert (sample.outcome, sample.detail) == (Outcome.DNS, "cannot resolve host ***.invalid")
    assert_clean(sample, host_secret, host_secret.lower(), host_secret[:8].lower())


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


async def test_a_reference_with_a_default_uses_it_only_when_unset_or_empty(server, client):
    """`${NAME:-default}` as in the shell: what `lastgood init` writes for a URL that
    differs between staging and production."""
    elsewhere = "http://127.0.0.1:9/nowhere"
    probe = http("${HEALTH_URL:-" + server.url("/health") + "}", json_field="error_rate")
    for env in ({}, {"HEALTH_URL": ""}):
        sample = await poll(client, probe, env=env)
        assert sample.outcome == Outcome.OK, env
    overridden = await poll(client, probe, env={"HEALTH_URL": elsewhere})
    assert overridden.outcome == Outcome.REFUSED
    assert len(server.requests) == 2
