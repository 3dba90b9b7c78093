"""Messages the runbook makes due at a moment: sent at once, or offered for confirmation.

The guide wants stakeholders told at fixed points (the declaration, the decision to
roll back, paging, each update, the resolution), and a coordinator under pressure
forgets. A `send` rule with `on:` names the moment. Which messages are due is worked
out from the incident state alone, so every process (the TUI, `monitor`, `deliver`,
the CLI verbs) reaches the same answer, and because the commands here are decided
inside the append transaction, two terminals never both send the same one.

A once-per-incident moment (declared, a step done, a phase done: a phase skipped
whole, none of its steps checked, is not done and brings no moment) makes its template
due until a message from that template is recorded, by any route, or the coordinator
declines it. The update cadence makes the `update-due` template due again each time
the next update comes due.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from msgspec import Struct

from incident.comms.status_page import page_pending
from incident.core.phase_clocks import (
    RESOLVED_TEMPLATE,
    deciding_steps,
    next_update_due,
    t_plus,
    to_stakeholders,
)
from incident.core.records import Communication, StepStatus
from incident.core.state import IncidentState
from incident.core.verification import verification
from runbooks.model import Moment, MomentKind, SendMode, SendRule, StepKind

CONFIRM_LEAD = timedelta(minutes=1)
"""How long before an update is due it is offered for confirmation, so it can go on time."""


class DueMessage(Struct, frozen=True):
    """A message the runbook says is owed now, and since when."""

    rule: SendRule
    due_at: datetime
    """When the moment came (for an update: when it is due)."""

    @property
    def template(self) -> str:
        return self.rule.template

    @property
    def moment(self) -> str:
        return str(self.rule.on)

    @property
    def auto(self) -> bool:
        return self.rule.mode is SendMode.AUTO


def moment_at(state: IncidentState, moment: Moment) -> datetime | None:
    """When `moment` came (or, for the update cadence, comes); None if it has not."""
    match moment.kind:
        case MomentKind.DECLARED:
            return state.declared_at
        case MomentKind.UPDATE_DUE:
            return next_update_due(state)
        case MomentKind.STEP:
            record = state.steps.get(moment.ref)
            return record.at if record is not None and record.done else None
        case MomentKind.PHASE:
            deciding = deciding_steps(state, moment.ref)
            if not deciding or not all(r.done or r.skipped for r in deciding):
                return None
            if not any(r.done for r in deciding):
                # Skipped whole (`PhaseState.SKIPPED`): its moment never came.
                # `phase:verify` means "service restored"; nothing was verified.
                return None
            times = [r.at for r in deciding if r.at is not None]
            return max(times) if times else None


def due_messages(state: IncidentState, now: datetime) -> list[DueMessage]:
    """Every message whose moment has come and that is neither sent nor declined."""
    if state.is_closed:
        return []
    resolution = resolution_sent(state)
    due: list[DueMessage] = []
    for rule in state.runbook.timed_rules():
        assert rule.on is not None  # timed_rules keeps only rules with a moment
        at = moment_at(state, rule.on)
        if at is None or _moot(rule, at, resolution):
            continue
        offered_early = not rule.on.once and rule.mode is SendMode.CONFIRM
        offered_from = at - CONFIRM_LEAD if offered_early else at
        if now < offered_from or _settled(state, rule, at):
            continue
        due.append(DueMessage(rule, at))
    return due


def resolution_sent(state: IncidentState) -> Communication | None:
    """The message that told stakeholders the service is restored, if one went out."""
    return next((c for c in state.communications if c.template == RESOLVED_TEMPLATE), None)


def _moot(rule: SendRule, at: datetime, resolution: Communication | None) -> bool:
    """A once-per-incident message whose moment came before the resolution was sent
    and that was not sent itself: "Initiating rollback … ETA 23:10" after "Service is
    restored" would tell stakeholders the opposite of what they last heard
    (ux_review15 #8). The report still lists it as never sent; a moment that comes
    after the resolution (a close-out notice) is due as ever."""
    return (
        resolution is not None
        and rule.on is not None
        and rule.on.once
        and rule.template != RESOLVED_TEMPLATE
        and at <= resolution.at
    )


def awaiting_confirmation(state: IncidentState, now: datetime) -> list[DueMessage]:
    return [message for message in due_messages(state, now) if not message.auto]


def _settled(state: IncidentState, rule: SendRule, at: datetime) -> bool:
    """Sent or declined already. Any message to stakeholders moves the update cadence
    on by itself (`next_update_due`), so an update is settled only by declining it; a
    once-moment by a message from its own template, or by its communication step being
    done or skipped some other way."""
    moment = str(rule.on)
    declined = [d for d in state.declined if d.template == rule.template and d.moment == moment]
    if rule.on is not None and rule.on.once:
        return (
            bool(declined)
            or any(c.template == rule.template for c in state.communications)
            or _step_settled(state, rule.template)
        )
    return any(d.due_at == at for d in declined)


def _step_settled(state: IncidentState, template: str) -> bool:
    """The communication step for `template` is done or skipped: dealt with by hand."""
    return any(
        record.step.kind == StepKind.COMMUNICATION
        and record.step.template == template
        and (record.done or record.skipped)
        for record in state.steps.values()
    )


def communication_step(state: IncidentState, template: str) -> str | None:
    """The open communication step that a message from `template` completes, if any."""
    for step_id, record in state.steps.items():
        step = record.step
        if (
            step.kind == StepKind.COMMUNICATION
            and step.template == template
            and state.status_of(step_id) == StepStatus.OPEN
            and page_pending(state, step) is None  # the page updated too, or none
        ):
            return step_id
    return None


def unverified_resolution(state: IncidentState, template: str | None) -> str | None:
    """Why a `resolved` message would say more than the record shows: the service is
    not verified (a verification step open, or any one skipped: it verified nothing,
    `incident.core.verification`). Said alongside the send, not refused: the message
    may be right, and the coordinator knows more. With two of three skipped it went
    out with no word (ux_review7 F2)."""
    if template != RESOLVED_TEMPLATE:
        return None
    account = verification(state)
    if not account.records or account.verified:
        return None
    if not account.open and not any(r.done for r in account.records):
        return "the service is not verified (every verification step skipped)"
    if not account.skipped:
        return f"the service is not verified yet ({account.unverified()})"
    return f"the service is not verified ({account.unverified()})"


def sent_already(state: IncidentState, template: str) -> str | None:
    """Who sent a once-per-incident message (`Runbook.sent_once`) already, and when:
    "announce was already sent by Ada at T+00:48" (and by whom again since); None if no one
    did, or if the template may be sent as often as needed (updates, free templates)."""
    if not state.runbook.sent_once(template):
        return None
    sent = [c for c in state.communications if c.template == template]
    if not sent:
        return None
    sends = [f"by {c.by} at {t_plus(state, c.at)}" for c in sent]
    listed = sends[0] if len(sends) == 1 else f"{', '.join(sends[:-1])} and {sends[-1]}"
    return f"{template} was already sent {listed}"


def moment_came(state: IncidentState, template: str, now: datetime) -> bool:
    """Whether a rule's moment to send `template` has come by `now`: if its message is
    not due, something settled it (`no_longer_due` says what), rather than its moment
    not having come yet."""
    return any(
        rule.template == template and (at := moment_at(state, rule.on)) is not None and at <= now
        for rule in state.runbook.timed_rules()
        if rule.on is not None
    )


def sent_early(state: IncidentState, template: str | None, now: datetime) -> str | None:
    """Why a message the runbook sends at a step or phase says more than the record
    shows: sent before that moment came (`before decide-rollback is done, when the
    runbook sends it`). Said alongside the send, not refused, as `unverified_resolution`
    says it of `resolved` (which it leaves to that): "A rollback is being initiated"
    went to stakeholders before any decision, without a word (ux_review7 F11)."""
    if template is None or template == RESOLVED_TEMPLATE:
        return None
    moments = [
        rule.on
        for rule in state.runbook.timed_rules()
        if rule.template == template
        and rule.on is not None
        and rule.on.kind in (MomentKind.STEP, MomentKind.PHASE)
    ]
    if not moments or moment_came(state, template, now):
        return None
    moment = moments[0]
    what = moment.ref if moment.kind is MomentKind.STEP else f"phase {moment.ref}"
    return f"before {what} is done, when the runbook sends it"


def no_longer_due(state: IncidentState, template: str) -> str:
    """Why the message from `template`, offered as due, is due no more: who settled it
    and when ("announce was sent by Ada at T+00:48"), as a refusal says it."""
    tail = "it is not due any more"
    if state.is_closed and state.closed_at is not None:
        return f"the incident was closed at {t_plus(state, state.closed_at)}: {tail}"
    once = state.runbook.sent_once(template)
    # A once-moment is settled by its own template; the update cadence by any message
    # to stakeholders (not the page to the responders: `to_stakeholders`).
    sent = [
        c
        for c in state.communications
        if c.template == template or (not once and to_stakeholders(state, c))
    ]
    settled = [
        (c.at, f"{c.template or 'a message'} was sent by {c.by} at {t_plus(state, c.at)}")
        for c in sent[-1:]
    ]
    settled += [
        (d.at, f"{template} was declined by {d.by} at {t_plus(state, d.at)} ({d.reason})")
        for d in state.declined
        if d.template == template
    ]
    if settled:
        return f"{max(settled)[1]}: {tail}"
    by_hand = [  # its communication step checked or skipped without a message
        f"{r.step.id} was {'checked' if r.done else 'skipped'} by {r.by or 'someone'} "
        f"at {t_plus(state, r.at)}"
        for r in state.steps.values()
        if r.step.kind == StepKind.COMMUNICATION
        and r.step.template == template
        and (r.done or r.skipped)
        and r.at is not None
    ]
    if by_hand:
        return f"{by_hand[0]}: {tail}"
    resolution = resolution_sent(state)
    if resolution is not None and once and template != RESOLVED_TEMPLATE:
        when = t_plus(state, resolution.at)
        return f"the resolution was sent by {resolution.by} at {when} before {template}: {tail}"
    return f"no {template!r} message is due now: {tail}"
