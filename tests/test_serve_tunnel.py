"""`serve`'s page through a tunnel on another port, as a phone's SSH client makes one
(`ssh -L 9613:127.0.0.1:8613`): a real loopback TCP forwarder in front of a real server.

The page named the bind address and port in every URL, so through the tunnel the
browser fetched the script and opened the WebSocket on its own 127.0.0.1:8613, where
nothing answered: a blank page (UX review 13, #2). Every URL is now relative to the page.
"""

from __future__ import annotations

import asyncio
import re
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from urllib.parse import urljoin, urlsplit

import aiohttp

from tests.cli_helpers import Cli
from tests.test_serve import declared, screen_until, serving
from tui.cli import listening
from tui.cli.listening import open_urls

URL_IN_PAGE = re.compile(  # attributes, and CSS's url(...) (not the script's `new URL(`)
    r"""\b(?:href|src|data-[\w-]*url)=["']([^"']*)["']|\burl\(["']?([^"')]*)["']?\)"""
)


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while chunk := await reader.read(65536):
            writer.write(chunk)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()


@asynccontextmanager
async def forwarded(port: int) -> AsyncIterator[int]:
    """A loopback port whose connections are carried to `port`, as `ssh -L` does."""
    pipes: set[asyncio.Task[None]] = set()

    async def carry(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        far_reader, far_writer = await asyncio.open_connection("127.0.0.1", port)
        for task in (_pipe(reader, far_writer), _pipe(far_reader, writer)):
            pipes.add(asyncio.ensure_future(task))

    server = await asyncio.start_server(carry, "127.0.0.1", 0)
    try:
        yield int(server.sockets[0].getsockname()[1])
    finally:
        server.close()
        for pipe in pipes:
            pipe.cancel()
        with suppress(asyncio.CancelledError):
            await asyncio.gather(*pipes, return_exceptions=True)


def urls_in(page: str) -> list[str]:
    return [href or css for href, css in URL_IN_PAGE.findall(page)]


def websocket_url(page_url: str, named: str) -> str:
    """What the page's script makes of the WebSocket URL it names: a URL relative to the
    page, ws: for http: (`new URL(named, location.href)`, the scheme swapped)."""
    whole = urlsplit(urljoin(page_url, named))
    return whole._replace(scheme="wss" if whole.scheme == "https" else "ws").geturl()


async def test_the_page_works_through_a_tunnel_on_another_port(tmp_path):
    cli = Cli(tmp_path / "serve.db")
    incident_id = declared(cli)
    with serving(cli, incident_id, logs=tmp_path) as (port, _):
        async with forwarded(port) as tunnel, aiohttp.ClientSession() as session:
            page_url = f"http://127.0.0.1:{tunnel}/"
            async with session.get(page_url) as answer:
                assert answer.status == 200
                page = await answer.text()
            assert '<meta name="viewport" content="width=device-width, initial-scale=1"' in page
            assert "max-width: 100%" in page.split(".intro {", 1)[1].split("}", 1)[0]
            urls = urls_in(page)
            assert len(urls) == 4, urls  # the stylesheet, the script, the shade, the WebSocket
            for url in urls:  # relative to the page: none names a host, a port or a scheme
                assert "//" not in url and ":" not in url and str(port) not in url, url
            socket_named = re.findall(r'data-session-websocket-url="([^"]*)"', page)
            assert len(socket_named) == 1, page
            for url in urls:
                if url not in socket_named:
                    async with session.get(urljoin(page_url, url)) as fetched:
                        assert fetched.status == 200, url
            ws_url = websocket_url(page_url, socket_named[0])
            assert ws_url == f"ws://127.0.0.1:{tunnel}/ws"
            origin = f"http://127.0.0.1:{tunnel}"  # the page's own, through the tunnel
            async with session.ws_connect(ws_url, origin=origin) as ws:
                await asyncio.wait_for(screen_until(ws, "Checkout errors"), 60)


async def test_bound_to_every_address_it_names_urls_that_open_the_view(tmp_path):
    """`--host 0.0.0.0` printed `http://0.0.0.0:8614` and its page sent browsers there
    (UX review 13, #3): the first line names the machine's addresses and its name, and
    the page opened at an address shows the view."""
    cli = Cli(tmp_path / "serve.db")
    incident_id = declared(cli)
    with serving(cli, incident_id, "--host", "0.0.0.0", logs=tmp_path) as (port, log):
        first = log.read_text().splitlines()[0]  # said before the page answered, flushed
        assert "0.0.0.0" not in first, first
        named = re.findall(r"http://[^\s/]+", first)
        assert named[-1] == f"http://{socket.gethostname()}:{port}", first
        assert first.startswith(f"Serving {incident_id} read-only at {named[0]}")
        async with aiohttp.ClientSession() as session:
            for address in named[:-1]:  # the machine's own, other machines' way in
                async with session.get(f"{address}/") as answer:
                    assert answer.status == 200
                    page = await answer.text()
                assert 'data-session-websocket-url="ws"' in page
                ws_url = websocket_url(f"{address}/", "ws")
                async with session.ws_connect(ws_url, origin=address) as ws:
                    await asyncio.wait_for(screen_until(ws, "Checkout errors"), 60)
    assert "the view asks no password" in log.read_text()


def test_the_first_line_names_the_url_browsers_use(monkeypatch) -> None:
    public = open_urls("127.0.0.1", 8613, "https://inc.example")
    assert public == "https://inc.example (listening on 127.0.0.1:8613; Ctrl+C stops)"
    assert open_urls("::1", 8613, None) == "http://[::1]:8613 (Ctrl+C stops)"
    monkeypatch.setattr(listening, "outward_addresses", lambda families: [])
    monkeypatch.setattr(socket, "gethostname", lambda: "bastion")
    assert open_urls("0.0.0.0", 8614, None) == (
        "http://bastion:8614 (every address of this machine; --public-url URL names the one "
        "browsers use; Ctrl+C stops)"
    )
