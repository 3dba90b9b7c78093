"""What the probe tests share: probes of each kind, one poll, and the secret checks."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx

from incident.core.clock import SystemClock
from incident.core.payloads import sample_to_json
from incident.core.samples import Sample
from runbooks.model import Probe, ProbeKind
from tests.http_servers import (
    Handler,
    LoopbackServer,
    Received,
    Reply,
)
from tui.net.probing import poll_probe

SECRET = "s3cr3t-t0ken-value"


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


def echo_routes(body: Callable[[str], bytes], status: int) -> dict[str, Handler]:
    """Answer `status` with a body made from the request's Authorization header."""

    async def echo(request: Received, reply: Reply) -> None:
        await reply.full(status, body(request.headers.get("authorization", "")))

    return {"/echo": echo, "/api/v1/query": echo}


def version(url: str, **kw: object) -> Probe:
    return Probe(name="version", kind=ProbeKind.VERSION, url=url, **kw)  # type: ignore[arg-type]


def prometheus(server: LoopbackServer, query: str, path: str = "") -> Probe:
    return Probe(name="prom", kind=ProbeKind.PROMETHEUS, url=server.url(path), query=query)
