"""The incident's key moments, as the report, the timeline, the JSON export and the
calendar file give them: impact start, declaration, the first trigger met, the
decision, the application rolled back, the service verified, resolved and closed.

Each is found in the record the one way (the decision by `incident.core.gates`, the
rollback step by `incident.reports.rollback_state`, the verification by
`incident.core.verification`), so every export names the same moment for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from msgspec import Struct

from incident.core.attribution import approver
from incident.core.events import Event
from incident.core.gates import decision_gate
from incident.core.phase_clocks import RESOLVED_TEMPLATE, t_plus
from incident.core.records import TriggerMark
from incident.core.rollback_step import app_rollback_step
from incident.core.state import IncidentState
from incident.core.verification import verification
from incident.reports.noted_decision import noted_decision


class Milestone(Struct, frozen=True):
    """A key moment of the incident, and the event that recorded it."""

    key: str
    """impact_start, declared, trigger_met, rollback_decision, app_rolled_back,
    service_verified, trigger_met_after_verification (listed only once it happened),
    resolved or closed: stable names for JSON."""
    label: str
    at: datetime | None
    """None when it has not happened (or was not recorded)."""
    seq: int | None = None
    detail: str = ""


MILESTONE_KEYS = (
    "impact_start",
    "declared",
    "trigger_met",
    "rollback_decision",
    "app_rolled_back",
    "service_verified",
    "trigger_met_after_verification",
    "resolved",
    "closed",
)


def milestones(state: IncidentState, events: Sequence[Event]) -> list[Milestone]:
    """The key moments in the order they happened: the recorded ones by time (then by
    their place in the record); one not recorded (`at` None) keeps its place in
    `MILESTONE_KEYS` order, where it was due. In that fixed order alone, a trigger met
    after the decision was listed above it, as if it had led to it."""
    declared_seq = events[0].seq if events else None
    decision = _decision(state, events)
    verified = _verified(state)
    again = _met_after_verification(state, verified)
    first = _trigger_met(state, decision)
    if again.at is not None and again.seq == first.seq:  # one event: said once, marked
        verified_at = t_plus(state, verified.at) if verified.at is not None else "?"
        after = f", after verification at {verified_at}"
        first = Milestone(first.key, first.label, first.at, first.seq, first.detail + after)
        again = Milestone(again.key, again.label, None)
    found = [
        Milestone("impact_start", "Impact start (T+0)", state.started_at),
        Milestone("declared", "Incident declared", state.declared_at, declared_seq),
        first,
        decision,
        _app_rolled_back(state),
        verified,
        *([again] if again.at is not None else []),  # a key moment only once it happened
        _resolved(state),
        Milestone(
            "closed", "Incident closed", state.closed_at, state.closed_seq, state.closed_by or ""
        ),
    ]
    happened = iter(
        sorted(
            (m for m in found if m.at is not None),
            key=lambda m: (m.at, -1 if m.seq is None else m.seq),
        )
    )
    return [m if m.at is None else next(happened) for m in found]


class MetRun(Struct, frozen=True):
    """A rollback trigger marked met, and the mark that cleared it next, if one did."""

    trigger: str
    met: TriggerMark
    cleared: TriggerMark | None


def met_runs(state: IncidentState) -> list[MetRun]:
    """Each time a trigger was marked met, in the record's order, with its next clear."""
    history = state.trigger_history
    return [
        MetRun(
            trigger,
            mark,
            next((m for t, m in history[index + 1 :] if t == trigger and not m.met), None),
        )
        for index, (trigger, mark) in enumerate(history)
        if mark.met
    ]


def dismissed(state: IncidentState, run: MetRun, decision: Milestone) -> bool:
    """Whether the trigger was cleared again before the rollback was decided (with no
    decision, before the application was rolled back; with neither, at all): met and
    dismissed, a false alarm by the record, not what the decision rested on. It was the
    incident's "Rollback trigger met" moment in Time to recovery, Key moments, Detection
    and the invitation, while the trigger the decision named came a second later
    (ux_review16 #3)."""
    cleared = run.cleared
    if cleared is None:
        return False
    if decision.at is not None:
        if decision.seq is not None:
            return cleared.seq < decision.seq
        return cleared.at < decision.at
    rolled_back = _app_rolled_back(state).at
    return rolled_back is None or cleared.at < rolled_back


def dismissal(state: IncidentState, run: MetRun) -> str:
    """`core-broken (manual) met at T+12:10 and dismissed by Dana at T+12:10: false
    alarm: CDN cache`: a run `dismissed` says so, in every document's words."""
    said = f"{run.trigger} ({run.met.source}) met at {t_plus(state, run.met.at)} and dismissed"
    cleared = run.cleared
    if cleared is None:
        return said
    by = "its probe" if cleared.source == "probe" else cleared.by
    said += f" by {by} at {t_plus(state, cleared.at)}"
    return said + (f": {cleared.detail}" if cleared.detail else "")


