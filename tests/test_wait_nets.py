"""The tests' shared waits give up only after a net of at least a minute: a net against
a hang, not a measure. Each returns the moment its condition holds, so a long net costs
a passing test nothing, where a short one (5 s, 15 s) failed correct tests under load."""

from __future__ import annotations

import inspect
from collections.abc import Callable

import pytest

from tests.prometheus_helpers import PrometheusStack
from tests.tmux import Tmux
from tests.tui.pilot_helpers import wait_until

NET_S = 60.0


@pytest.mark.parametrize(
    ("wait", "net"),
    [
        (wait_until, "timeout"),
        (Tmux.wait_for, "timeout"),
        (PrometheusStack.wait_for, "deadline_s"),
    ],
    ids=["wait_until", "Tmux.wait_for", "PrometheusStack.wait_for"],
)
def test_a_shared_wait_waits_at_least_a_minute_by_default(
    wait: Callable[..., object], net: str
) -> None:
    default = inspect.signature(wait).parameters[net].default
    assert isinstance(default, float | int) and default >= NET_S, default
