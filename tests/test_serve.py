"""`lastgood serve`: the follow view for browsers, on loopback, over real HTTP."""

from __future__ import annotations

import socket
import subprocess
import time

import httpx
import pytest

from tests.cli_helpers import ROOT, Cli, lastgood_command
from tui.cli.listening import shown_host


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_serve_answers_browsers_on_loopback(tmp_path, backend, request):
    """On PostgreSQL the URL reaches the attach processes in their environment."""
    location = request.getfixturevalue("pg_url") if backend == "postgres" else None
    cli = Cli(location or tmp_path / "serve.db")
    incident_id = cli.ok(
        "declare", "--title", "Checkout errors", "--severity", "SEV2", "--commander", "Ada"
    ).strip()
    port = free_port()
    server = subprocess.Popen(
        [*lastgood_command(), "serve", incident_id, "--port", str(port)],
        env=cli.env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        page = None
        while time.monotonic() < deadline:
            try:
                page = httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        assert page is not None, "serve never answered"
        assert page.status_code == 200
        assert f"lastgood · {incident_id}" in page.text
        assert f"ws://127.0.0.1:{port}/ws" in page.text
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_serve_refuses_an_unknown_incident(tmp_path):
    cli = Cli(tmp_path / "serve.db")
    cli.ok("declare", "--title", "t", "--severity", "SEV3", "--commander", "A")
    result = cli.run("serve", "INC-NOPE", "--port", str(free_port()))
    assert result.code == 2 and "no incident 'INC-NOPE'" in result.err


def test_serve_on_a_taken_port_or_an_unknown_host_is_one_line(tmp_path):
    """Both ended in aiohttp's traceback, exit 1, after the banner said it was serving."""
    cli = Cli(tmp_path / "serve.db")
    incident_id = cli.ok(
        "declare", "--title", "t", "--severity", "SEV3", "--commander", "A"
    ).strip()
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
