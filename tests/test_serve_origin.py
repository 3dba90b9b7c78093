"""`lastgood serve` opens a view only for its own page (a security review: a page on
another site streamed the live incident from a `serve` on the viewer's machine).

A browser lets any page open a WebSocket anywhere and says which page asked
(`Origin`); a name a hostile DNS server rebinds to 127.0.0.1 makes a page's own
origin a loopback address (`Host`). Both are refused with a 403, on a real server;
a client naming no origin (no browser) is let in, as before.
"""

from __future__ import annotations

import aiohttp
import httpx
import pytest

from tests.cli_helpers import Cli
from tests.test_serve import declared, serving
from tui.cli.follow_server import refusal


@pytest.mark.parametrize(
    ("origin", "host", "loopback", "public", "refused"),
    [
        (None, "127.0.0.1:8080", True, "", False),  # no browser
        ("http://127.0.0.1:8080", "127.0.0.1:8080", True, "", False),  # its own page
        ("http://localhost:8080", "localhost:8080", True, "", False),
        ("http://[::1]:8080", "[::1]:8080", True, "", False),
        ("https://evil.example", "127.0.0.1:8080", True, "", True),  # another site
        ("http://127.0.0.1:9999", "127.0.0.1:8080", True, "", True),  # another port
        ("http://evil.example:8080", "evil.example:8080", True, "", True),  # rebound name
        (None, "evil.example:8080", True, "", True),
        ("https://inc.example", "inc.example", True, "inc.example", False),  # its proxy
        ("http://10.0.0.5:8080", "10.0.0.5:8080", False, "", False),  # served to a LAN
        ("https://evil.example", "10.0.0.5:8080", False, "", True),
        (None, None, True, "", True),
    ],
)
def test_a_view_is_opened_only_for_its_own_page(
    origin: str | None, host: str | None, loopback: bool, public: str, refused: bool
) -> None:
    why = refusal(origin, host, served_on_loopback=loopback, public=public)
    assert (why is not None) == refused, why


async def test_a_real_server_refuses_a_foreign_origin_and_a_rebound_host(tmp_path):
    cli = Cli(tmp_path / "serve.db")
    incident_id = declared(cli)
    with serving(cli, incident_id, logs=tmp_path) as (port, _):
        url = f"http://127.0.0.1:{port}/ws"
        async with aiohttp.ClientSession() as session:
            with pytest.raises(aiohttp.WSServerHandshakeError) as foreign:
                await session.ws_connect(url, origin="https://evil.example")
            assert foreign.value.status == 403
            rebound = {"Host": f"evil.example:{port}"}
            with pytest.raises(aiohttp.WSServerHandshakeError) as renamed:
                await session.ws_connect(url, origin=f"http://evil.example:{port}", headers=rebound)
            assert renamed.value.status == 403
            own = await session.ws_connect(url, origin=f"http://127.0.0.1:{port}")
            await own.close()
        page = httpx.get(f"http://127.0.0.1:{port}/", headers=rebound, timeout=10)
        assert page.status_code == 403
        assert httpx.get(f"http://127.0.0.1:{port}/", timeout=10).status_code == 200


def test_serving_beyond_loopback_says_the_view_asks_no_password(tmp_path):
    cli = Cli(tmp_path / "serve.db")
    incident_id = declared(cli)
    with serving(cli, incident_id, "--host", "0.0.0.0", logs=tmp_path) as (_, log):
        pass
    written = log.read_text()
    assert (
        "lastgood serve: 0.0.0.0 is reachable beyond this machine and the view asks no "
        "password: anyone who reaches the port sees the incident"
    ) in written
