"""Incident state as a fold over events.

`IncidentState.apply` is the only place where an event changes state, so the live
app, the CLI and replay agree by construction: the same events always give the same
state. It never rejects an event; deciding what may happen is the commands' job.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from incident.core.events import Event, Kind, Payload, parse_timestamp
from incident.core.records import (
    RECENT_SAMPLES,
    SEVERITIES,
    ActionItem,
    Approval,
    Baseline,
    CommandRun,
    Communication,
    DeclinedMessage,
    DeliveryRecord,
    Lesson,
    Note,
    Page,
    PostmortemMeeting,
    RcaNote,
    RoleChange,
    StepRecord,
    StepStatus,
    TierChoice,
    TriggerMark,
)
from incident.core.samples import Sample
from runbooks import runbook_from_data
from runbooks.model import DeploymentPattern, Runbook, Step

__all__ = [
    "RECENT_SAMPLES",
    "SEVERITIES",
    "ActionItem",
    "Approval",
    "Baseline",
    "CommandRun",
    "Communication",
    "DeliveryRecord",
    "IncidentState",
    "Lesson",
    "Note",
    "Page",
    "PostmortemMeeting",
    "RcaNote",
    "RoleChange",
    "StepRecord",
    "StepStatus",
    "TierChoice",
    "TriggerMark",
    "add_sample",
    "applicable_steps",
    "fold",
    "new_state",
    "tier_target",
]


@dataclass(slots=True)
class IncidentState:
    """Everything known about one incident after some events."""

    id: str
    runbook: Runbook
    title: str
    severity: str
    declared_at: datetime
    started_at: datetime
    """T+0: the back-dated impact start, or the declaration."""
    declared_by: str
    issue: str = ""
    eta_min: int | None = None
    pattern: DeploymentPattern | None = None
    channel: str = ""
    from_version: str = ""
    last_good_version: str = ""
    roles: dict[str, str] = field(default_factory=dict)
    role_history: list[RoleChange] = field(default_factory=list)
    steps: dict[str, StepRecord] = field(default_factory=dict)
    """Steps that apply to this incident's deployment pattern, in runbook order."""
    approvals: dict[str, Approval] = field(default_factory=dict)
    tier_choice: TierChoice | None = None
    notes: list[Note] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    communications: list[Communication] = field(default_factory=list)
    severity_history: list[tuple[datetime, str]] = field(default_factory=list)
    commands_run: list[CommandRun] = field(default_factory=list)
    overdue_updates: list[datetime] = field(default_factory=list)
    """Stakeholder updates that came due without being sent: when each was due."""
    declined: list[DeclinedMessage] = field(default_factory=list)
    deliveries: dict[str, DeliveryRecord] = field(default_factory=dict)
    """Webhook deliveries by idempotency key: pending, delivered or failed."""
    triggers: dict[str, TriggerMark] = field(default_factory=dict)
    trigger_history: list[tuple[str, TriggerMark]] = field(default_factory=list)
    samples: dict[str, list[Sample]] = field(default_factory=dict)
    """Recent samples per probe, oldest first, at most `RECENT_SAMPLES` each."""
    sample_count: int = 0
    baselines: dict[str, Baseline] = field(default_factory=dict)
    closed_at: datetime | None = None
    closed_by: str | None = None
    close_reason: str = ""
    forced_close: bool = False
    last_seq: int = 0
    last_event_at: datetime | None = None
    rca: list[RcaNote] = field(default_factory=list)
    action_items: list[ActionItem] = field(default_factory=list)
    lessons: list[Lesson] = field(default_factory=list)
    postmortem: PostmortemMeeting | None = None
    postmortem_history: list[PostmortemMeeting] = field(default_factory=list)
    """Every booking, oldest first; `postmortem` is the last one."""

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def commander(self) -> str:
        return self.roles.get("incident-commander", "")

    def status_of(self, step_id: str) -> StepStatus:
        record = self.steps[step_id]
        if record.done:
            return StepStatus.DONE
        if record.skipped:
            return StepStatus.SKIPPED
        if self.blocker(step_id):
            return StepStatus.BLOCKED
        return StepStatus.OPEN

    def blocker(self, step_id: str) -> str:
        """Why an open step cannot be checked yet, or "" when it can."""
        step = self.steps[step_id].step
        if step.approver is not None and step_id not in self.approvals:
            return f"needs approval by {step.approver}"
        if step.kind == "database":
            if self.tier_choice is None:
                return "choose a database tier first"
            tier = self.runbook.database_tier(self.tier_choice.tier)
            if tier is not None and tier.approver and tier_target(tier.id) not in self.approvals:
                return f"tier '{tier.id}' needs approval by {tier.approver}"
        return ""

    def phase_steps(self, phase_id: str) -> list[StepRecord]:
        return [r for r in self.steps.values() if r.step.phase_id == phase_id]

    def open_required_steps(self) -> list[str]:
        return [
            step_id
            for step_id, record in self.steps.items()
            if record.step.required and not (record.done or record.skipped)
        ]

    def apply(self, event: Event) -> None:
        """Fold one more event into this state."""
        handler = _HANDLERS.get(event.kind)
        if handler is not None:
            handler(self, event, event.payload)
        self.last_seq = event.seq
        self.last_event_at = event.at


