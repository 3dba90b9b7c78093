"""One poll of one probe: ask production a question, classify the answer as a `Sample`.

`poll_probe` never raises (cancellation aside): a refused connection, a slow server,
a 50 MB body or a broken JSON document are all answers, recorded by their class.
A sample's `detail` is one short line that never holds a header value or a secret
expanded from the environment.

httpx is imported lazily: importing httpx eagerly loads its optional command-line
client, which pulls in Rich whenever Rich is installed, and the domain must stay free
of Rich at import time (see tests/test_boundaries.py).
"""

from __future__ import annotations

import asyncio
import json
import math
import socket
import ssl
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from incident.clock import Clock
from incident.net_errors import (
    MissingEnvironment,
    exception_chain,
    expand_env,
    first_line,
    host_of,
    one_line,
    redact,
)
from incident.samples import Outcome, Sample
from runbooks.checks import ENV_REFERENCE
from runbooks.model import Probe, ProbeKind

if TYPE_CHECKING:
    import httpx

DEFAULT_MAX_BODY_BYTES = 1_048_576
"""Bodies past this are cut off and classified TOO_LARGE."""
DEFAULT_CLIENT_TIMEOUT_S = 10.0
"""The shared client's fallback timeout; each probe passes its own, shorter one."""
VERSION_MAX_CHARS = 200
PROMETHEUS_QUERY_PATH = "/api/v1/query"

_DNS_MESSAGES = (
    "name or service not known",
    "nodename nor servname",
    "temporary failure in name resolution",
    "no address associated with hostname",
    "getaddrinfo failed",
    "name resolution",
)
_MIN_REDACTED_LEN = 4
"""Shorter header values are not secrets worth redacting (and would mangle messages)."""

_pool_sizes: weakref.WeakKeyDictionary[object, int] = weakref.WeakKeyDictionary()


# --- the shared client --------------------------------------------------------------


