"""Whose turn it is to poll an incident's probes: one poller at a time.

Two pollers of one incident (two `monitor`s, or a `monitor` and a coordinator's
screen) recorded their readings side by side, so a trigger "for 3 samples" met in a
third of the time it means, and the report counted every reading twice. So each
tick names its poller (`ProbeSamples.poller`), and the latest tick holds the turn:
while the poller that recorded it goes on recording, no other does. A poller that
stops (killed, its laptop shut) leaves the turn once its last tick is older than
`turn_lapse_s`, and the next poller to ask takes it; at once if the one asking can
tell that poller is gone (`gone`: its process, on the same machine, has ended).

The rule is read on the state a write decides on (`commands.record_samples`), so of
two pollers that start together the one whose tick is recorded first holds the turn
and the other's tick is refused, never both recorded. A tick that names no poller
(recorded by an earlier release, or a script) holds the turn as well: its poller is
at work as surely, only unnamed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from incident.core.state import IncidentState
from runbooks.model import Runbook

UNNAMED_POLLER = "another poller"
"""How a poller whose ticks name none is called."""


def turn_lapse_s(runbook: Runbook) -> float:
    """How long after its last tick a poller still holds the turn: two of the runbook's
    longest probe intervals and its longest timeout. A poller at work records a tick at
    least every shortest interval, later by a poll that runs to its timeout: well
    inside this."""
    if not runbook.probes:
        return 0.0
    longest = max(probe.interval_s for probe in runbook.probes)
    return 2 * longest + max(probe.timeout_s for probe in runbook.probes)


Gone = Callable[[str], bool]
"""Whether the poller of that name is known to have stopped."""


def turn_holder(
    state: IncidentState, poller: str, now: datetime, gone: Gone | None = None
) -> str | None:
    """The other poller that holds the turn at `now`, by name; None if `poller` may
    poll (no tick yet, its own was the last, the last is older than the lapse, or its
    poller is `gone`)."""
    last = state.last_poll
    if last is None or last.poller == poller or turn_lapsed(state, now, gone):
        return None
    return UNNAMED_POLLER if last.poller is None else last.poller


def turn_lapsed(state: IncidentState, now: datetime, gone: Gone | None = None) -> bool:
    """Whether the last tick's poller no longer holds the turn at `now`: no tick yet,
    the last older than the lapse, or its poller `gone` (never known of a tick that
    names none)."""
    last = state.last_poll
    if last is None:
        return True
    if (now - last.at).total_seconds() > turn_lapse_s(state.runbook):
        return True
    return last.poller is not None and gone is not None and gone(last.poller)


def turn_free_in_s(
    state: IncidentState, poller: str, now: datetime, gone: Gone | None = None
) -> float:
    """Seconds until another poller's turn lapses (if it records no more): 0 when
    `poller` may poll now."""
    last = state.last_poll
    if last is None or turn_holder(state, poller, now, gone) is None:
        return 0.0
    lapse = turn_lapse_s(state.runbook)
    return max(0.0, lapse - (now - last.at).total_seconds())
