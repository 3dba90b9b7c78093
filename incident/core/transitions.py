"""How each event changes an incident's state: the body of the fold.

`IncidentState.apply` hands every event after the declaration to `apply_event`,
which reads only the event's typed payload. One `match` over every payload
class, so a new kind that the fold forgets is a type error, not a silent gap.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, assert_never

from msgspec.structs import replace

from incident.core.events import Event
from incident.core.payloads import (
    ActionItemAdded,
    ActionItemDone,
    ApprovalGranted,
    BaselineCaptured,
    ChangesRead,
    ChannelSet,
    Closed,
    CommanderHandedOff,
    CommandRan,
    CommunicationDeclined,
    CommunicationSent,
    ContributingFactorNoted,
    DatabaseTierChosen,
    Declared,
    ImpactMeasured,
    LessonNoted,
    NoteAdded,
    NotificationDelivered,
    NotificationFailed,
    NotificationQueued,
    NotificationRequeued,
    PageSent,
    PostmortemScheduled,
    ProbeSamples,
    RcaNoted,
    ReportStatusSet,
    RoleAssigned,
    SeverityChanged,
    StatusPageUpdated,
    StepChecked,
    StepReopened,
    StepSkipped,
    TriggerChanged,
    UpdateOverdue,
)
from incident.core.records import (
    RECENT_SAMPLES,
    ActionItem,
    Approval,
    Baseline,
    CommandRun,
    Communication,
    ContributingFactor,
    DeclinedMessage,
    DeliveryRecord,
    Handoff,
    ImpactFigure,
    LastPoll,
    Lesson,
    Note,
    Page,
    PageHandUpdate,
    PostmortemMeeting,
    RcaNote,
    ReportDocument,
    RoleChange,
    StepChange,
    StepRecord,
    TierChoice,
    TriggerMark,
    UnsetWhere,
)
from incident.core.samples import Sample

if TYPE_CHECKING:
    from incident.core.state import IncidentState

COMMANDER = "incident-commander"
COORDINATOR = "deployment-coordinator"
"""The guide's user: who works the runbook (`Declared.coordinator`)."""


def apply_event(state: IncidentState, event: Event) -> None:
    """Fold one event (not the declaration, which `new_state` reads) into `state`."""
    at, actor = event.at, event.actor
    match event.data:
        case Declared():
            pass  # only the first event declares; a second one changes nothing
        case StepChecked() as data:
            _checked(state, data, event)
        case StepSkipped() as data:
            _skipped(state, data, event)
        case StepReopened() as data:
            _reopened(state, data, event)
        case ApprovalGranted() as data:
            holder = state.roles.get(data.role, "") if data.role else ""
            when = data.written_at or at  # typed then, recorded late (`incident.app.kept`)
            state.approvals[data.target] = Approval(
                data.target,
                data.by or actor,
                data.reason,
                when,
                event.seq,
                actor,
                data.role,
                holder,
            )
            _touch(state, data.target, when)
        case DatabaseTierChosen() as data:
            when = data.written_at or at
            state.tier_choice = TierChoice(data.tier, data.by or actor, data.reason, when)
            for record in state.steps.values():
                if record.step.kind == "database":
                    _touch(state, record.step.id, when)
        case NoteAdded() as data:
            late = data.written_at is not None
            written = data.written_at or at
            state.notes.append(
                Note(data.text, data.by or actor, written, data.pinned, at if late else None)
            )
        case RoleAssigned() as data:
            state.roles[data.role] = data.person
            state.role_history.append(RoleChange(data.role, data.person, at, actor))
        case ChannelSet() as data:
            state.channel = data.channel
        case CommanderHandedOff() as data:
            state.roles[COMMANDER] = data.to
            state.role_history.append(RoleChange(COMMANDER, data.to, at, actor))
            state.handoffs.append(Handoff(data.from_, data.to, at, actor, data.reason))
        case PageSent() as data:
            state.pages.append(Page(data.target, data.by or actor, at, data.note))
        case CommunicationSent() as data:
            state.communications.append(
                Communication(
                    data.text,
                    data.by or actor,
                    at,
                    data.template or None,
                    data.channel or None,
                    data.moment or None,
                    data.auto,
                    event.seq,
                    state.severity,
                    state.title,
                    data.written_at,
                )
            )
        case CommunicationDeclined() as data:
            state.declined.append(
                DeclinedMessage(
                    data.template, data.moment, data.due_at, data.reason, data.by or actor, at
                )
            )
        case StatusPageUpdated() as data:
            state.page_hand_updates.append(PageHandUpdate(data.by, actor, at, data.note))
        case CommandRan() as data:
            state.commands_run.append(
                CommandRun(
                    data.step,
                    data.command,
                    data.exit_code,
                    data.output_tail,
                    data.ran_at or at,
                    at if data.ran_at is not None else None,
                )
            )
        case TriggerChanged() as data:
            mark = TriggerMark(
                data.met, at, data.by or actor, data.detail, data.source or "manual", event.seq
            )
            state.triggers[data.trigger] = mark
            state.trigger_history.append((data.trigger, mark))
        case ProbeSamples() as data:
            for sample in data.samples:
                add_sample(state, sample)
            state.last_poll = LastPoll(at, data.poller)
            note_unset(state, data)
        case BaselineCaptured() as data:
            state.baselines[data.probe] = Baseline(float(data.value), data.source or "captured", at)
        case SeverityChanged() as data:
            state.severity = data.severity
            state.severity_history.append((at, data.severity))
        case Closed() as data:
            state.closed_at = at
            state.closed_by = actor
            state.closed_seq = event.seq
            state.close_reason = data.reason
            state.forced_close = data.forced
        case RcaNoted() as data:
            state.rca.append(RcaNote(data.text, data.by or actor, at))
        case ActionItemAdded() as data:
            number = len(state.action_items) + 1
            state.action_items.append(
                ActionItem(
                    number,
                    data.text,
                    data.owner,
                    data.due,
                    data.by or actor,
                    at,
                    data.priority,
                    data.type,
                    data.ticket,
                )
            )
        case ActionItemDone() as data:
            if 0 < data.number <= len(state.action_items):
                item = state.action_items[data.number - 1]
                state.action_items[data.number - 1] = replace(
                    item, done_at=at, done_by=data.by or actor, done_note=data.note
                )
        case ContributingFactorNoted() as data:
            state.contributing_factors.append(ContributingFactor(data.text, data.by or actor, at))
        case ChangesRead() as data:
            state.changes = data
        case ImpactMeasured() as data:
            state.impact = ImpactFigure(
                data.failed_query,
                data.total_query,
                data.start,
                data.end,
                data.failed,
                data.total,
                data.by or actor,
                at,
                data.failed_no_series,
            )
        case ReportStatusSet() as data:
            state.document = ReportDocument(
                data.status, data.owner, data.reviewers, data.by or actor, at
            )
        case LessonNoted() as data:
            state.lessons.append(Lesson(data.text, data.category, data.by or actor, at))
        case PostmortemScheduled() as data:
            meeting = PostmortemMeeting(
                data.starts_at,
                data.duration_min,
                data.attendees,
                data.by or actor,
                at,
                data.forced,
                data.reason,
                data.organizer,
            )
            state.postmortem = meeting
            state.postmortem_history.append(meeting)
        case UpdateOverdue() as data:
            state.overdue_updates.append(data.due_at)
        case NotificationQueued() as data:
            _delivery(state, data.key, data.target, "pending", 0, "", at)
        case NotificationDelivered() as data:
            _delivery(state, data.key, data.target, "delivered", data.attempts, "", at)
        case NotificationFailed() as data:
            _delivery(state, data.key, data.target, "failed", data.attempts, data.error, at)
        case NotificationRequeued() as data:
            _delivery(state, data.key, data.target, "pending", 0, "", at)
        case _:
            assert_never(event.data)


