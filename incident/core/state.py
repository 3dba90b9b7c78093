"""Incident state as a fold over events.

`IncidentState.apply` is the only place where an event changes state, so the live
app, the CLI and replay agree by construction: the same events always give the same
state. It never rejects an event; deciding what may happen is the commands' job.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from msgspec import Struct, field

from incident.core.events import Event
from incident.core.payloads import ChangesRead, Declared
from incident.core.records import (
    RECENT_SAMPLES,
    SEVERITIES,
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
    StepStatus,
    TierChoice,
    TriggerMark,
    UnsetWhere,
)
from incident.core.samples import Sample
from incident.core.transitions import COMMANDER, COORDINATOR, add_sample, apply_event
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
    "ContributingFactor",
    "DeliveryRecord",
    "Handoff",
    "ImpactFigure",
    "IncidentState",
    "Lesson",
    "Note",
    "Page",
    "PageHandUpdate",
    "PostmortemMeeting",
    "RcaNote",
    "ReportDocument",
    "RoleChange",
    "StepChange",
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


def t0_of(started_at: datetime) -> datetime:
    """T+0 of an incident that started at `started_at` (`IncidentState.t0`)."""
    return started_at.replace(microsecond=0)


class IncidentState(Struct):
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
    drill: str = ""
    """The fault a rehearsal plays; "" for a real incident (`list` and the picker
    leave drills out)."""
    roles: dict[str, str] = field(default_factory=dict)
    role_history: list[RoleChange] = field(default_factory=list)
    handoffs: list[Handoff] = field(default_factory=list)
    """Every hand-off of incident command, in order (the commander's history is in
    `role_history` with the other roles')."""
    steps: dict[str, StepRecord] = field(default_factory=dict)
    """Steps that apply to this incident's deployment pattern, in runbook order."""
    step_changes: list[StepChange] = field(default_factory=list)
    """Every skip and reopen, in order: the changes of plan."""
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
    page_hand_updates: list[PageHandUpdate] = field(default_factory=list)
    """The status page updated by hand, as recorded, in order."""
    triggers: dict[str, TriggerMark] = field(default_factory=dict)
    trigger_history: list[tuple[str, TriggerMark]] = field(default_factory=list)
    samples: dict[str, list[Sample]] = field(default_factory=dict)
    """Recent samples per probe, oldest first, at most `RECENT_SAMPLES` each."""
    sample_count: int = 0
    last_poll: LastPoll | None = None
    """The latest probe tick's time and poller: who has the probes' turn
    (`incident.health.turns`)."""
    unset_where: dict[str, UnsetWhere] = field(default_factory=dict)
    """Probes a poller left out for a `${NAME}` its environment does not set, by name,
    as the latest tick that said so has it (`ProbeSamples.unset`)."""
    baselines: dict[str, Baseline] = field(default_factory=dict)
    closed_at: datetime | None = None
    closed_by: str | None = None
    closed_seq: int | None = None
    """The event that closed the incident."""
    close_reason: str = ""
    forced_close: bool = False
    last_seq: int = 0
    last_event_at: datetime | None = None
    rca: list[RcaNote] = field(default_factory=list)
    contributing_factors: list[ContributingFactor] = field(default_factory=list)
    action_items: list[ActionItem] = field(default_factory=list)
    lessons: list[Lesson] = field(default_factory=list)
    postmortem: PostmortemMeeting | None = None
    postmortem_history: list[PostmortemMeeting] = field(default_factory=list)
    """Every booking, oldest first; `postmortem` is the last one."""
    document: ReportDocument | None = None
    """The post-mortem document's status, owner and reviewers, as last set."""
    impact: ImpactFigure | None = None
    """Failed and total requests over the impact window, as last measured."""
    changes: ChangesRead | None = None
    """What the rollback undoes, as last read from the repository."""

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def t0(self) -> datetime:
        """T+0 as every clock counts from it: `started_at` to its printed second. Each
        T+ is then its moment's printed second less T+0's, the same in a live face as
        in a document that prints times to the second (from the exact start, a decision
        1:59.6 after a T+0 at 09:00:00.7 read T+01:59 live and T+02:00 at 09:02:00 in
        the report), and each window opens and closes on a printed second. The stored
        `started_at` stays exact: the record and its snapshots hold it."""
        return t0_of(self.started_at)

    @property
    def commander(self) -> str:
        return self.roles.get(COMMANDER, "")

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
        apply_event(self, event)
        self.last_seq = event.seq
        self.last_event_at = event.at


CHANNEL_STEPS = frozenset({"create-channel"})
"""The step that creates the incident channel, by its id in the bundled runbooks
(`rollback`, the demo's, `init`'s): done by naming the channel (`incident.app.channel_step`)."""


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


def _declared(event: Event) -> Declared:
    if not isinstance(event.data, Declared):
        raise ValueError(f"incident {event.incident_id} does not start with a declaration")
    return event.data


def start_of(declaration: Event) -> datetime:
    """T+0 of the incident `declaration` opens, without building its runbook as
    `new_state` does: what a `T+` offset is counted from."""
    return _declared(declaration).started_at or declaration.at


def new_state(event: Event) -> IncidentState:
    """The state right after the declaration event."""
    data = _declared(event)
    runbook = runbook_from_data(data.runbook, data.runbook_source)
    state = IncidentState(
        id=event.incident_id,
        runbook=runbook,
        title=data.title,
        severity=data.severity,
        declared_at=event.at,
        started_at=start_of(event),
        declared_by=event.actor,
        issue=data.issue,
        eta_min=data.eta_min,
        pattern=data.pattern,
        channel=data.channel,
        from_version=data.from_version,
        last_good_version=data.last_good_version,
        drill=data.drill,
    )
    steps = applicable_steps(runbook, data.pattern)
    state.steps = {step.id: StepRecord(step) for step in steps}
    for probe in runbook.probes:
        if probe.baseline is not None:
            state.baselines[probe.name] = Baseline(probe.baseline, "runbook")
    state.severity_history.append((event.at, state.severity))
    if data.commander:
        state.roles[COMMANDER] = data.commander
        state.role_history.append(RoleChange(COMMANDER, data.commander, event.at, event.actor))
    if data.coordinator:
        state.roles[COORDINATOR] = data.coordinator
        state.role_history.append(RoleChange(COORDINATOR, data.coordinator, event.at, event.actor))
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