def tier_target(tier_id: str) -> str:
    """The approval target that unblocks a database tier."""
    return f"tier:{tier_id}"


def applicable_steps(runbook: Runbook, pattern: DeploymentPattern | None) -> list[Step]:
    """The runbook's steps for a deployment pattern; pattern-specific ones only if they match."""
    return [
        step
        for step in runbook.steps()
        if not step.patterns or (pattern is not None and pattern in step.patterns)
    ]


def new_state(event: Event) -> IncidentState:
    """The state right after the declaration event."""
    if event.kind != Kind.DECLARED:
        raise ValueError(f"incident {event.incident_id} does not start with a declaration")
    data = event.payload
    runbook_data = data["runbook"]
    if not isinstance(runbook_data, dict):
        raise ValueError("declaration without a runbook snapshot")
    runbook = runbook_from_data(runbook_data, str(data.get("runbook_source", "")))
    pattern_text = _text(data, "pattern")
    pattern = DeploymentPattern(pattern_text) if pattern_text else None
    started_text = _text(data, "started_at")
    eta = data.get("eta_min")
    state = IncidentState(
        id=event.incident_id,
        runbook=runbook,
        title=_text(data, "title"),
        severity=_text(data, "severity"),
        declared_at=event.at,
        started_at=parse_timestamp(started_text) if started_text else event.at,
        declared_by=event.actor,
        issue=_text(data, "issue"),
        eta_min=eta if isinstance(eta, int) else None,
        pattern=pattern,
        channel=_text(data, "channel"),
        from_version=_text(data, "from_version"),
        last_good_version=_text(data, "last_good_version"),
    )
    state.steps = {step.id: StepRecord(step) for step in applicable_steps(runbook, pattern)}
    for probe in runbook.probes:
        if probe.baseline is not None:
            state.baselines[probe.name] = Baseline(probe.baseline, "runbook")
    state.severity_history.append((event.at, state.severity))
    commander = _text(data, "commander")
    if commander:
        state.roles["incident-commander"] = commander
        state.role_history.append(
            RoleChange("incident-commander", commander, event.at, event.actor)
        )
    state.last_seq = event.seq
    state.last_event_at = event.at
    return state


def fold(events: Iterable[Event]) -> IncidentState:
    """The state after all `events`, which must start with the declaration."""
    iterator = iter(events)
    first = next(iterator, None)
    if first is None:
        raise ValueError("no events to fold")
    state = new_state(first)
    for event in iterator:
        state.apply(event)
    return state


def _text(payload: Payload, key: str) -> str:
    value = payload.get(key)
    return value if isinstance(value, str) else ""


def _touch(state: IncidentState, step_id: str, at: datetime) -> StepRecord | None:
    record = state.steps.get(step_id)
    if record is not None and record.first_touched_at is None:
        record.first_touched_at = at
    return record


def _on_checked(state: IncidentState, event: Event, data: Payload) -> None:
    record = _touch(state, _text(data, "step"), event.at)
    if record is None:
        return
    record.done, record.skipped = True, False
    record.by = _text(data, "by") or event.actor
    record.at = event.at
    record.note = _text(data, "note")
    record.evidence = _text(data, "evidence")


def _on_skipped(state: IncidentState, event: Event, data: Payload) -> None:
    record = _touch(state, _text(data, "step"), event.at)
    if record is None:
        return
    record.done, record.skipped = False, True
    record.by = _text(data, "by") or event.actor
    record.at = event.at
    record.reason = _text(data, "reason")


