"""The stakeholder-update cadence replayed over the messages sent.

The runbook asks for the first update `first_update_min` after the declaration and
each next one `every_min` after the last message to stakeholders, until the resolution (as
`next_update_due` counts it). Every message answers the update then due, on time or
late, but one that repeats a once-per-incident message (`cadence_messages`): the same
news twice is no update, and is called out in the report's Inconsistencies instead;
nor is a message to the responders (the page to the team, its template in the
runbook's `cadence.to_responders`): stakeholders heard nothing from it.
The drill's score card and the report's communications log both read this.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from msgspec import Struct

from incident.core.phase_clocks import cadence_messages, resolved_at
from incident.core.state import IncidentState


class UpdateDue(Struct, frozen=True):
    """One update the cadence asked for, and the message that answered it."""

    due: datetime
    sent: datetime | None
    """None: no message by the resolution, or by the end while unresolved."""

    @property
    def late_by(self) -> timedelta | None:
        """How far past due the message came (None on time, or not sent)."""
        if self.sent is None or self.sent <= self.due:
            return None
        return self.sent - self.due


def updates_due(state: IncidentState, end: datetime) -> list[UpdateDue]:
    """Each update the cadence asked for up to the resolution (or `end`), in order; the
    last is unanswered when it fell due with no message before then."""
    cadence = state.runbook.cadence
    resolved = resolved_at(state)
    due = state.declared_at + timedelta(minutes=cadence.first_update_min)
    found: list[UpdateDue] = []
    for message in cadence_messages(state):
        if resolved is not None and message.at > resolved:
            break
        found.append(UpdateDue(due, message.at))
        due = message.at + timedelta(minutes=cadence.every_min)
    if (resolved or end) > due:
        found.append(UpdateDue(due, None))
    return found
