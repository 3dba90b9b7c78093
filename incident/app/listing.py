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


def standing(state: IncidentState, now: datetime) -> str:
    """Where the incident stands at `now`, as `list` and the picker say it: "closed",
    "resolved, ready to close" (the resolution message sent, and `close` would take
    it: every required step done, the service stable), "resolved" (sent, steps still
    open), "ready to close" (`close` would take it, no resolution message), "resolved,
    not stable" / "open, not stable" (every required step done, but `close` refuses:
    a rollback trigger met or the bad release running, `close_waits`), or "open".
    Both said "open" of an incident resolved minutes before, which a lead scanning a
    shared record took for a live one; and "ready to close" of one whose verification
    no longer held, which `close` refused."""
    from incident.health.stability import close_waits  # loaded once there is a state

    if state.is_closed:
        return "closed"
    resolved = resolved_at(state) is not None
    waits = close_waits(state, now)
    if waits.open_steps:
        return "resolved" if resolved else "open"
    if waits.held is not None:
        return "resolved, not stable" if resolved else "open, not stable"
    return "resolved, ready to close" if resolved else "ready to close"


def close_waits_text(state: IncidentState, now: datetime) -> str | None:
    """Why `close` would refuse the incident at `now`, in its own words (`the service
    is not stable (rollback trigger error-rate met since T+03:47): the guide closes out
    once it is`); None once closed or when it would take it."""
    from incident.health.stability import close_waits

    if state.is_closed:
        return None
    return "; ".join(close_waits(state, now).reasons) or None


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
