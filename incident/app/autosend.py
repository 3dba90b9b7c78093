"""Messages and missed updates that the passing of time records, decided in the append."""

from __future__ import annotations

from incident.app.outcome import SYSTEM_ACTOR
from incident.app.session import Session
from incident.commands import (
    auto_send,
    record_overdue_update,
)
from incident.core.events import (
    Event,
)


def record_auto_sends(session: Session) -> list[Event]:
    """Send what is due by itself, deciding inside the append; usually writes nothing.

    Recorded as lastgood, whichever process noticed: nobody pressed a key.
    """
    clock, actor = session.clock, SYSTEM_ACTOR
    if not auto_send(session.state, actor=actor, clock=clock):
        return []
    return session.run_many(lambda s: auto_send(s, actor=actor, clock=clock))


def record_overdue(session: Session) -> list[Event]:
    """Record, once, a stakeholder update that came due unsent; usually writes nothing.

    Recorded as lastgood in every face (the TUI once wrote the coordinator's name).
    """
    clock, actor = session.clock, SYSTEM_ACTOR
    if not record_overdue_update(session.state, actor=actor, clock=clock):
        return []
    return session.run_many(lambda s: record_overdue_update(s, actor=actor, clock=clock))
