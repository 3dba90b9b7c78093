"""Version probes: the running version, from a JSON field or a plain body."""

from __future__ import annotations

from incident.core.samples import Outcome
from tests.probing.helpers import poll, version

# --- version kind -------------------------------------------------------------------


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


async def test_a_body_in_an_encoding_not_decoded_is_an_error_not_a_version(server, client):
    """httpx (without brotli) hands `br` bytes over as they came: the version was `␀…`."""
    sample = await poll(client, version(server.url("/brotli")))
    assert (sample.outcome, sample.http_status) == (Outcome.ERROR, 200)
    assert sample.detail == "body in an encoding lastgood cannot decode: 'br'"
    assert sample.text is None
