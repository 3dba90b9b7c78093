"""Words for stakeholders: the incident in one plain paragraph for people outside it.

`lastgood brief ID --for stakeholders` prints it, and the handoff brief's dialog shows
it on a key: one use case, from the folded record at the face's now, in clock times
with the report's zone beside UTC (`incident.reports.stakeholder_brief`).
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from incident.app.session import Session
from incident.core.state import IncidentState
from incident.core.timefmt import LocalZone
from incident.reports.stakeholder_brief import stakeholder_paragraph


def stakeholder_words(state: IncidentState, now: datetime, tz: tzinfo | None) -> str:
    """The paragraph of `state` at `now`: for a face that already holds the folded state."""
    return stakeholder_paragraph(state, now, LocalZone(tz))


def for_stakeholders(session: Session, tz: tzinfo | None) -> str:
    """The paragraph of the session's incident, now."""
    return stakeholder_words(session.state, session.clock.now(), tz)
