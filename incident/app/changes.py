"""`lastgood changes --incident ID`: what the rollback undoes, kept as evidence."""

from __future__ import annotations

from incident import commands
from incident.app.outcome import Done
from incident.app.session import Session
from incident.reports.changes import ReleaseChanges


def record_changes(session: Session, actor: str, changes: ReleaseChanges) -> Done:
    """Record what the rollback undoes; the database step and the report show it."""
    clock = session.clock
    event = session.run(lambda s: commands.record_changes(s, changes, actor=actor, clock=clock))
    tier, _ = changes.suggested_tier
    return Done([event], f"recorded what the rollback undoes (suggested tier: {tier})")
