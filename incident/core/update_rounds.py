"""The stakeholder-update cadence's rounds: the one rule every face counts by.

The runbook asks for the first update `first_update_min` after the declaration and
each next one `every_min` after the last message that counts (`cadence_messages`).
An update declined (`lastgood decline ID update --reason`, or the due dialog) is
settled without a message, and the cadence moves on from its due time: the next
one is due `every_min` after the declined one. The guide asks to keep stakeholders
informed with regular updates; a decline skips one round, it does not end them.

`next_update_due` (status, the TUI's "Next update", the monitor's overdue record)
and `updates_due` (the report's cadence, the timeline's missed-update outcome, the
drill's score) both walk the rounds here, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from msgspec import Struct

from incident.core.records import DeclinedMessage
from incident.core.state import IncidentState
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


def update_rounds(
    state: IncidentState, sent: Sequence[datetime], until: datetime | None
) -> tuple[list[UpdateDue], datetime]:
    """The rounds the cadence settled, and when the one after them is due.

    `sent`: when each message the cadence counts went out, in order (the caller
    stops them at the resolution). A decline settles the round then due when it was
    recorded before the next message, and before `until` after the last (None: any
    decline recorded so far, as the live clock counts).
    """
    cadence = state.runbook.cadence
    every = timedelta(minutes=cadence.every_min)
    moment = str(MomentKind.UPDATE_DUE)
    declined = {d.due_at: d for d in state.declined if d.moment == moment}
    due = state.declared_at + timedelta(minutes=cadence.first_update_min)
    rounds: list[UpdateDue] = []

    def settle_declined(before: datetime | None) -> None:
        nonlocal due
        while (decline := declined.get(due)) is not None and (
            before is None or decline.at <= before
        ):
            rounds.append(UpdateDue(due, None, decline))
            due += every

    for at in sent:
        settle_declined(at)
        rounds.append(UpdateDue(due, at))
        due = at + every
    settle_declined(until)
    return rounds, due