def _on_reopened(state: IncidentState, event: Event, data: Payload) -> None:
    record = state.steps.get(_text(data, "step"))
    if record is None:
        return
    record.done = record.skipped = False
    record.by = record.at = None
    record.note = record.evidence = ""
    record.reason = _text(data, "reason")


def _on_approval(state: IncidentState, event: Event, data: Payload) -> None:
    target = _text(data, "target")
    state.approvals[target] = Approval(
        target, _text(data, "by") or event.actor, _text(data, "reason"), event.at
    )
    _touch(state, target, event.at)


def _on_tier(state: IncidentState, event: Event, data: Payload) -> None:
    state.tier_choice = TierChoice(
        _text(data, "tier"), _text(data, "by") or event.actor, _text(data, "reason"), event.at
    )
    for record in state.steps.values():
        if record.step.kind == "database":
            _touch(state, record.step.id, event.at)


def _on_note(state: IncidentState, event: Event, data: Payload) -> None:
    state.notes.append(
        Note(
            _text(data, "text"),
            _text(data, "by") or event.actor,
            event.at,
            data.get("pinned") is True,
        )
    )


def _on_role(state: IncidentState, event: Event, data: Payload) -> None:
    role, person = _text(data, "role"), _text(data, "person")
    state.roles[role] = person
    state.role_history.append(RoleChange(role, person, event.at, event.actor))


def _on_handoff(state: IncidentState, event: Event, data: Payload) -> None:
    person = _text(data, "to")
    state.roles["incident-commander"] = person
    state.role_history.append(RoleChange("incident-commander", person, event.at, event.actor))


def _on_page(state: IncidentState, event: Event, data: Payload) -> None:
    state.pages.append(
        Page(_text(data, "target"), _text(data, "by") or event.actor, event.at, _text(data, "note"))
    )


def _on_communication(state: IncidentState, event: Event, data: Payload) -> None:
    state.communications.append(
        Communication(
            _text(data, "text"),
            _text(data, "by") or event.actor,
            event.at,
            _text(data, "template") or None,
            _text(data, "channel") or None,
            _text(data, "moment") or None,
            data.get("auto") is True,
            event.seq,
        )
    )


def _on_declined(state: IncidentState, event: Event, data: Payload) -> None:
    due = _text(data, "due_at")
    state.declined.append(
        DeclinedMessage(
            _text(data, "template"),
            _text(data, "moment"),
            parse_timestamp(due) if due else event.at,
            _text(data, "reason"),
            _text(data, "by") or event.actor,
            event.at,
        )
    )


def _on_command(state: IncidentState, event: Event, data: Payload) -> None:
    code = data.get("exit_code")
    state.commands_run.append(
        CommandRun(
            _text(data, "step"),
            _text(data, "command"),
            code if isinstance(code, int) else -1,
            _text(data, "output_tail"),
            event.at,
        )
    )


def _on_trigger(state: IncidentState, event: Event, data: Payload) -> None:
    trigger_id = _text(data, "trigger")
    mark = TriggerMark(
        data.get("met") is True,
        event.at,
        _text(data, "by") or event.actor,
        _text(data, "detail"),
        _text(data, "source") or "manual",
    )
    state.triggers[trigger_id] = mark
    state.trigger_history.append((trigger_id, mark))


def _on_samples(state: IncidentState, event: Event, data: Payload) -> None:
    raw = data.get("samples")
    if not isinstance(raw, list):
        return
    for item in raw:
        if not isinstance(item, dict):
            continue
        try:
            sample = Sample.from_payload(item)
        except ValueError:
            continue
        add_sample(state, sample)


def add_sample(state: IncidentState, sample: Sample) -> None:
    history = state.samples.setdefault(sample.probe, [])
    history.append(sample)
    if len(history) > RECENT_SAMPLES:
        del history[: len(history) - RECENT_SAMPLES]
    state.sample_count += 1


def _on_baseline(state: IncidentState, event: Event, data: Payload) -> None:
    value = data.get("value")
    if isinstance(value, int | float):
        state.baselines[_text(data, "probe")] = Baseline(
            float(value), _text(data, "source") or "captured", event.at
        )


def _on_severity(state: IncidentState, event: Event, data: Payload) -> None:
    state.severity = _text(data, "severity")
    state.severity_history.append((event.at, state.severity))


