"""Which incidents `list` and the coordinator's picker show.

Drills are rehearsals: listed beside real incidents they would crowd out the one a
coordinator is looking for under stress, so both faces leave them out unless asked.
Kept light (no commands, no reports): `list` must start fast.

Both read each incident one way, `incident_state`: the picker folded every incident's
record decoded, each probe tick's samples too, on the TUI's event loop before its
first screen, where `list` streamed it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime

from incident.core.chain import ChainWalk
from incident.core.events import JSONValue
from incident.core.folding import fold_items
from incident.core.log import EventLog
from incident.core.phase_clocks import resolved_at
from incident.core.state import IncidentState


def incident_state(log: EventLog, incident_id: str) -> IncidentState:
    """The incident's state as a session opens it: the record streamed, ticks in runs
    from the store's summaries, never held decoded. `ValueError` (or the runbook's or
    the store's error) when it cannot be read; a chain that does not verify still
    reads, as `status` shows it."""
    return fold_items(log.opening_items(incident_id, ChainWalk(incident_id)))


def listed(states: Iterable[IncidentState], *, drills: bool = False) -> Iterator[IncidentState]:
    """Real incidents, in order; drills too when `drills`. Lazy: a long record's states
    are folded and dropped one at a time."""
    return (state for state in states if drills or not state.drill)


def standing(state: IncidentState) -> str:
    """Where the incident stands, as `list` and the picker say it: "closed", "resolved,
    ready to close" (the resolution message sent, every required step done),
    "resolved" (sent, steps still open), "ready to close" (every required step done,
    no resolution message) or "open". Both said "open" of an incident resolved minutes
    before, which a lead scanning a shared record took for a live one."""
    if state.is_closed:
        return "closed"
    resolved = resolved_at(state) is not None
    ready = not state.open_required_steps()
    if resolved:
        return "resolved, ready to close" if ready else "resolved"
    return "ready to close" if ready else "open"


RECOVERY_TIMES = (
    ("to_decision_s", "rollback_decision"),
    ("to_rollback_s", "app_rolled_back"),
    ("to_verified_s", "service_verified"),
    ("to_resolved_s", "resolved"),
)
"""`list --json`'s times from the declaration, by the key moment each is the time to."""


def recovery_figures(state: IncidentState, now: datetime) -> dict[str, JSONValue]:
    """What `list --json` sets beside each incident so two can be compared (ux_review16
    #14): the seconds from the declaration to the decision, the rollback done, the
    service verified and the resolution (null while not so), and each phase's result.

    From the report's own functions on the state `list` folded (`milestones`, as the
    export's `impact.milestones[].from_declaration_s`; `phase_results`, as its
    `phase_results[].result`): no second computation, and no more reading of the
    record. Loaded only when asked, so the plain `list` starts as fast as before."""
    from incident.core.timefmt import seconds
    from incident.reports.impact import phase_results
    from incident.reports.milestones import milestones

    moments = {m.key: m.at for m in milestones(state, ())}  # the events give only seqs
    figures: dict[str, JSONValue] = {}
    for name, key in RECOVERY_TIMES:
        at = moments.get(key)
        figures[name] = seconds(at - state.declared_at) if at is not None else None
    figures["phases"] = [
        {
            "id": result.clock.phase.id,
            "title": result.clock.phase.title,
            "result": result.result,
            "on_time": result.on_time,
        }
        for result in phase_results(state, now)
    ]
    return figures
