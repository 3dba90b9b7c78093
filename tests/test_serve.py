"""`lastgood serve`: the follow view for browsers, on loopback, over real HTTP."""

from __future__ import annotations

import asyncio
import re
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import aiohttp
import httpx
import pytest

from tests.cli_helpers import ROOT, Cli, lastgood_command
from tui.cli.follow_server import (
    MAX_COLUMNS,
    MAX_ROWS,
    font_size,
    terminal_size,
)
from tui.cli.listening import shown_host


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(cli: Cli, incident_id: str, *options: str, logs: Path) -> Iterator[tuple[int, Path]]:
    """`lastgood serve` on a free loopback port, once its page answers: the port, and
    the file in `logs` its output goes to."""
    port = free_port()
    log = logs / f"serve-{port}.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [*lastgood_command(), "serve", incident_id, "--port", str(port), *options],
            env=cli.env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
        )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        yield port, log
    finally:
        server.terminate()
        server.wait(timeout=10)


def declared(cli: Cli) -> str:
    setup = cli.in_process()  # serve is the process under test
    return setup.ok(
        "declare", "--title", "Checkout errors", "--severity", "SEV2", "--commander", "Ada"
    ).strip()


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_serve_answers_browsers_on_loopback(tmp_path, backend, request):
    """On PostgreSQL the URL reaches the attach processes in their environment."""
    location = request.getfixturevalue("pg_url") if backend == "postgres" else None
    cli = Cli(location or tmp_path / "serve.db")
    incident_id = declared(cli)
    with serving(cli, incident_id, logs=tmp_path) as (port, log):
        page = httpx.get(f"http://127.0.0.1:{port}/", timeout=10)
        assert page.status_code == 200
        assert f"lastgood · {incident_id}" in page.text
        fetched = re.findall(r"""(?:href|src)=["']?([^"'\s>]+)""", page.text)
        assert fetched == ["static/css/xterm.css", "static/js/textual.js"]
        assert "googleapis" not in page.text  # textual-serve's template fetched a web font
        for url in fetched:  # the page's own, relative to it (tests/test_serve_tunnel.py)
            assert httpx.get(f"http://127.0.0.1:{port}/{url}", timeout=10).status_code == 200
    said = log.read_text().splitlines()
    # Its own line alone: not textual-serve's banner, nor the attach command it runs.
    assert said[0] == f"Serving {incident_id} read-only at http://127.0.0.1:{port} (Ctrl+C stops)"
    assert not any("tui.cli attach" in line or "Press Ctrl+C" in line for line in said), said


CURSOR_ROW = re.compile(r"\x1b\[(\d+);\d+H")


async def screen_until(ws: aiohttp.ClientWebSocketResponse, words: str) -> str:
    """What the view sends until `words` are on it (a frame drawn)."""
    sent = ""
    async for message in ws:
        if message.type is aiohttp.WSMsgType.BINARY:
            sent += message.data.decode("utf-8", "replace")
        if words in sent:
            return sent
    raise AssertionError(f"the view closed before showing {words!r}")


async def test_a_browser_cannot_size_a_view_past_a_terminal(tmp_path):
    """`?height=100000` and a resize to a hundred million rows grew the view's attach
    process past 7 GB in 20 s (a hostile review): both are held to 500x200."""
    cli = Cli(tmp_path / "serve.db")
    incident_id = declared(cli)
    with serving(cli, incident_id, logs=tmp_path) as (port, _):
        url = f"http://127.0.0.1:{port}/ws?width=300&height=100000"
        async with aiohttp.ClientSession() as session, session.ws_connect(url) as ws:
            first = await asyncio.wait_for(screen_until(ws, "Checkout errors"), 60)
            assert max(int(row) for row in CURSOR_ROW.findall(first)) == MAX_ROWS
            await ws.send_json(["resize", {"width": 100, "height": 100_000_000}])
            again = await asyncio.wait_for(screen_until(ws, "Checkout errors"), 60)
            assert max(int(row) for row in CURSOR_ROW.findall(again)) <= MAX_ROWS


async def test_viewers_are_capped_and_a_bad_message_is_one_line(tmp_path):
    cli = Cli(tmp_path / "serve.db")
    incident_id = declared(cli)
    with serving(cli, incident_id, "--max-viewers", "1", logs=tmp_path) as (port, log):
        url = f"http://127.0.0.1:{port}/ws"
        async with aiohttp.ClientSession() as session:
            async with session.ws_connect(url) as ws:
                await asyncio.wait_for(screen_until(ws, "Checkout errors"), 60)
                with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                    await session.ws_connect(url)
                assert refused.value.status == 503
                await ws.send_str("not json \x1b]0;owned\x07")
                async for _ in ws:  # the server ends the view
                    pass
            async with await freed(session, url) as ws:  # once its process has ended
                await asyncio.wait_for(screen_until(ws, "Checkout errors"), 60)
    written = log.read_text()
    assert "Traceback" not in written and "\x1b" not in written
    assert [line for line in written.splitlines() if "JSONDecodeError" in line] == [
        "JSONDecodeError: Expecting value: line 1 column 1 (char 0)"
    ]


async def freed(session: aiohttp.ClientSession, url: str) -> aiohttp.ClientWebSocketResponse:
    """A view opened once the one before has let go of its place (its process ends)."""
    deadline = time.monotonic() + 30
    while True:
        try:
            return await session.ws_connect(url)
        except aiohttp.WSServerHandshakeError as refused:
            if refused.status != 503 or time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.1)


def test_the_font_size_a_page_asks_for_is_one_a_person_reads() -> None:
    assert [font_size(asked) for asked in (None, "", "14", "2", "400", "big")] == [
        16,
        16,
        14,
        8,
        32,
        16,
    ]


def test_the_size_a_browser_asks_for_is_a_terminal_s() -> None:
    assert terminal_size("300", "100000") == (300, MAX_ROWS)
    assert terminal_size(-5, 100_000_000) == (1, MAX_ROWS)
    assert terminal_size("wide", None) == (80, 24)
    assert terminal_size(float("nan"), float("inf")) == (80, MAX_ROWS)
    assert terminal_size(True, 30.7) == (80, 30)
    assert terminal_size(10**40, "0") == (MAX_COLUMNS, 1)


def test_serve_refuses_an_unknown_incident(tmp_path):
    cli = Cli(tmp_path / "serve.db")
    cli.in_process().ok("declare", "--title", "t", "--severity", "SEV3", "--commander", "A")
    result = cli.run("serve", "INC-NOPE", "--port", str(free_port()))
    assert result.code == 2 and "no incident 'INC-NOPE'" in result.err


def test_serve_on_a_taken_port_or_an_unknown_host_is_one_line(tmp_path):
    """Both ended in aiohttp's traceback, exit 1, after the banner said it was serving."""
    cli = Cli(tmp_path / "serve.db")
    setup = cli.in_process()  # serve is the process under test
    incident_id = setup.ok("declare", "--title", "t", "--severity", "SEV3", "--commander", "A")
    incident_id = incident_id.strip()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = cli.run("serve", incident_id, "--port", str(port))
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        f"lastgood serve: --port: cannot listen on 127.0.0.1:{port}: Address already in use\n"
    )
    result = cli.run("serve", incident_id, "--host", "evil.invalid", "--port", str(free_port()))
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith("lastgood serve: --host: cannot listen on 'evil.invalid': ")
    assert result.err.count("\n") == 1


def test_the_banner_writes_the_host_as_a_url_does():
    assert [shown_host(h) for h in ("::1", "", "127.0.0.1")] == ["[::1]", "0.0.0.0", "127.0.0.1"]