def _on_closed(state: IncidentState, event: Event, data: Payload) -> None:
    state.closed_at = event.at
    state.closed_by = event.actor
    state.close_reason = _text(data, "reason")
    state.forced_close = data.get("forced") is True


def _on_rca(state: IncidentState, event: Event, data: Payload) -> None:
    state.rca.append(RcaNote(_text(data, "text"), _text(data, "by") or event.actor, event.at))


def _on_action_item(state: IncidentState, event: Event, data: Payload) -> None:
    due_text = _text(data, "due")
    try:
        due = date.fromisoformat(due_text) if due_text else None
    except ValueError:
        due = None
    state.action_items.append(
        ActionItem(
            len(state.action_items) + 1,
            _text(data, "text"),
            _text(data, "owner"),
            due,
            _text(data, "by") or event.actor,
            event.at,
        )
    )


def _on_lesson(state: IncidentState, event: Event, data: Payload) -> None:
    state.lessons.append(
        Lesson(
            _text(data, "text"), _text(data, "category"), _text(data, "by") or event.actor, event.at
        )
    )


def _on_postmortem(state: IncidentState, event: Event, data: Payload) -> None:
    try:
        starts_at = parse_timestamp(_text(data, "starts_at"))
    except ValueError:
        return
    duration = data.get("duration_min")
    raw_attendees = data.get("attendees")
    attendees = (
        tuple(a for a in raw_attendees if isinstance(a, str))
        if isinstance(raw_attendees, list)
        else ()
    )
    meeting = PostmortemMeeting(
        starts_at,
        duration if isinstance(duration, int) else 60,
        attendees,
        _text(data, "by") or event.actor,
        event.at,
        data.get("forced") is True,
        _text(data, "reason"),
    )
    state.postmortem = meeting
    state.postmortem_history.append(meeting)


def _on_update_overdue(state: IncidentState, event: Event, data: Payload) -> None:
    due = _text(data, "due_at")
    if due:
        state.overdue_updates.append(parse_timestamp(due))


def _on_notification(state: IncidentState, event: Event, data: Payload) -> None:
    key = _text(data, "key")
    status = {
        Kind.NOTIFICATION_QUEUED: "pending",
        Kind.NOTIFICATION_DELIVERED: "delivered",
        Kind.NOTIFICATION_FAILED: "failed",
        Kind.NOTIFICATION_REQUEUED: "pending",
    }[Kind(event.kind)]
    attempts = data.get("attempts")
    state.deliveries[key] = DeliveryRecord(
        key,
        _text(data, "target"),
        status,
        attempts if isinstance(attempts, int) else 0,
        _text(data, "error"),
        event.at,
    )


_HANDLERS: dict[str, Callable[[IncidentState, Event, Payload], None]] = {
    Kind.STEP_CHECKED: _on_checked,
    Kind.STEP_SKIPPED: _on_skipped,
    Kind.STEP_REOPENED: _on_reopened,
    Kind.APPROVAL_GRANTED: _on_approval,
    Kind.DATABASE_TIER_CHOSEN: _on_tier,
    Kind.NOTE_ADDED: _on_note,
    Kind.ROLE_ASSIGNED: _on_role,
    Kind.COMMANDER_HANDED_OFF: _on_handoff,
    Kind.PAGE_SENT: _on_page,
    Kind.COMMUNICATION_SENT: _on_communication,
    Kind.COMMUNICATION_DECLINED: _on_declined,
    Kind.SEVERITY_CHANGED: _on_severity,
    Kind.CLOSED: _on_closed,
    Kind.COMMAND_RAN: _on_command,
    Kind.TRIGGER_CHANGED: _on_trigger,
    Kind.PROBE_SAMPLES: _on_samples,
    Kind.BASELINE_CAPTURED: _on_baseline,
    Kind.RCA_NOTED: _on_rca,
    Kind.ACTION_ITEM_ADDED: _on_action_item,
    Kind.LESSON_NOTED: _on_lesson,
    Kind.POSTMORTEM_SCHEDULED: _on_postmortem,
    Kind.UPDATE_OVERDUE: _on_update_overdue,
    Kind.NOTIFICATION_QUEUED: _on_notification,
    Kind.NOTIFICATION_DELIVERED: _on_notification,
    Kind.NOTIFICATION_FAILED: _on_notification,
    Kind.NOTIFICATION_REQUEUED: _on_notification,
}
