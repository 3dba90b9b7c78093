"""Asking for the baselines Check health needs, while they can still be taken.

"Error rates returning to baseline levels" needs a baseline; without one Check health
asks for what someone saw (`incident.health.baselines`). So the declaration and the
decision gate name each probe without one and the command that records it; where the
release time is known (a back-dated impact start) and the probe asks Prometheus, the
face can ask what the probe read then, before the release hurt it, and that value is
offered. The face passes `value_at`, which speaks HTTP (`tui.net.impact_query`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from incident.core.state import IncidentState
from incident.health.baselines import baseline_prompt, release_time, unbaselined
from runbooks.model import Probe

ValueAt = Callable[[Probe, datetime], Awaitable[float | None]]
"""`await value_at(probe, at)`: what a Prometheus probe read at `at`, None when it
cannot say (no data, Prometheus unreachable)."""


def baseline_prompts(state: IncidentState, how: str = "") -> list[str]:
    """One line per probe Check health judges with no baseline, with its command (or
    `how`, the face's own way to record one)."""
    return [baseline_prompt(state, probe, how=how) for probe in unbaselined(state)]


def wants_values(state: IncidentState) -> bool:
    """Whether asking Prometheus could offer a value: a probe lacks a baseline and
    the release time is known."""
    return release_time(state) is not None and bool(unbaselined(state))


async def baseline_offers(state: IncidentState, value_at: ValueAt) -> list[str]:
    """`baseline_prompts`, each with the value its probe read at the release time
    where Prometheus has one (a rate at that moment is over the minutes before the
    release went out)."""
    at = release_time(state)
    lines = []
    for name in unbaselined(state):
        probe = state.runbook.probe(name)
        value = await value_at(probe, at) if probe is not None and at is not None else None
        lines.append(baseline_prompt(state, name, value))
    return lines
