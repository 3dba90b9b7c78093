"""Which incidents `list` and the coordinator's picker show.

Drills are rehearsals: listed beside real incidents they would crowd out the one a
coordinator is looking for under stress, so both faces leave them out unless asked.
Kept light (no commands, no reports): `list` must start fast.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from incident.core.state import IncidentState


def listed(states: Iterable[IncidentState], *, drills: bool = False) -> Iterator[IncidentState]:
    """Real incidents, in order; drills too when `drills`. Lazy: a long record's states
    are folded and dropped one at a time."""
    return (state for state in states if drills or not state.drill)
