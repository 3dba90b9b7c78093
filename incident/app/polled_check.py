"""Whether anyone polls an incident's probes: the liveness check a pager or a service
manager runs (`lastgood status --check-polled`), one line and a verdict per incident.

By the probes' turn rule (`incident.health.turns`) with this machine's knowledge of
its pollers (`incident.app.pollers.live_mark`, which `status` and `brief` say too):
the last tick's poller polls until its ticks are older than the turn's lapse (two of
the runbook's longest probe intervals plus its longest timeout), or at once not, when
it ran on this machine and its process has ended. An incident declared but never
polled passes for that same lapse after its declaration (a `monitor --open` picks it
up within seconds), then fails: nobody polls it. A closed incident, or one whose
runbook has no probes, has nothing to poll and passes.
"""

from __future__ import annotations

from datetime import datetime

from msgspec import Struct

from incident.app.pollers import live_mark
from incident.core.state import IncidentState
from incident.core.text import visible
from incident.health.poll_mark import Polling, poll_words
from incident.health.turns import turn_lapse_s


class Polled(Struct, frozen=True):
    """One incident's answer: whether it passes, and the line saying why."""

    ok: bool
    line: str


def polled_check(state: IncidentState, now: datetime) -> Polled:
    """Whether someone polls `state`'s probes at `now`, by the turn's rule."""
    mark = live_mark(state, now)
    if mark is None:
        why = "closed" if state.is_closed else "its runbook has no probes"
        return Polled(True, f"{state.id}: nothing to poll ({why})")
    said = visible(poll_words(mark, state))
    if mark.polling is Polling.NEVER:
        lapse = turn_lapse_s(state.runbook)
        waited = (now - state.declared_at).total_seconds()
        if waited <= lapse:
            return Polled(
                True, f"{state.id}: {said} (declared {waited:.0f}s ago; {lapse:g}s allowed)"
            )
        return Polled(False, f"{state.id}: nobody polls it: {said} ({waited:.0f}s since declared)")
    if mark.polling is Polling.LAPSED:
        return Polled(False, f"{state.id}: nobody polls it: {said}")
    return Polled(True, f"{state.id}: {said}")
