"""Drills: a rehearsal declared like an incident, marked `drill`, scored at the end.

Both faces call these: `lastgood drill` (the TUI or headless) declares one; `list`
and the picker leave drills out unless asked (`incident.app.listing`). The score card is
`incident.reports.drill_score`, read by `lastgood score` and the coordinator's screen.
"""

from __future__ import annotations

import random

from incident import commands
from incident.commands import Declaration
from incident.core.clock import Clock
from incident.core.events import NewEvent
from incident.reports.drill_faults import FAULTS, Fault, fault_named
from runbooks.model import Runbook

__all__ = ["drill_declaration", "pick_fault"]


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
) -> NewEvent:
    """The drill's declaration: marked with its fault, which its title does not give
    away (the coordinator finds it as they would a real one; the score card names it)."""
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
    return commands.declare(runbook, details, actor=commander, clock=clock, taken_ids=taken_ids)
