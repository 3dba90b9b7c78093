"""The probe tests' loopback server (the standard routes) and their one HTTP client."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from tests.http_servers import (
    LoopbackServer,
    standard_routes,
)
from tui.net.client import make_client


@pytest.fixture
async def server() -> AsyncIterator[LoopbackServer]:
    async with LoopbackServer(standard_routes()) as running:
        yield running


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with make_client() as shared:
        yield shared
