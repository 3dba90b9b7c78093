"""The one HTTP client of a face's lifetime, made and closed here.

Probes and webhooks share one `AsyncClient` (one connection pool, one User-Agent),
made once the face is up and closed when it goes. The faces (the Textual app, the
CLI's courier and monitor) hold it as an `HttpClient` and never import httpx
themselves: import-linter keeps httpx inside `tui.net`.

Importing this module loads httpx, which loads Rich: the CLI imports it only in the
verbs that talk to the network.
"""

from __future__ import annotations

import weakref
from importlib.metadata import PackageNotFoundError, version
from typing import TypeAlias

import httpx

from tui.net.bounded_body import ACCEPTED

HttpClient: TypeAlias = httpx.AsyncClient
"""What the faces hold and pass to probes and webhook delivery."""

DEFAULT_CLIENT_TIMEOUT_S = 10.0
"""The shared client's fallback timeout; each probe and webhook passes its own, shorter one."""

_pool_sizes: weakref.WeakKeyDictionary[HttpClient, int] = weakref.WeakKeyDictionary()


def user_agent() -> str:
    """`lastgood/<version>`, from the installed distribution when there is one."""
    try:
        return f"lastgood/{version('lastgood')}"
    except PackageNotFoundError:
        return "lastgood/dev"


def make_client(*, max_connections: int = 32) -> HttpClient:
    """The one client a face keeps for its lifetime; close it with `close_client`."""
    if max_connections < 1:
        raise ValueError("max_connections must be at least 1")
    client = httpx.AsyncClient(
        limits=httpx.Limits(
            max_connections=max_connections, max_keepalive_connections=max_connections
        ),
        follow_redirects=False,
        timeout=httpx.Timeout(DEFAULT_CLIENT_TIMEOUT_S),
        headers={"User-Agent": user_agent(), "Accept-Encoding": ACCEPTED},
    )
    _pool_sizes[client] = max_connections
    return client


async def close_client(client: HttpClient) -> None:
    """Close the pooled connections; the client cannot be used after this."""
    await client.aclose()


def client_pool_size(client: HttpClient) -> int | None:
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
