"""`lastgood serve`'s health check, for a load balancer or a unit's watchdog.

`serve` answered only its page, its script and its views: a check had to fetch the
page (which asks a loopback `Host`, and is logged each time) to learn it was up. A
real `serve` on a free loopback port, a real WebSocket viewer (aiohttp): `GET /health`
answers 200 with `{"ok": true, "viewers": N, "version": ...}`, N the views open now,
and its requests stay out of the log.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp
import httpx

from tests.cli_helpers import Cli
from tests.test_serve import declared, screen_until, serving
from tui.cli.edges import package_version

WAIT_S = 60


async def health(port: int) -> httpx.Response:
    async with httpx.AsyncClient() as client:
        return await client.get(f"http://127.0.0.1:{port}/health", timeout=10)


async def test_health_answers_with_the_viewers_and_the_version(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "serve.db")
    incident_id = declared(cli)
    with serving(cli, incident_id, logs=tmp_path) as (port, log):
        alone = await health(port)
        assert alone.status_code == 200, alone.text
        assert alone.headers["Content-Type"].startswith("application/json")
        assert alone.json() == {"ok": True, "viewers": 0, "version": package_version()}
        url = f"http://127.0.0.1:{port}/ws?width=80&height=24"
        origin = {"Origin": f"http://127.0.0.1:{port}"}
        async with (
            aiohttp.ClientSession() as session,
            session.ws_connect(url, headers=origin) as ws,
        ):
            await asyncio.wait_for(screen_until(ws, "Checkout errors"), WAIT_S)
            followed = await health(port)
            assert followed.json() == {"ok": True, "viewers": 1, "version": package_version()}
    said = log.read_text()
    assert "GET /ws" in said, said  # the log still has the view's request
    assert "/health" not in said, said