def _trigger_met(state: IncidentState, decision: Milestone) -> Milestone:
    """The first rollback trigger recorded as met and not dismissed before the decision
    (`dismissed`): with one, the first still met when the rollback was decided. Which,
    how, and what the order alone would hide: that it came after the decision, that it
    was cleared again before the application was rolled back (one person marked it met,
    another cleared it), and the dismissed ones before it, by name."""
    label = "Rollback trigger met"
    runs = met_runs(state)
    if not runs:
        return Milestone("trigger_met", label, None)
    kept = [run for run in runs if not dismissed(state, run, decision)]
    if not kept:
        gone = "; ".join(dismissal(state, run) for run in runs)
        return Milestone("trigger_met", label, None, detail=gone)
    run = kept[0]
    mark = run.met
    detail = f"{run.trigger} ({mark.source})"
    if decision.at is not None and mark.at > decision.at:
        detail += f", after the decision at {t_plus(state, decision.at)}"
    cleared = run.cleared
    rolled_back = _app_rolled_back(state).at
    if cleared is not None and (rolled_back is None or cleared.at < rolled_back):
        detail += f"; cleared by {cleared.by} at {t_plus(state, cleared.at)}"
    before = [dismissal(state, r) for r in runs if r.met.seq < mark.seq]
    if before:
        detail += f"; before it, {'; '.join(before)}"
    return Milestone("trigger_met", label, mark.at, mark.seq, detail)


def _met_after_verification(state: IncidentState, verified: Milestone) -> Milestone:
    """The first rollback trigger met after the service was verified: the service down
    again after the rollback, the incident's most important fact then. The timeline
    starred it in its body and left it out of the key moments, and the report's Time to
    recovery with them (ux_review11 #6)."""
    label = "Rollback trigger met after verification"
    if verified.at is None:
        return Milestone("trigger_met_after_verification", label, None)
    after = [
        (trigger, mark)
        for trigger, mark in state.trigger_history
        if mark.met and mark.at > verified.at
    ]
    if not after:
        return Milestone("trigger_met_after_verification", label, None)
    trigger, mark = after[0]
    detail = f"{trigger} ({mark.source}), after verification at {t_plus(state, verified.at)}"
    return Milestone("trigger_met_after_verification", label, mark.at, mark.seq, detail)


def _decision(state: IncidentState, events: Sequence[Event]) -> Milestone:
    label = "Rollback decision"
    gate = decision_gate(state)
    if gate is None:
        noted = noted_decision(state, events)
        if noted is None:
            return Milestone(
                "rollback_decision", label, None, detail="no approval gate in the runbook"
            )
        return Milestone("rollback_decision", label, *noted)
    approval = state.approvals.get(gate.step.id)
    if approval is not None:
        return Milestone(
            "rollback_decision",
            label,
            approval.at,
            approval.seq,
            f"{gate.step.id} approved by {approver(approval)}",
        )
    if gate.done and gate.at is not None:
        return Milestone(
            "rollback_decision",
            label,
            gate.at,
            gate.seq,
            f"{gate.step.id} checked by {gate.by}",
        )
    return Milestone("rollback_decision", label, None, detail=f"{gate.step.id} not decided")


def _app_rolled_back(state: IncidentState) -> Milestone:
    label = "Application rolled back"
    record = app_rollback_step(state)
    if record is None:
        return Milestone("app_rolled_back", label, None, detail="no application rollback step")
    if record.done and record.at is not None:
        # What was done, when it was typed: the milestone's proof (ux_review15 #6).
        shown = f": {record.evidence}" if record.evidence else ""
        shown += f" (override: {record.override})" if record.override else ""
        return Milestone(
            "app_rolled_back",
            label,
            record.at,
            record.seq,
            f"{record.step.id} checked by {record.by}{shown}",
        )
    status = "skipped" if record.skipped else "not done"
    return Milestone("app_rolled_back", label, None, detail=f"{record.step.id} {status}")


def _verified(state: IncidentState) -> Milestone:
    """The moment the last verification step was checked, once every one is: a skipped
    one verified nothing (`incident.core.verification`). It was the moment Check health
    was checked, with Confirm version and Smoke test skipped (ux_review7 F2)."""
    label = "Service verified"
    account = verification(state)
    if not account.records:
        return Milestone("service_verified", label, None, detail="no verification steps")
    last = account.last
    if last is None:
        why = account.unverified()
        if not any(r.done for r in account.records) and not account.open:
            why = f"all skipped: {', '.join(account.skipped)}"
        elif account.skipped:
            why = f"not verified: {why}"
        else:
            why = f"still open: {', '.join(account.open)}"
        return Milestone("service_verified", label, None, detail=why)
    return Milestone(
        "service_verified",
        label,
        last.at,
        last.seq,
        f"{last.step.id} checked by {last.by}",
    )


def _resolved(state: IncidentState) -> Milestone:
    """The one resolution time (`resolved_at`): the resolution message, else the close
    (whose own moment is the one starred then). The report starred the message as
    "Resolved" and the timeline did not: both star what this list holds."""
    label = "Resolved"
    message = next((m for m in state.communications if m.template == RESOLVED_TEMPLATE), None)
    if message is not None:
        detail = f"{RESOLVED_TEMPLATE} message sent by {message.by}"
        return Milestone("resolved", label, message.at, message.seq, detail)
    if state.closed_at is not None:
        return Milestone(
            "resolved",
            label,
            state.closed_at,
            detail="by the close: no resolution message was sent",
        )
    return Milestone("resolved", label, None, detail="no resolution message sent")
