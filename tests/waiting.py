"""Waiting on another process from a plain (not async) test: poll a condition until a
deadline, then fail saying what never happened. Never a sleep standing in for it."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

POLL_S = 0.05


def poll_until(condition: Callable[[], bool], what: str, timeout: float) -> None:
    """Return once `condition()` holds; fail the test with `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(POLL_S)
