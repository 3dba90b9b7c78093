"""One poll of one probe: ask production a question, classify the answer as a `Sample`.

`poll_probe` never raises (cancellation aside): a refused connection, a slow server,
a 50 MB body or a broken JSON document are all answers, recorded by their class.
`${NAME}` in the URL and header values is expanded for the request alone; a sample's
`detail` and `text` leave through `incident.core.secrets.safe_line`, so they never hold
a header value or 8 characters of a secret expanded from the environment.

The client comes from `tui.net.client`. httpx is imported lazily here: importing it
loads its optional command-line client, which pulls in Rich, and nothing in this
module needs it until a poll fails.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import urlencode, urlsplit, urlunsplit

from incident.core.clock import Clock
from incident.core.samples import Outcome, Sample
from incident.core.secrets import (
    RequestSetupError,
    Secrets,
    expand_request,
    safe_line,
    secrets_for,
)
from incident.health.probe_answers import Reading, interpret
from runbooks.model import Probe, ProbeKind
from tui.net.bounded_body import CorruptBody, UnreadableEncoding, read_at_most
from tui.net.failures import failed_request
from tui.net.no_body_allowed import close_if_stray_bytes

if TYPE_CHECKING:
    import httpx

DEFAULT_MAX_BODY_BYTES = 1_048_576
"""Bodies past this are cut off and classified TOO_LARGE."""
TEXT_MAX_CHARS = 200
"""Longest textual reading (a version string) a sample records."""
PROMETHEUS_QUERY_PATH = "/api/v1/query"
CUT_OFF = "the connection closed before the whole body came"


# --- one poll -----------------------------------------------------------------------


class _BodyTooLarge(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class _Unreadable(Exception):
    """An answer whose body cannot be read: its status, and why in words."""

    def __init__(self, status: int, why: str) -> None:
        super().__init__(status, why)
        self.status = status
        self.why = why


@dataclass(frozen=True, slots=True)
class _Answer:
    status: int
    body: bytes


async def poll_probe(
    client: httpx.AsyncClient,
    probe: Probe,
    *,
    clock: Clock,
    env: Mapping[str, str],
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
) -> Sample:
    """Poll `probe` once and classify what happened. Never raises but CancelledError."""
    at = clock.now()
    secrets = secrets_for(probe.url, probe.headers, env, webhook=False, uses=probe.uses)
    try:
        outgoing = expand_request(probe.url, probe.headers, env)
        url = _request_target(probe, outgoing.url)
    except RequestSetupError as problem:
        return _sample(probe, at, Reading(Outcome.ERROR, detail=str(problem)), secrets)

    start = clock.monotonic_ns()
    status: int | None = None
    try:
        async with asyncio.timeout(probe.timeout_s):
            answer = await _fetch(client, url, outgoing.headers, probe.timeout_s, max_body_bytes)
    except _BodyTooLarge as too_large:
        status = too_large.status
        reading = Reading(Outcome.TOO_LARGE, detail=f"body over {_size(max_body_bytes)}")
    except _Unreadable as unreadable:
        status = unreadable.status
        reading = Reading(Outcome.ERROR, detail=unreadable.why)
    except Exception as exc:  # every failure is an answer; CancelledError still propagates
        reading = _classify_failure(exc, probe, url)
    else:
        status = answer.status
        reading = interpret(probe, answer.status, answer.body)
    latency_ms = (clock.monotonic_ns() - start) / 1_000_000
    return _sample(probe, at, reading, secrets, latency_ms=latency_ms, status=status)


async def _fetch(
    client: httpx.AsyncClient,
    url: str,
    headers: list[tuple[str, str]],
    timeout_s: float,
    max_body_bytes: int,
) -> _Answer:
    async with client.stream(
        "GET", url, headers=headers, follow_redirects=False, timeout=timeout_s
    ) as response:
        status = response.status_code
        await close_if_stray_bytes(response)
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_body_bytes:
            raise _BodyTooLarge(status)
        import httpx  # loaded with the client that made `response`

        try:
            body, more = await read_at_most(response, max_body_bytes)
        except (httpx.RemoteProtocolError, httpx.ReadError):
            raise _Unreadable(status, CUT_OFF) from None
        except UnreadableEncoding as unknown:
            why = f"body in an encoding lastgood cannot decode: {unknown.encoding!r}"
            raise _Unreadable(status, why) from None
        except CorruptBody as corrupt:
            raise _Unreadable(status, f"body does not decode as sent: {corrupt}") from None
        if more:
            raise _BodyTooLarge(status)
        return _Answer(status, body)


def _sample(
    probe: Probe,
    at: datetime,
    reading: Reading,
    secrets: Secrets,
    *,
    latency_ms: float | None = None,
    status: int | None = None,
) -> Sample:
    """The one way out of a poll: every line from the network goes through `safe_line`."""
    text = reading.text
    return Sample(
        probe=probe.name,
        at=at,
        outcome=reading.outcome,
        latency_ms=latency_ms,
        http_status=status,
        value=reading.value,
        text=None if text is None else safe_line(text, secrets, TEXT_MAX_CHARS),
        detail=safe_line(reading.detail, secrets),
    )


def _request_target(probe: Probe, url: str) -> str:
    """Where to send the GET: a Prometheus probe's URL is its server's base, and the
    query joins whatever query string that URL already has."""
    if probe.kind != ProbeKind.PROMETHEUS:
        return url
    if not probe.query:
        raise RequestSetupError("prometheus probe has no query")
    try:
        parts = urlsplit(url)
    except ValueError:
        raise RequestSetupError("the probe's URL is not a valid URL") from None
    path = parts.path.rstrip("/")
    if not path.endswith(PROMETHEUS_QUERY_PATH):
        path += PROMETHEUS_QUERY_PATH
    query = "&".join(q for q in (parts.query, urlencode({"query": probe.query})) if q)
    return urlunsplit(parts._replace(path=path, query=query))


# --- failures -----------------------------------------------------------------------


def _classify_failure(exc: BaseException, probe: Probe, url: str) -> Reading:
    outcome, detail = failed_request(exc, url, probe.timeout_s)
    return Reading(outcome, detail=detail)


# --- small text helpers -------------------------------------------------------------


def _size(n: int) -> str:
    for unit, scale in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= scale and n % scale == 0:
            return f"{n // scale} {unit}"
    return f"{n} bytes"
