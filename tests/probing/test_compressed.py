"""Compressed answers, read within the body limit: a bomb is TOO_LARGE, not 2 GB.

httpx inflated each network chunk whole before the limit was looked at, and
undid stacked encodings one after another: a gigabyte of zeros, a megabyte on the
wire, took `monitor` to 2 GB (a hostile review). `tui.net.bounded_body` inflates
with the limit on every step. The peak is read with `tracemalloc`, which counts
every buffer zlib hands Python: an allocation, not a time.
"""

from __future__ import annotations

import gzip
import tracemalloc
import zlib
from collections.abc import AsyncIterator
from functools import cache

import httpx
import pytest

from incident.core.samples import Outcome, Sample
from tests.http_servers import LoopbackServer, Received, Reply, gzip_bomb
from tests.probing.helpers import http, poll

ZEROS_MIB = 64


@cache
def bomb() -> bytes:
    """Made once, in the worker that runs these tests: not at every worker's collection."""
    return gzip_bomb(ZEROS_MIB)


DOCUMENT = b'{"status": "ok", "error_rate": 0.12}'


def answering(body: bytes, encoding: str, status: int = 200):  # type: ignore[no-untyped-def]
    async def answer(request: Received, reply: Reply) -> None:
        headers = {"Content-Type": "application/json", "Content-Length": str(len(body))}
        if encoding:
            headers["Content-Encoding"] = encoding
        await reply.head(status, headers)
        await reply.send(body)

    return answer


@pytest.fixture
async def encoded() -> AsyncIterator[LoopbackServer]:
    routes = {
        "/bomb": answering(bomb(), "gzip"),
        "/stacked": answering(gzip.compress(gzip.compress(DOCUMENT)), "gzip, gzip"),
        "/gzip": answering(gzip.compress(DOCUMENT), "gzip"),
        "/deflate": answering(zlib.compress(DOCUMENT), "deflate"),
        "/raw-deflate": answering(zlib.compress(DOCUMENT, wbits=-zlib.MAX_WBITS), "deflate"),
        "/corrupt": answering(b"\x1f\x8b\x08\x00not gzip at all", "gzip"),
        "/brotli": answering(DOCUMENT, "br"),
    }
    async with LoopbackServer(routes) as running:
        yield running


async def traced(client: httpx.AsyncClient, url: str) -> tuple[Sample, int]:
    """The sample, and the most memory Python held at once while it was taken."""
    tracemalloc.start()
    try:
        sample = await poll(client, http(url, json_field="error_rate"))
        return sample, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


async def test_a_gzip_bomb_is_too_large_and_never_inflated_whole(encoded, client):
    sample, peak = await traced(client, encoded.url("/bomb"))
    assert (sample.outcome, sample.detail) == (Outcome.TOO_LARGE, "body over 1 MiB")
    assert peak < 8 << 20, f"{peak / (1 << 20):.1f} MiB held for a 1 MiB limit"


async def test_gzip_and_deflate_with_or_without_its_wrapper_are_read(encoded, client):
    for path in ("/gzip", "/deflate", "/raw-deflate"):
        sample = await poll(client, http(encoded.url(path), json_field="error_rate"))
        assert (sample.outcome, sample.value) == (Outcome.OK, 0.12), path


async def test_stacked_or_unknown_encodings_are_refused_by_name(encoded, client):
    for path, encoding in (("/stacked", "gzip, gzip"), ("/brotli", "br")):
        sample = await poll(client, http(encoded.url(path)))
        assert sample.outcome is Outcome.ERROR
        assert sample.detail == f"body in an encoding lastgood cannot decode: {encoding!r}"


async def test_a_body_that_does_not_inflate_is_an_error_in_words(encoded, client):
    sample = await poll(client, http(encoded.url("/corrupt")))
    assert sample.outcome is Outcome.ERROR
    assert sample.detail.startswith("body does not decode as sent: ")


async def test_lastgood_asks_only_for_what_it_reads(encoded, client):
    await poll(client, http(encoded.url("/gzip")))
    assert encoded.requests[-1].headers["accept-encoding"] == "gzip, deflate"
