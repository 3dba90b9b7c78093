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
due `every_min` after the one declined (`incident.core.update_rounds`, the one rule
`next_update_due` counts by too). The message that follows is not scored as
the declined update sent late: the Timeline says that update was not sent, and the
communications log says the same (ux_review10 #6).
The drill's score card and the report's communications log both read this.
"""

from __future__ import annotations

from datetime import datetime
from itertools import takewhile

from incident.core.events import Event
from incident.core.payloads import UpdateOverdue
from incident.core.phase_clocks import cadence_messages, resolved_at, t_plus
from incident.core.state import IncidentState
from incident.core.text import visible
from incident.core.timefmt import printed_duration
from incident.core.update_rounds import UpdateDue, update_rounds

__all__ = ["UpdateDue", "missed_outcome", "missed_update_outcome", "updates_due"]


def updates_due(state: IncidentState, end: datetime) -> list[UpdateDue]:
    """Each update the cadence asked for up to the resolution (or `end`), in order; one
    declined before the next message is listed with its decline, and the last is
    unanswered when it fell due with no message before then. The rounds are
    `update_rounds`, as `next_update_due` counts them."""
    resolved = resolved_at(state)
    told = takewhile(lambda m: resolved is None or m.at <= resolved, cadence_messages(state))
    stop = resolved or end
    found, due = update_rounds(state, [message.at for message in told], stop)
    if stop > due:
        found.append(UpdateDue(due, None))
    return found


def missed_outcome(state: IncidentState, event: Event, end: datetime) -> str:
    """What became of the update `event` recorded as missed (`missed_update_outcome`),
    "" for any other event: both timelines, the JSON and the live panel add it to the
    event's description."""
    if isinstance(event.data, UpdateOverdue):
        return missed_update_outcome(state, event.data.due_at, end)
    return ""


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
