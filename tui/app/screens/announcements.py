"""What the coordinator is told as a toast when it lands in the record, whoever recorded it.

Nobody pressed a key for these: a message lastgood sent by itself, a stakeholder
update missed, a webhook that failed for good, a rollback trigger the probes
flipped. They reach the screen as events, from this terminal's workers or another
process (`monitor`, a second `start`), and are said once, as they arrive; the
events the screen opened with are history, not news.

A manual trigger marked, or a role given, from another terminal is said too, as a
probe trigger's flip is: Bo's `t` and Cy's `lastgood trigger … cleared` a second
apart were two timeline rows on Ada's screen and nothing else, and Bo's screen kept
its own "Trigger core-broken met" toast (ux_review6 finding 2). One that reverses
someone else's says so (`incident.core.reversals`). Those recorded here were said
by the verb's own toast.

A trigger that flaps is said at most once a minute (`TriggerNews`): a health check
failing every ten seconds put a `Rollback trigger met` and a `Trigger cleared` toast
on the screen every few seconds, over the checklist, and none said it had happened
before (a fresh user's review). The next one said counts them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from textual.notifications import SeverityLevel

from incident.core.attribution import handoff_line
from incident.core.events import Event, Kind
from incident.core.payloads import (
    CommanderHandedOff,
    CommunicationSent,
    RoleAssigned,
    TriggerChanged,
    UpdateOverdue,
)
from incident.core.phase_clocks import t_plus
from incident.core.reversals import role_change_at, role_reversal, trigger_reversal
from incident.core.state import Handoff, IncidentState
from incident.reports.describe import describe

Toast = tuple[str, str, SeverityLevel, float]
"""(message, title, severity, timeout in seconds)."""


TRIGGER_NEWS_EVERY = timedelta(minutes=1)
"""A probe trigger's flips are said at most this often, each trigger on its own."""


class TriggerNews:
    """When each probe trigger was last said, by the record's times: a flip within
    `TRIGGER_NEWS_EVERY` of it is folded into the next one said, which counts them.
    What the trigger is now is always on the screen (the Production panel's row, and
    `met N times` beside a trigger not met); a toast is news, not the state."""

    def __init__(self) -> None:
        self._said_at: dict[str, datetime] = {}

    def toast(self, state: IncidentState, event: Event, change: TriggerChanged) -> Toast | None:
        last = self._said_at.get(change.trigger)
        if last is not None and event.at - last < TRIGGER_NEWS_EVERY:
            return None
        self._said_at[change.trigger] = event.at
        met = [
            mark.at
            for trigger, mark in state.trigger_history
            if trigger == change.trigger and mark.met and mark.seq <= event.seq
        ]
        times = f" (met {len(met)} times since {t_plus(state, met[0])})" if len(met) > 1 else ""
        if change.met:
            title = "Rollback trigger met again" if times else "Rollback trigger met"
            return describe(event) + times, title, "warning", 8
        return describe(event) + times, "Trigger cleared", "information", 8


def announcement(
    event: Event, state: IncidentState, triggers: TriggerNews, *, here: bool = False
) -> Toast | None:
    """The toast `event` deserves, if any, in `state` (folded to include it): the due
    messages declined say a missed update was declined on purpose, and the trigger
    history counts a trigger's flips. `here`: recorded by this screen's own verb,
    whose toast said it already."""
    data = event.data
    if isinstance(data, TriggerChanged) and data.source == "manual":
        return None if here else _marked_elsewhere(event, state, data)
    if isinstance(data, RoleAssigned):
        return None if here else _given_elsewhere(event, state, data)
    if isinstance(data, CommanderHandedOff):
        return None if here else handoff_news(event, state, data)
    if isinstance(data, CommunicationSent) and data.auto:
        return describe(event), "Sent automatically", "information", 6
    if isinstance(data, UpdateOverdue):
        by_choice = next((d for d in state.declined if d.due_at == data.due_at), None)
        if by_choice is not None:  # "not sent (c composes it)" read as news beside it
            why = f"declined by {by_choice.by} ({by_choice.reason})"
            missed = f"{describe(event)}: {why}, it counts as missed (c composes one)"
            return missed, "Stakeholder update overdue", "warning", 15
        return describe(event) + " (c composes it)", "Stakeholder update overdue", "error", 15
    if event.kind == Kind.NOTIFICATION_FAILED:
        return describe(event) + " (f re-sends)", "Message not delivered", "error", 10
    if isinstance(data, TriggerChanged) and data.source == "probe":
        return triggers.toast(state, event, data)
    return None


def handoff_news(event: Event, state: IncidentState, data: CommanderHandedOff) -> Toast:
    """A hand-off of command: "Cy took command from Ada at T+03:09: Cy takes command
    from the bastion". Cy's `lastgood handoff` changed only the header's `IC …` on
    Ada's screen and on Bo's, and Ada went on deciding as if in command (a review)."""
    handoff = Handoff(data.from_, data.to, event.at, event.actor, data.reason)
    return handoff_line(state, handoff), "Incident command", "warning", 15


def _marked_elsewhere(event: Event, state: IncidentState, change: TriggerChanged) -> Toast:
    """`Trigger core-broken cleared: checkout works (marked met by Bo 1s ago)`, titled
    with who marked it; a warning when it reverses someone's mark."""
    reversal = trigger_reversal(state, change.trigger, event.seq)
    said = describe(event) + (f" ({reversal.said})" if reversal else "")
    by = change.by or event.actor
    title = f"Rollback trigger met by {by}" if change.met else f"Trigger cleared by {by}"
    severity: SeverityLevel = "warning" if change.met or reversal else "information"
    return said, title, severity, 10


def _given_elsewhere(event: Event, state: IncidentState, given: RoleAssigned) -> Toast:
    """`Dee is ops (given to Bo by Ada 1s ago)`, titled with who gave it."""
    change = role_change_at(state, given.role, event.at)
    reversal = role_reversal(state, change) if change is not None else None
    said = describe(event) + (f" ({reversal.said})" if reversal else "")
    severity: SeverityLevel = "warning" if reversal else "information"
    return said, f"Role given by {event.actor}", severity, 8


def announcements(
    events: Iterable[Event],
    state: IncidentState,
    triggers: TriggerNews,
    recorded_here: frozenset[int] = frozenset(),
) -> list[Toast]:
    """The toasts `events` deserve; `recorded_here`, the `seq`s this screen recorded."""
    return [
        toast
        for event in events
        if (toast := announcement(event, state, triggers, here=event.seq in recorded_here))
    ]
