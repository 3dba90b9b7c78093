"""The app's frame-rate cap, as a process that starts the app reads it."""

from __future__ import annotations

import os

import pytest

from tests.cli_helpers import fresh_python

READ_CAP = "import tui.app.app; from textual import constants; print(constants.MAX_FPS)"


def cap_seen(extra: dict[str, str]) -> int:
    env = {k: v for k, v in os.environ.items() if k != "TEXTUAL_FPS"}
    return int(fresh_python(READ_CAP, env={**env, **extra}))


def test_the_app_draws_a_change_within_4_ms_of_the_last_frame():
    """Not 60 a second: a key pressed just after the clocks' frame waited up to 17 ms."""
    assert cap_seen({}) == 240


@pytest.mark.parametrize("own", ["30", "60"])
def test_a_cap_of_the_users_own_stands(own):
    assert cap_seen({"TEXTUAL_FPS": own}) == int(own)
