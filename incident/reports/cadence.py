"""The stakeholder-update cadence replayed over the messages sent.

The runbook asks for the first update `first_update_min` after the declaration and
each next one `every_min` after the last message to stakeholders, until the resolution (as
`next_update_due` counts it). Every message answers the update then due, on time or
late, but one that repeats a once-per-incident message (`cadence_messages`): the same
news twice is no update, and is called out in the report's Inconsistencies instead;
nor is a message to the responders (the page to the team, its template in the
runbook's `cadence.to_responders`): stakeholders heard nothing from it.

An update declined before the next message (`lastgood decline ID update`) is not
sent: that round is settled by the decline, with who and why, and the next update is
due `every_min` after the one declined. The message that follows is not scored as
the declined update sent late: the Timeline says that update was not sent, and the
communications log says the same (ux_review10 #6).
The drill's score card and the report's communications log both read this.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from msgspec import Struct

from incident.core.phase_clocks import cadence_messages, resolved_at, t_plus
from incident.core.records import DeclinedMessage
from incident.core.state import IncidentState
from incident.core.text import visible
from incident.core.timefmt import printed_duration
from runbooks.model import MomentKind


class UpdateDue(Struct, frozen=True):
    """One update the cadence asked for, and the message that answered it."""

    due: datetime
    sent: datetime | None
    """None: no message by the resolution, or by the end while unresolved, or declined."""
    declined: DeclinedMessage | None = None
    """The decision not to send it, recorded before the next message."""

    @property
    def late_by(self) -> timedelta | None:
        """How far past due the message came (None on time, or not sent)."""
        if self.sent is None or self.sent <= self.due:
            return None
        return self.sent - self.due


def updates_due(state: IncidentState, end: datetime) -> list[UpdateDue]:
    """Each update the cadence asked for up to the resolution (or `end`), in order; one
    declined before the next message is listed with its decline, and the last is
    unanswered when it fell due with no message before then."""
    cadence = state.runbook.cadence
    every = timedelta(minutes=cadence.every_min)
    resolved = resolved_at(state)
    declined = {d.due_at: d for d in state.declined if d.moment == str(MomentKind.UPDATE_DUE)}
    due = state.declared_at + timedelta(minutes=cadence.first_update_min)
    found: list[UpdateDue] = []

    def settle_declined(before: datetime) -> datetime:
        nonlocal due
        while (decline := declined.get(due)) is not None and decline.at <= before:
            found.append(UpdateDue(due, None, decline))
            due += every
        return due

    for message in cadence_messages(state):
        if resolved is not None and message.at > resolved:
            break
        settle_declined(message.at)
        found.append(UpdateDue(due, message.at))
        due = message.at + every
    stop = resolved or end
    settle_declined(stop)
    if stop > due:
        found.append(UpdateDue(due, None))
    return found


def missed_update_outcome(state: IncidentState, due_at: datetime, end: datetime) -> str:
    """What became of an update recorded as missed at `due_at`, to follow "was not
    sent": ` by its due time; sent at T+17:17, 17s late` once a message answered it,
    `: declined by Ada at T+17:20: reason` once declined; "" while none did. The
    timeline said "was not sent" of an update the communications log gave as sent 17 s
    late (ux_review16 #6)."""
    update = next((u for u in updates_due(state, end) if u.due == due_at), None)
    if update is None:
        return ""
    if update.sent is not None:
        late = printed_duration(update.due, update.sent)
        return f" by its due time; sent at {t_plus(state, update.sent)}, {late} late"
    if (declined := update.declined) is not None:
        by, why = (visible(" ".join(text.split())) for text in (declined.by, declined.reason))
        return f": declined by {by} at {t_plus(state, declined.at)}: {why}"
    return ""
