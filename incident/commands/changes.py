"""Recording what the rollback undoes, as evidence for the database tier."""

from __future__ import annotations

from incident.commands.rules import make_event
from incident.core.clock import Clock
from incident.core.events import NewEvent
from incident.core.payloads import ChangesRead
from incident.core.state import IncidentState
from incident.reports.changes import ReleaseChanges


def record_changes(
    state: IncidentState, changes: ReleaseChanges, *, actor: str, clock: Clock
) -> NewEvent:
    tier, why = changes.suggested_tier
    read = ChangesRead(
        changes.bad,
        changes.good,
        changes.undone,
        len(changes.files),
        tuple(migration.line for migration in changes.migrations),
        sum(1 for migration in changes.migrations if migration.flags),
        tier,
        why,
    )
    return make_event(state.id, actor, clock, read)