def add_sample(state: IncidentState, sample: Sample) -> None:
    history = state.samples.setdefault(sample.probe, [])
    history.append(sample)
    if len(history) > RECENT_SAMPLES:
        del history[: len(history) - RECENT_SAMPLES]
    state.sample_count += 1


def _touch(state: IncidentState, step_id: str, at: datetime) -> StepRecord | None:
    record = state.steps.get(step_id)
    if record is not None and record.first_touched_at is None:
        record.first_touched_at = at
    return record


def _checked(state: IncidentState, data: StepChecked, event: Event) -> None:
    at = data.written_at or event.at  # typed then, recorded late (`incident.app.kept`)
    record = _touch(state, data.step, at)
    if record is None:
        return
    record.done, record.skipped = True, False
    record.by = data.by or event.actor
    record.at = at
    record.seq = event.seq
    record.note = data.note
    record.evidence = data.evidence
    record.override = data.override


def _skipped(state: IncidentState, data: StepSkipped, event: Event) -> None:
    at = data.written_at or event.at
    state.step_changes.append(StepChange(data.step, "skipped", event.actor, data.reason, at))
    record = _touch(state, data.step, at)
    if record is None:
        return
    record.done, record.skipped = False, True
    record.by = data.by or event.actor
    record.at = at
    record.seq = event.seq
    record.reason = data.reason


def _reopened(state: IncidentState, data: StepReopened, event: Event) -> None:
    state.step_changes.append(StepChange(data.step, "reopened", event.actor, data.reason, event.at))
    record = state.steps.get(data.step)
    if record is None:
        return
    record.done = record.skipped = False
    record.by = record.at = record.seq = None
    record.note = record.evidence = record.override = ""
    record.reason = data.reason


def _delivery(
    state: IncidentState,
    key: str,
    target: str,
    status: str,
    attempts: int,
    error: str,
    at: datetime,
) -> None:
    state.deliveries[key] = DeliveryRecord(key, target, status, attempts, error, at)


def note_unset(state: IncidentState, tick: ProbeSamples) -> None:
    """What `tick` says its poller left out for an unset `${NAME}`, kept by probe."""
    for probe, names in tick.unset:
        state.unset_where[probe] = UnsetWhere(names, tick.poller)
