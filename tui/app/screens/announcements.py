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

What people decide from another terminal is said too, titled with who, the words cut
at a word (`NEWS_CHARS`; the timeline's entry has them whole) (ux_review13 #8):

- an approval, the rollback decision above all ("Rollback decided by Cass"): the
  commander's "go" from a phone came as two timeline rows cut at 30 characters while
  the person typing waited on it; another gate's approval (a tier's leadership
  approval) unblocks what the typist does next as surely;
- the database tier chosen: the most dangerous step of the rollback, and a warning
  when it can lose data;
- a note, pinned or not: `note` is the commander's one channel into the tool ("Eve:
  hold the RCA until 09:00"), typed by a person and rare; a pinned one (a decision
  that is no runbook gate: "VP told") as a warning. A runbook without a decision gate
  records the decision as a note (`gates.DECISION_NOTE`): said as the decision;
- a severity change, which changes whom the stakeholder updates go to and how often.

Left as timeline rows: a step checked or skipped elsewhere (the highlight moves on,
`IncidentScreen._past_done_elsewhere`, and the checklist's mark is the news), messages
sent by hand, pages, probe samples and the post-mortem's records: routine work whose
state the screen shows. Never said as news: what this screen recorded (`here`: its
verb's own toast said it) and the events a screen opened with.

The follow view (attach, serve) says the same news (`keyed=False`: without the
coordinator's keys, which it has not).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from textual.notifications import SeverityLevel

from incident.app.stability import lapse_said
from incident.core.attribution import handoff_line
from incident.core.clipping import clipped_at_words
from incident.core.events import Event, Kind
from incident.core.gates import DECISION_NOTE, decision_gate
from incident.core.names import same_person
from incident.core.payloads import (
    ApprovalGranted,
    CommanderHandedOff,
    CommunicationSent,
    DatabaseTierChosen,
    NoteAdded,
    RoleAssigned,
    SeverityChanged,
    TriggerChanged,
    UpdateOverdue,
)
from incident.core.phase_clocks import t_plus
from incident.core.reversals import role_change_at, role_reversal, trigger_reversal
from incident.core.state import Handoff, IncidentState
from incident.core.text import visible
from incident.reports.describe import describe

Toast = tuple[str, str, SeverityLevel, float]
"""(message, title, severity, timeout in seconds)."""


NEWS_CHARS = 200
"""A toast's words from a person at most (a reason, a note), cut at a word: a note may
run to a paragraph, and a toast is a few lines high (three under 38 rows)."""

DECISION_S = 30.0
"""How long the rollback decision's toast stays up: the one thing not to miss."""

TRIGGER_NEWS_EVERY = timedelta(minutes=1)
"""A probe trigger's flips are said at most this often, each trigger on its own."""


class TriggerNews:
    """When each probe trigger was last said, by the record's times: a flip within
    `TRIGGER_NEWS_EVERY` of it is folded into the next one said, which counts them.
    What the trigger is now is always on the screen (the Production panel's row, and
    `met N times` beside a trigger not met); a toast is news, not the state."""

    def __init__(self) -> None:
        self._said_at: dict[str, datetime] = {}
        self._lapse: str | None = None
        """What was said last of the service verified gone back (`lapse_said`)."""

    def lapse(self, state: IncidentState) -> Toast | None:
        """`verification no longer holds: rollback trigger error-rate met since …`,
        titled "Service not restored", once each time what it says changes: the
        Production panel turned red while the strip kept Verification DONE and no
        update owed (ux_review15 #2). None while the service is restored."""
        said = None if state.is_closed else lapse_said(state)
        if said == self._lapse:
            return None
        self._lapse = said
        if said is None:
            return None
        return visible(said), "Service not restored", "error", 20

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
    event: Event,
    state: IncidentState,
    triggers: TriggerNews,
    *,
    here: bool = False,
    keyed: bool = True,
) -> Toast | None:
    """The toast `event` deserves, if any, in `state` (folded to include it): the due
    messages declined say a missed update was declined on purpose, and the trigger
    history counts a trigger's flips. `here`: recorded by this screen's own verb,
    whose toast said it already. `keyed`: the toast may name the coordinator's keys
    (`c composes it`); not in the follow view, which has none of them."""
    data = event.data
    if isinstance(data, TriggerChanged) and data.source == "manual":
        return None if here else _marked_elsewhere(event, state, data)
    if isinstance(data, RoleAssigned):
        return None if here else _given_elsewhere(event, state, data)
    if isinstance(data, CommanderHandedOff):
        return None if here else handoff_news(event, state, data)
    if isinstance(data, ApprovalGranted | DatabaseTierChosen | NoteAdded | SeverityChanged):
        return None if here else _decided_elsewhere(event, state)
    if isinstance(data, CommunicationSent) and data.auto:
        return describe(event), "Sent automatically", "information", 6
    if isinstance(data, UpdateOverdue):
        by_choice = next((d for d in state.declined if d.due_at == data.due_at), None)
        if by_choice is not None:  # "not sent (c composes it)" read as news beside it
            why = f"declined by {by_choice.by} ({by_choice.reason})"
            again = " (c composes one)" if keyed else ""
            missed = f"{describe(event)}: {why}, it counts as missed{again}"
            return missed, "Stakeholder update overdue", "warning", 15
        composes = " (c composes it)" if keyed else ""
        return describe(event) + composes, "Stakeholder update overdue", "error", 15
    if event.kind == Kind.NOTIFICATION_FAILED:
        resends = " (f re-sends)" if keyed else ""
        return describe(event) + resends, "Message not delivered", "error", 10
    if isinstance(data, TriggerChanged) and data.source == "probe":
        return triggers.toast(state, event, data)
    return None


def _decided_elsewhere(event: Event, state: IncidentState) -> Toast | None:
    """What a person decided at another terminal, titled with who: an approval (the
    rollback decision, "Rollback decided by Cass"), the database tier, a note, the
    severity; the words theirs, cut at a word (`NEWS_CHARS`)."""
    data = event.data
    if isinstance(data, ApprovalGranted):
        who = _name(data.by or event.actor)
        if data.by and not same_person(event.actor, data.by):
            who += f", recorded by {_name(event.actor)}"
        gate = decision_gate(state)
        if gate is not None and gate.step.id == data.target:
            said = _words(data.reason) or describe(event)
            return said, f"Rollback decided by {who}", "warning", DECISION_S
        tier = data.target.removeprefix("tier:")
        what = f"database tier {tier}" if tier != data.target else data.target
        return _words(_then(what, data.reason)), f"Approved by {who}", "warning", 15
    if isinstance(data, DatabaseTierChosen):
        loss = "no data loss" if data.data_loss == "none" else f"{data.data_loss} data loss"
        said = _words(_then(f"{data.tier} ({loss})", data.reason))
        severity: SeverityLevel = "information" if data.data_loss == "none" else "warning"
        return said, f"Database tier chosen by {_name(data.by or event.actor)}", severity, 15
    if isinstance(data, NoteAdded):
        who = _name(data.by or event.actor)
        if data.text.startswith(DECISION_NOTE):  # the decision, in a runbook with no gate
            said = _words(data.text.removeprefix(DECISION_NOTE)) or _words(data.text)
            return said, f"Rollback decided by {who}", "warning", DECISION_S
        if data.pinned:
            return _words(data.text), f"Pinned note from {who}", "warning", 15
        return _words(data.text), f"Note from {who}", "information", 10
    if isinstance(data, SeverityChanged):
        said = _words(_then(f"{data.previous} -> {data.severity}", data.reason))
        return said, f"Severity changed by {_name(event.actor)}", "warning", 15
    return None


def _then(what: str, reason: str) -> str:
    """`what: reason`, or `what` alone when no reason was given."""
    return f"{what}: {reason}" if reason.strip() else what


def _name(name: str) -> str:
    """A person's name for a toast's title, on one line, control characters shown."""
    return visible(" ".join(name.split()))


def _words(text: str) -> str:
    """What a person wrote, on one line, control characters shown, cut at a word."""
    return clipped_at_words(visible(" ".join(text.split())), NEWS_CHARS)


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
    *,
    keyed: bool = True,
) -> list[Toast]:
    """The toasts `events` deserve; `recorded_here`, the `seq`s this screen recorded;
    `keyed`, whether they may name the coordinator's keys."""
    toasts = [
        toast
        for event in events
        if (
            toast := announcement(
                event, state, triggers, here=event.seq in recorded_here, keyed=keyed
            )
        )
    ]
    lapse = triggers.lapse(state)
    return toasts if lapse is None else [*toasts, lapse]
