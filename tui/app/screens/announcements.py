"""What the coordinator is told as a toast when it lands in the record, whoever recorded it.

Nobody pressed a key for these: a message lastgood sent by itself, a stakeholder
update missed, a webhook that failed for good, a rollback trigger the probes
flipped. They reach the screen as events, from this terminal's workers or another
process (`monitor`, a second `start`), and are said once, as they arrive; the
events the screen opened with are history, not news.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from textual.notifications import SeverityLevel

from incident.core.events import Event, Kind
from incident.core.payloads import CommunicationSent, TriggerChanged, UpdateOverdue
from incident.core.records import DeclinedMessage
from incident.reports.describe import describe

Toast = tuple[str, str, SeverityLevel, float]
"""(message, title, severity, timeout in seconds)."""


def announcement(event: Event, declined: Sequence[DeclinedMessage] = ()) -> Toast | None:
    """The toast `event` deserves, if any; `declined`: the due messages declined, by
    which a missed update that was declined on purpose says so."""
    data = event.data
    if isinstance(data, CommunicationSent) and data.auto:
        return describe(event), "Sent automatically", "information", 6
    if isinstance(data, UpdateOverdue):
        by_choice = next((d for d in declined if d.due_at == data.due_at), None)
        if by_choice is not None:  # "not sent (c composes it)" read as news beside it
            why = f"declined by {by_choice.by} ({by_choice.reason})"
            missed = f"{describe(event)}: {why}, it counts as missed (c composes one)"
            return missed, "Stakeholder update overdue", "warning", 15
        return describe(event) + " (c composes it)", "Stakeholder update overdue", "error", 15
    if event.kind == Kind.NOTIFICATION_FAILED:
        return describe(event) + " (f re-sends)", "Message not delivered", "error", 10
    if isinstance(data, TriggerChanged) and data.source == "probe":
        if data.met:
            return describe(event), "Rollback trigger met", "warning", 8
        return describe(event), "Trigger cleared", "information", 8
    return None


def announcements(events: Iterable[Event], declined: Sequence[DeclinedMessage] = ()) -> list[Toast]:
    return [toast for event in events if (toast := announcement(event, declined)) is not None]
