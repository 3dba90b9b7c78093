"""A response that may have no body but says it has one: its connection is not reused.

A `204 No Content` (or a 1xx, or a `304 Not Modified`) ends at its blank line,
whatever its headers say: HTTP gives it no body, and httpx rightly reads none. A
server that sends a `Content-Length` or a chunked body with one anyway leaves those
bytes on the connection, and the pool handed it to the next request, which read them
as its own answer: a probe read `HTTP 200` that its server never sent it, or the
bytes of the 204 before as a garbled status line (ux_review5, finding 13).

Such a connection is closed as the response is done with, so the pool opens a new
one for the next request (httpcore takes an idle connection whose socket is closed
for one the server dropped). A 304 may honestly name the length of what it did not
send; a new connection costs less than a wrong reading.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx

NO_BODY_STATUSES = frozenset({204, 304})
"""Besides every 1xx: the statuses HTTP gives no body."""


def says_it_has_a_body_it_may_not(response: httpx.Response) -> bool:
    """Whether `response`'s status allows no body while its headers announce one."""
    status = response.status_code
    if not (100 <= status < 200 or status in NO_BODY_STATUSES):
        return False
    length = response.headers.get("content-length", "").strip()
    return "transfer-encoding" in response.headers or length not in ("", "0")


async def close_if_stray_bytes(response: httpx.Response) -> None:
    """Close `response`'s connection when bytes it may not have could follow it."""
    if not says_it_has_a_body_it_may_not(response):
        return
    stream = response.extensions.get("network_stream")
    if stream is not None:
        await stream.aclose()