def user_agent() -> str:
    """`lastgood/<version>`, from the installed distribution when there is one."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"lastgood/{version('lastgood')}"
    except PackageNotFoundError:
        return "lastgood/dev"


def make_client(*, max_connections: int = 32) -> httpx.AsyncClient:
    """The one `AsyncClient` the app keeps for its lifetime; close it on exit."""
    import httpx

    if max_connections < 1:
        raise ValueError("max_connections must be at least 1")
    client = httpx.AsyncClient(
        limits=httpx.Limits(
            max_connections=max_connections, max_keepalive_connections=max_connections
        ),
        follow_redirects=False,
        timeout=httpx.Timeout(DEFAULT_CLIENT_TIMEOUT_S),
        headers={"User-Agent": user_agent()},
    )
    _pool_sizes[client] = max_connections
    return client


def client_pool_size(client: httpx.AsyncClient) -> int | None:
    """How many connections `client` may open at once, or None if it cannot be told.

    Known exactly for clients from `make_client`; for others, read from httpx's
    default transport when it has one.
    """
    known = _pool_sizes.get(client)
    if known is not None:
        return known
    pool = getattr(getattr(client, "_transport", None), "_pool", None)
    size = getattr(pool, "_max_connections", None)
    return size if isinstance(size, int) else None


# --- one poll -----------------------------------------------------------------------


class _SetupError(Exception):
    """The probe cannot be sent as configured; the message is safe to show."""


class _BodyTooLarge(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


@dataclass(frozen=True, slots=True)
class _Answer:
    status: int
    body: bytes


@dataclass(frozen=True, slots=True)
class _Reading:
    outcome: Outcome
    value: float | None = None
    text: str | None = None
    detail: str = ""


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
    secrets: list[str] = []
    try:
        headers, secrets = _expand_headers(probe.headers, env)
        url, params = _request_target(probe)
    except _SetupError as problem:
        return _sample(probe, at, _Reading(Outcome.ERROR, detail=str(problem)), secrets=secrets)

    start = clock.monotonic_ns()
    status: int | None = None
    try:
        async with asyncio.timeout(probe.timeout_s):
            answer = await _fetch(client, url, params, headers, probe.timeout_s, max_body_bytes)
    except _BodyTooLarge as too_large:
        status = too_large.status
        reading = _Reading(Outcome.TOO_LARGE, detail=f"body over {_size(max_body_bytes)}")
    except Exception as exc:  # every failure is an answer; CancelledError still propagates
        reading = _classify_failure(exc, probe)
    else:
        status = answer.status
        reading = _interpret(probe, answer)
    latency_ms = (clock.monotonic_ns() - start) / 1_000_000
    return _sample(probe, at, reading, latency_ms=latency_ms, status=status, secrets=secrets)


async def _fetch(
    client: httpx.AsyncClient,
    url: str,
    params: dict[str, str] | None,
    headers: list[tuple[str, str]],
    timeout_s: float,
    max_body_bytes: int,
) -> _Answer:
    async with client.stream(
        "GET", url, params=params, headers=headers, follow_redirects=False, timeout=timeout_s
    ) as response:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_body_bytes:
            raise _BodyTooLarge(response.status_code)
        body = bytearray()
        async for chunk in response.aiter_bytes():
            body += chunk
            if len(body) > max_body_bytes:
                raise _BodyTooLarge(response.status_code)
        return _Answer(response.status_code, bytes(body))


def _sample(
    probe: Probe,
    at: datetime,
    reading: _Reading,
    *,
    latency_ms: float | None = None,
    status: int | None = None,
    secrets: Sequence[str] = (),
) -> Sample:
    text = reading.text
    if text is not None:
        text = redact(text, secrets)
    return Sample(
        probe=probe.name,
        at=at,
        outcome=reading.outcome,
        latency_ms=latency_ms,
        http_status=status,
        value=reading.value,
        text=text,
        detail=one_line(redact(reading.detail, secrets)),
    )


# --- request set-up -----------------------------------------------------------------


def _expand_headers(
    raw: Sequence[tuple[str, str]], env: Mapping[str, str]
) -> tuple[list[tuple[str, str]], list[str]]:
    """Headers with `${NAME}` expanded from `env`, and every value worth redacting."""

    headers: list[tuple[str, str]] = []
    secrets: list[str] = []
    for name, template in raw:
        try:
            value = expand_env(template, env)
        except MissingEnvironment as error:
            raise _SetupError(str(error)) from None
        if any((ord(ch) < 32 and ch != "\t") or ord(ch) == 127 for ch in value):
            raise _SetupError(f"header {name!r} has a control character after expansion")
        headers.append((name, value))
        secrets.extend(
            candidate
            for candidate in (
                value,
                template,
                *(env[n] for n in ENV_REFERENCE.findall(template)),
            )
            if len(candidate) >= _MIN_REDACTED_LEN
        )
    return headers, secrets


def _request_target(probe: Probe) -> tuple[str, dict[str, str] | None]:
    if probe.kind != ProbeKind.PROMETHEUS:
        return probe.url, None
    if not probe.query:
        raise _SetupError("prometheus probe has no query")
    base = probe.url.rstrip("/")
    if not base.endswith(PROMETHEUS_QUERY_PATH):
        base += PROMETHEUS_QUERY_PATH
    return base, {"query": probe.query}


# --- failures -----------------------------------------------------------------------


def _classify_failure(exc: BaseException, probe: Probe) -> _Reading:
    import httpx

    for link in exception_chain(exc):
        if isinstance(link, TimeoutError | httpx.TimeoutException):
            return _Reading(Outcome.TIMEOUT, detail=f"no answer within {_seconds(probe)} s")
        if isinstance(link, ssl.SSLCertVerificationError):
            why = link.verify_message or link.reason or "verification failed"
            return _Reading(Outcome.TLS, detail=f"TLS certificate not trusted: {why}")
        if isinstance(link, ssl.SSLError):
            why = link.reason or str(link)
            return _Reading(Outcome.TLS, detail=f"TLS handshake failed: {why}")
        if isinstance(link, socket.gaierror) or (
            isinstance(link, httpx.ConnectError | OSError)
            and any(message in str(link).lower() for message in _DNS_MESSAGES)
        ):
            return _Reading(Outcome.DNS, detail=f"cannot resolve host {host_of(probe.url)}")
        if isinstance(link, ConnectionRefusedError):
            return _Reading(Outcome.REFUSED, detail="connection refused")
    message = str(exc).strip()
    name = type(exc).__name__
    return _Reading(Outcome.ERROR, detail=f"{name}: {message}" if message else name)


# --- answers ------------------------------------------------------------------------


def _interpret(probe: Probe, answer: _Answer) -> _Reading:
    if probe.kind == ProbeKind.PROMETHEUS:
        return _interpret_prometheus(answer)
    if answer.status != probe.expect_status:
        return _Reading(
            Outcome.HTTP_STATUS, detail=f"HTTP {answer.status} (expected {probe.expect_status})"
        )
    if probe.kind == ProbeKind.VERSION:
        return _interpret_version(probe, answer.body)
    if probe.json_field is None:
        return _Reading(Outcome.OK)
    found = _json_field(answer.body, probe.json_field)
    if isinstance(found, _Reading):
        return found
    field = probe.json_field
    if isinstance(found, bool):
        return _Reading(Outcome.OK, text="true" if found else "false")
    if isinstance(found, str):
        return _Reading(Outcome.OK, text=found)
    if isinstance(found, int | float):
        return _number(found, f"field '{field}'")
    if found is None:
        return _Reading(Outcome.NO_DATA, detail=f"field '{field}' is null")
    return _Reading(Outcome.BAD_JSON, detail=f"field '{field}' is {_json_kind(found)}")


def _interpret_version(probe: Probe, body: bytes) -> _Reading:
    if probe.json_field is None:
        lines = body.decode("utf-8", errors="replace").strip().splitlines()
        if not lines:
            return _Reading(Outcome.NO_DATA, detail="empty body")
        return _Reading(Outcome.OK, text=lines[0].strip()[:VERSION_MAX_CHARS])
    found = _json_field(body, probe.json_field)
    if isinstance(found, _Reading):
        return found
    field = probe.json_field
    if found is None:
        return _Reading(Outcome.NO_DATA, detail=f"field '{field}' is null")
    if isinstance(found, dict | list):
        return _Reading(Outcome.BAD_JSON, detail=f"field '{field}' is {_json_kind(found)}")
    text = found if isinstance(found, str) else json.dumps(found)
    return _Reading(Outcome.OK, text=first_line(text)[:VERSION_MAX_CHARS])


def _interpret_prometheus(answer: _Answer) -> _Reading:
    """Read an instant query's answer: a vector's first sample, or a scalar."""
    document: object = None
    invalid: str | None = None
    try:
        document = json.loads(answer.body)
    except (ValueError, RecursionError) as exc:
        invalid = _json_error(exc)
    if isinstance(document, dict) and document.get("status") == "error":
        kind = document.get("errorType")
        message = str(document.get("error") or "no message")
        prefix = f"Prometheus error ({kind})" if isinstance(kind, str) and kind else "Prometheus"
        return _Reading(Outcome.ERROR, detail=f"{prefix}: {message}")
    if answer.status in (400, 422):
        detail = f"Prometheus rejected the query (HTTP {answer.status})"
        return _Reading(Outcome.ERROR, detail=detail)
    if answer.status != 200:
        return _Reading(Outcome.HTTP_STATUS, detail=f"HTTP {answer.status} (expected 200)")
    if invalid is not None:
        return _Reading(Outcome.BAD_JSON, detail=invalid)
    if not isinstance(document, dict) or document.get("status") != "success":
        return _Reading(Outcome.BAD_JSON, detail="not a Prometheus answer: no status 'success'")
    data = document.get("data")
    if not isinstance(data, dict):
        return _Reading(Outcome.BAD_JSON, detail="not a Prometheus answer: no 'data'")
    result_type, result = data.get("resultType"), data.get("result")
    if result_type == "scalar":
        return _prometheus_sample(result, note="")
    if result_type == "vector":
        if not isinstance(result, list):
            return _Reading(Outcome.BAD_JSON, detail="vector result is not a list")
        if not result:
            return _Reading(Outcome.NO_DATA, detail="query returned no series")
        first = result[0]
        pair = first.get("value") if isinstance(first, dict) else None
        note = f"{len(result)} series, first used" if len(result) > 1 else ""
        return _prometheus_sample(pair, note=note)
    if result_type in ("matrix", "string"):
        return _Reading(
            Outcome.ERROR, detail=f"query returned a {result_type}; expected a vector or scalar"
        )
    return _Reading(Outcome.BAD_JSON, detail="not a Prometheus answer: unknown resultType")


def _prometheus_sample(pair: object, *, note: str) -> _Reading:
    if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[1], str)):
        return _Reading(Outcome.BAD_JSON, detail='malformed sample: expected [time, "value"]')
    try:
        value = float(pair[1])
    except ValueError:
        return _Reading(Outcome.BAD_JSON, detail=f"sample value {pair[1][:40]!r} is not a number")
    if math.isnan(value):
        return _Reading(Outcome.NO_DATA, detail="query returned NaN")
    if math.isinf(value):
        return _Reading(Outcome.NO_DATA, detail=f"query returned {'+' if value > 0 else '-'}Inf")
    return _Reading(Outcome.OK, value=value, detail=note)


def _json_field(body: bytes, path: str) -> object:
    """The value at dotted `path` (list items by index), or a BAD_JSON reading."""
    try:
        node: object = json.loads(body)
    except (ValueError, RecursionError) as exc:
        return _Reading(Outcome.BAD_JSON, detail=_json_error(exc))
    for part in path.split("."):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return _Reading(Outcome.BAD_JSON, detail=f"no field '{path}' in the JSON")
    return node


def _number(raw: int | float, what: str) -> _Reading:
    try:
        value = float(raw)
    except OverflowError:
        value = math.inf
    if math.isnan(value):
        return _Reading(Outcome.NO_DATA, detail=f"{what} is NaN")
    if math.isinf(value):
        return _Reading(Outcome.NO_DATA, detail=f"{what} is not finite")
    return _Reading(Outcome.OK, value=value)


def _json_error(exc: BaseException) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
    if isinstance(exc, UnicodeDecodeError):
        return "invalid JSON: not UTF-8 text"
    if isinstance(exc, RecursionError):
        return "invalid JSON: nested too deeply"
    return f"invalid JSON: {exc}"


def _json_kind(value: object) -> str:
    return "an object, not a value" if isinstance(value, dict) else "an array, not a value"


# --- small text helpers -------------------------------------------------------------


def _seconds(probe: Probe) -> str:
    t = probe.timeout_s
    return f"{t:.1f}" if round(t, 1) == t else f"{t:g}"


def _size(n: int) -> str:
    for unit, scale in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= scale and n % scale == 0:
            return f"{n // scale} {unit}"
    return f"{n} bytes"
