"""Drills: a rehearsal declared like an incident, marked `drill`, scored at the end.

Both faces call these: `lastgood drill` (the TUI or headless) declares one; `list`
and the picker leave drills out unless asked (`incident.app.listing`). The score card is
`incident.reports.drill_score`, read through `closed_score` by `lastgood score`, the
headless drill and the coordinator's screen: it names the fault, so only once the
drill is closed (`incident.reports.drill_faults.fault_shown`).
"""

from __future__ import annotations

import random
from datetime import datetime

from incident.app.lifecycle import declaration_events
from incident.commands import Declaration
from incident.core.clock import Clock
from incident.core.events import NewEvent
from incident.core.state import IncidentState
from incident.reports.drill_faults import FAULTS, Fault, fault_named, require_fault_shown
from incident.reports.drill_score import ScoreCard, score_card
from runbooks.model import Runbook

__all__ = ["closed_score", "drill_declaration", "pick_fault"]


def pick_fault(name: str | None, seed: int | None) -> Fault:
    """The fault named, else one drawn at random (from `seed` when given, so a team can
    replay the same drill); ValueError naming the faults for an unknown name."""
    if name:
        return fault_named(name)
    return random.Random(seed).choice(list(FAULTS.values()))


def drill_declaration(
    runbook: Runbook,
    fault: Fault,
    commander: str,
    *,
    clock: Clock,
    taken_ids: list[str],
) -> list[NewEvent]:
    """The drill's declaration, and the steps it does (as every declaration's,
    `declaration_events`): marked with its fault, which its title does not give away
    (the coordinator finds it as they would a real one; the score card names it)."""
    details = Declaration(
        title="Drill: shop 2.4.1 misbehaving",
        severity="SEV2",
        commander=commander,
        issue="shop 2.4.1 misbehaving since its release (a drill)",
        eta_min=20,
        pattern="blue-green",
        channel="#drill-shop",
        from_version="2.4.1",
        last_good_version="2.4.0",
        drill=str(fault.name),
    )
    return declaration_events(runbook, details, actor=commander, clock=clock, taken_ids=taken_ids)


def closed_score(state: IncidentState, now: datetime) -> ScoreCard:
    """The drill's score card, frozen at its close; ValueError if it is no drill, and
    `FaultHidden` (a CommandError) while it runs: the card names the fault, and how
    the tier chosen fits it."""
    if not state.drill:
        raise ValueError(f"{state.id} is not a drill")
    require_fault_shown(state, "its score card")
    return score_card(state, now)
