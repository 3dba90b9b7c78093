"""The one HTTP client the probes share."""

from __future__ import annotations

import httpx

from tui.net.client import client_pool_size, make_client

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
