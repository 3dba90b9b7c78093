"""The tests' tmux server: the shared driver (`tests/tmux.py`), or a clear failure
when tmux is missing (a real-terminal test must not pass by being skipped)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from tests.tmux import Tmux, have_tmux


@contextmanager
def tmux_server(env: dict[str, str]) -> Iterator[Tmux]:
    """A private tmux server, killed however the test ends. No tmux is a failure."""
    if not have_tmux(env):
        pytest.fail(
            "tmux is not installed: this end-to-end test drives lastgood in a real terminal "
            "and cannot run without it (apt-get install tmux / brew install tmux)",
            pytrace=False,
        )
    server = Tmux(env, name="lastgood-test")
    try:
        yield server
    finally:
        server.kill_server()
