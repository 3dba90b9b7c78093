"""Commands: decide whether something may happen, and say what happened.

Each command takes the current state and returns the events to record, or raises
`CommandError` with a message fit to show the coordinator as it is. A refused
command records nothing.
"""

from __future__ import annotations

import difflib
import secrets
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from incident.clock import Clock
from incident.clocks import elapsed, format_offset, next_update_due
from incident.errors import CommandError as CommandError  # re-exported: callers import it from here
from incident.events import JSONValue, Kind, NewEvent, format_timestamp, truncate_to_millis
from incident.health import baseline_from_samples, evidence_for, probe_verdicts
from incident.limits import TextRefused, check_payload_text
from incident.postmortem import (
    DEFAULT_DURATION_MIN,
    LESSON_CATEGORIES,
    MAX_DURATION_MIN,
    meeting_window,
    resolved_at,
    utc_text,
    window_text,
)
from incident.samples import Sample
from incident.state import SEVERITIES, IncidentState, StepRecord, tier_target
from incident.templates import render_template, template_context
from runbooks import runbook_to_data
from runbooks.model import DeploymentPattern, Runbook, StepKind, TriggerKind

OUTPUT_TAIL_CHARS = 2000
"""How much of a command step's output the record keeps."""


@dataclass(frozen=True, slots=True)
class Declaration:
    """What the coordinator knows when declaring an incident."""

    title: str
    severity: str
    commander: str
    issue: str = ""
    eta_min: int | None = None
    pattern: str | None = None
    started_at: datetime | None = None
    channel: str = ""
    from_version: str = ""
    last_good_version: str = ""


def new_incident_id(moment: datetime, taken: Collection[str]) -> str:
    """`INC-YYYYMMDD-XXXX`: sortable by day, short enough to type."""
    for _ in range(1000):
        candidate = f"INC-{moment:%Y%m%d}-{secrets.token_hex(2).upper()}"
        if candidate not in taken:
            return candidate
    raise CommandError("could not find a free incident id")  # pragma: no cover


def declare(
    runbook: Runbook,
    details: Declaration,
    *,
    actor: str,
    clock: Clock,
    taken_ids: Collection[str] = (),
    incident_id: str | None = None,
) -> NewEvent:
    """The first event of a new incident, with the runbook snapshotted into it.

    `incident_id` is for fixtures and screenshots that need a stable id.
    """
    now = clock.now()
    title = details.title.strip()
    if not title:
        raise CommandError("a title is required")
    if details.severity not in SEVERITIES:
        raise CommandError(
            f"unknown severity '{details.severity}' (choose {', '.join(SEVERITIES)})"
        )
    if not details.commander.strip():
        raise CommandError("an incident commander is required")
    if details.eta_min is not None and details.eta_min < 0:
        raise CommandError("ETA must be zero or more minutes")
    pattern = _pattern(runbook, details.pattern)
    started_at = None
    if details.started_at is not None:
        if details.started_at.tzinfo is None:
            raise CommandError("--started-at needs a timezone, e.g. 2026-11-28T13:02:00Z")
        if details.started_at > now + timedelta(seconds=5):
            raise CommandError("the impact cannot start in the future")
        started_at = truncate_to_millis(details.started_at)
    if incident_id is None:
        incident_id = new_incident_id(now, taken_ids)
    elif incident_id in taken_ids:
        raise CommandError(f"incident id '{incident_id}' is taken")
    payload: dict[str, JSONValue] = {
        "title": title,
        "severity": details.severity,
        "commander": details.commander.strip(),
        "issue": details.issue.strip(),
        "eta_min": details.eta_min,
        "pattern": str(pattern) if pattern else None,
        "started_at": format_timestamp(started_at) if started_at else None,
        "channel": details.channel.strip(),
        "from_version": details.from_version.strip(),
        "last_good_version": details.last_good_version.strip(),
        "runbook_id": runbook.id,
        "runbook_source": runbook.source,
        "runbook": runbook_to_data(runbook),
    }
    return _event(incident_id, Kind.DECLARED, actor, clock, payload)


def check_step(
    state: IncidentState,
    step_id: str,
    *,
    actor: str,
    clock: Clock,
    by: str = "",
    note: str = "",
    evidence: str = "",
    override: str = "",
) -> NewEvent:
    """Check a step. A probe-backed verification step carries its evidence; when the
    samples contradict it, checking needs an `override` reason, which is recorded.
    """
    record = _open_step(state, step_id)
    blocker = state.blocker(step_id)
    if blocker:
        raise CommandError(f"step '{step_id}' is blocked: {blocker}")
    payload: dict[str, JSONValue] = {"step": step_id, "by": by or actor, "note": note}
    if record.step.kind == StepKind.VERIFICATION and record.step.probe and not evidence:
        found = evidence_for(state, record.step)
        if found.holds is False and not override.strip():
            raise CommandError(
                f"the evidence does not hold: {found.detail}; "
                "check with an override reason to record it anyway"
            )
        if found.holds:
            evidence = found.detail
    if override.strip():
        payload["override"] = override.strip()
    if evidence:
        payload["evidence"] = evidence
    if record.step.kind == StepKind.DATABASE and state.tier_choice is not None:
        payload["tier"] = state.tier_choice.tier
    return _event(state.id, Kind.STEP_CHECKED, actor, clock, payload)


def skip_step(
    state: IncidentState, step_id: str, *, reason: str, actor: str, clock: Clock, by: str = ""
) -> NewEvent:
    _open_step(state, step_id)
    if not reason.strip():
        raise CommandError(f"skipping '{step_id}' needs a reason")
    payload: dict[str, JSONValue] = {"step": step_id, "reason": reason.strip(), "by": by or actor}
    return _event(state.id, Kind.STEP_SKIPPED, actor, clock, payload)


def reopen_step(
    state: IncidentState, step_id: str, *, reason: str, actor: str, clock: Clock
) -> NewEvent:
    _refuse_if_closed(state)
    record = _known_step(state, step_id)
    if not (record.done or record.skipped):
        raise CommandError(f"step '{step_id}' is already open")
    if not reason.strip():
        raise CommandError(f"reopening '{step_id}' needs a reason")
    payload: dict[str, JSONValue] = {"step": step_id, "reason": reason.strip()}
    return _event(state.id, Kind.STEP_REOPENED, actor, clock, payload)


def approve(
    state: IncidentState, target: str, *, by: str, reason: str, actor: str, clock: Clock
) -> NewEvent:
    """Approve a gated step, or a database tier that needs approval."""
    _refuse_if_closed(state)
    if not by.strip():
        raise CommandError("an approval needs the approver's name (--by)")
    if not reason.strip():
        raise CommandError("an approval needs a reason")
    approval_target, role = _approval_target(state, target)
    if approval_target in state.approvals:
        earlier = state.approvals[approval_target]
        raise CommandError(f"'{target}' was already approved by {earlier.by}")
    payload: dict[str, JSONValue] = {
        "target": approval_target,
        "role": role,
        "by": by.strip(),
        "reason": reason.strip(),
    }
    return _event(state.id, Kind.APPROVAL_GRANTED, actor, clock, payload)


def choose_database_tier(
    state: IncidentState, tier_id: str, *, reason: str, actor: str, clock: Clock, by: str = ""
) -> NewEvent:
    _refuse_if_closed(state)
    tier = state.runbook.database_tier(tier_id)
    if tier is None:
        choices = ", ".join(t.id for t in state.runbook.database_tiers) or "none defined"
        raise CommandError(f"unknown database tier '{tier_id}' (choose {choices})")
    for record in state.steps.values():
        if record.step.kind == StepKind.DATABASE and record.done:
            raise CommandError(
                f"the database step '{record.step.id}' is already done; reopen it first"
            )
    if not reason.strip():
        raise CommandError("choosing a database tier needs a reason")
    payload: dict[str, JSONValue] = {
        "tier": tier.id,
        "data_loss": str(tier.data_loss),
        "reason": reason.strip(),
        "by": by or actor,
    }
    return _event(state.id, Kind.DATABASE_TIER_CHOSEN, actor, clock, payload)


def add_note(
    state: IncidentState, text: str, *, actor: str, clock: Clock, pinned: bool = False
) -> NewEvent:
    """Notes stay possible after close: the post-mortem keeps adding to the record."""
    if not text.strip():
        raise CommandError("a note cannot be empty")
    payload: dict[str, JSONValue] = {"text": text, "by": actor, "pinned": pinned}
    return _event(state.id, Kind.NOTE_ADDED, actor, clock, payload)


def assign_role(
    state: IncidentState, role: str, person: str, *, actor: str, clock: Clock, reason: str = ""
) -> NewEvent:
    _refuse_if_closed(state)
    if role not in state.runbook.roles:
        raise CommandError(f"unknown role '{role}'{_suggest(role, state.runbook.roles)}")
    if not person.strip():
        raise CommandError(f"who takes the role '{role}'?")
    if role == "incident-commander":
        return hand_off(state, person, actor=actor, clock=clock, reason=reason)
    payload: dict[str, JSONValue] = {"role": role, "person": person.strip()}
    return _event(state.id, Kind.ROLE_ASSIGNED, actor, clock, payload)


def hand_off(
    state: IncidentState, to: str, *, actor: str, clock: Clock, reason: str = ""
) -> NewEvent:
    """Pass incident command on; the record keeps who held it and when."""
    _refuse_if_closed(state)
    to = to.strip()
    if not to:
        raise CommandError("hand off to whom?")
    if to == state.commander:
        raise CommandError(f"{to} is already the incident commander")
    payload: dict[str, JSONValue] = {"from": state.commander, "to": to, "reason": reason}
    return _event(state.id, Kind.COMMANDER_HANDED_OFF, actor, clock, payload)


def record_page(
    state: IncidentState, target: str, *, actor: str, clock: Clock, note: str = ""
) -> NewEvent:
    _refuse_if_closed(state)
    if not target.strip():
        raise CommandError("who was paged?")
    payload: dict[str, JSONValue] = {"target": target.strip(), "by": actor, "note": note}
    return _event(state.id, Kind.PAGE_SENT, actor, clock, payload)


def compose_message(state: IncidentState, template_id: str, now: datetime) -> str:
    """A template filled from the incident, ready for the coordinator to edit."""
    text = state.runbook.template(template_id)
    if text is None:
        names = ", ".join(name for name, _ in state.runbook.templates) or "none defined"
        raise CommandError(f"unknown template '{template_id}' (choose {names})")
    return render_template(text, template_context(state, now))


def send_communication(
    state: IncidentState,
    *,
    actor: str,
    clock: Clock,
    template: str | None = None,
    text: str | None = None,
    channel: str = "",
    moment: str = "",
    auto: bool = False,
) -> NewEvent:
    """Record a message as sent, with its exact text (and the moment that made it due)."""
    if text is None:
        if template is None:
            raise CommandError("a message needs a template or a text")
        text = compose_message(state, template, clock.now())
    elif template is not None and state.runbook.template(template) is None:
        compose_message(state, template, clock.now())  # raises the unknown-template error
    if not text.strip():
        raise CommandError("a message cannot be empty")
    payload: dict[str, JSONValue] = {
        "text": text,
        "template": template,
        "channel": channel or state.channel,
        "by": actor,
    }
    if moment:
        payload["moment"] = moment
    if auto:
        payload["auto"] = True
    return _event(state.id, Kind.COMMUNICATION_SENT, actor, clock, payload)


def record_command(
    state: IncidentState,
    step_id: str,
    *,
    command: str,
    exit_code: int,
    output_tail: str,
    actor: str,
    clock: Clock,
) -> NewEvent:
    payload: dict[str, JSONValue] = {
        "step": step_id,
        "command": command,
        "exit_code": exit_code,
        "output_tail": output_tail,
    }
    return _event(state.id, Kind.COMMAND_RAN, actor, clock, payload)


def command_for(state: IncidentState, step_id: str) -> str:
    """The shell command a command step would run, refusing what cannot run now."""
    record = _open_step(state, step_id)
    if record.step.kind != StepKind.COMMAND or not record.step.command:
        raise CommandError(f"step '{step_id}' has no command to run")
    blocker = state.blocker(step_id)
    if blocker:
        raise CommandError(f"step '{step_id}' is blocked: {blocker}")
    return record.step.command


def mark_trigger(
    state: IncidentState, trigger_id: str, met: bool, *, actor: str, clock: Clock, note: str = ""
) -> NewEvent:
    """A human's judgement on a manual trigger ("core functionality broken")."""
    _refuse_if_closed(state)
    trigger = next((t for t in state.runbook.triggers if t.id == trigger_id), None)
    if trigger is None:
        known = [t.id for t in state.runbook.triggers]
        raise CommandError(f"unknown trigger '{trigger_id}'{_suggest(trigger_id, known)}")
    if trigger.kind != TriggerKind.MANUAL:
        raise CommandError(f"trigger '{trigger_id}' is decided by its probe, not by hand")
    current = state.triggers.get(trigger_id)
    if (current.met if current else False) == met:
        raise CommandError(f"trigger '{trigger_id}' is already {'met' if met else 'not met'}")
    payload: dict[str, JSONValue] = {
        "trigger": trigger_id,
        "met": met,
        "source": "manual",
        "by": actor,
        "detail": note or ("marked met" if met else "marked not met"),
    }
    return _event(state.id, Kind.TRIGGER_CHANGED, actor, clock, payload)


def record_samples(
    state: IncidentState, samples: Sequence[Sample], *, actor: str, clock: Clock
) -> list[NewEvent]:
    """One tick of probe samples, plus any trigger that they turn met or clear.

    Returned together so the store writes them in one transaction.
    """
    if not samples:
        return []
    events = [
        _event(
            state.id,
            Kind.PROBE_SAMPLES,
            actor,
            clock,
            {"samples": [sample.to_payload() for sample in samples]},
        )
    ]
    merged: dict[str, list[Sample]] = {name: list(h) for name, h in state.samples.items()}
    for sample in samples:
        merged.setdefault(sample.probe, []).append(sample)
    for trigger_id, verdict in probe_verdicts(state, merged).items():
        if verdict.met is None:
            continue
        mark = state.triggers.get(trigger_id)
        was_met = mark.met if mark else False
        if verdict.met != was_met:
            payload: dict[str, JSONValue] = {
                "trigger": trigger_id,
                "met": verdict.met,
                "source": "probe",
                "by": actor,
                "detail": verdict.detail,
            }
            events.append(_event(state.id, Kind.TRIGGER_CHANGED, actor, clock, payload))
    return events


def capture_baseline(
    state: IncidentState,
    probe_name: str,
    *,
    actor: str,
    clock: Clock,
    value: float | None = None,
) -> NewEvent:
    """Record a probe's healthy value: given, or the median of its recent samples."""
    _refuse_if_closed(state)
    if state.runbook.probe(probe_name) is None:
        names = [p.name for p in state.runbook.probes]
        raise CommandError(f"unknown probe '{probe_name}'{_suggest(probe_name, names)}")
    source = "given"
    if value is None:
        value = baseline_from_samples(state.samples.get(probe_name, []))
        source = "samples"
        if value is None:
            raise CommandError(f"no readings from '{probe_name}' to take a baseline from")
    payload: dict[str, JSONValue] = {"probe": probe_name, "value": value, "source": source}
    return _event(state.id, Kind.BASELINE_CAPTURED, actor, clock, payload)


def record_overdue_update(state: IncidentState, *, actor: str, clock: Clock) -> list[NewEvent]:
    """Record, once, that the stakeholder update due under the cadence was missed.

    Returns no event while the update is not yet due, or once its miss is recorded.
    """
    due = next_update_due(state)
    if due is None or clock.now() <= due or due in state.overdue_updates:
        return []
    payload: dict[str, JSONValue] = {
        "due_at": format_timestamp(due),
        "cadence_min": state.runbook.cadence.every_min
        if state.communications
        else state.runbook.cadence.first_update_min,
        "first": not state.communications,
    }
    return [_event(state.id, Kind.UPDATE_OVERDUE, actor, clock, payload)]


def change_severity(
    state: IncidentState, severity: str, *, reason: str, actor: str, clock: Clock
) -> NewEvent:
    _refuse_if_closed(state)
    if severity not in SEVERITIES:
        raise CommandError(f"unknown severity '{severity}' (choose {', '.join(SEVERITIES)})")
    if severity == state.severity:
        raise CommandError(f"the incident is already {severity}")
    payload: dict[str, JSONValue] = {
        "severity": severity,
        "previous": state.severity,
        "reason": reason,
    }
    return _event(state.id, Kind.SEVERITY_CHANGED, actor, clock, payload)


def close(
    state: IncidentState, *, actor: str, clock: Clock, force: bool = False, reason: str = ""
) -> NewEvent:
    """Close the incident; open required steps need `force` and a reason."""
    _refuse_if_closed(state)
    open_steps = state.open_required_steps()
    if open_steps and not (force and reason.strip()):
        listed = ", ".join(open_steps[:5]) + (" ..." if len(open_steps) > 5 else "")
        raise CommandError(
            f"{len(open_steps)} required step(s) still open ({listed}); "
            "close with --force --reason to override"
        )
    if force and not reason.strip():
        raise CommandError("a forced close needs a reason")
    payload: dict[str, JSONValue] = {
        "reason": reason.strip(),
        "forced": bool(force and open_steps),
        "open_required_steps": list(open_steps),
        "elapsed": format_offset(elapsed(state, clock.now())),
    }
    return _event(state.id, Kind.CLOSED, actor, clock, payload)


def _event(
    incident_id: str, kind: Kind, actor: str, clock: Clock, payload: dict[str, JSONValue]
) -> NewEvent:
    try:
        check_payload_text(payload)
    except TextRefused as error:
        raise CommandError(str(error)) from None
    return NewEvent(
        incident_id=incident_id,
        kind=str(kind),
        actor=actor,
        at=truncate_to_millis(clock.now()),
        mono_ns=clock.monotonic_ns(),
        payload=payload,
    )


def _pattern(runbook: Runbook, name: str | None) -> DeploymentPattern | None:
    known = [info.id for info in runbook.patterns]
    if name is None:
        return runbook.default_pattern or (known[0] if known else None)
    try:
        pattern = DeploymentPattern(name)
    except ValueError:
        allowed = ", ".join(p.value for p in DeploymentPattern)
        raise CommandError(f"unknown deployment pattern '{name}' (choose {allowed})") from None
    if known and pattern not in known:
        allowed = ", ".join(p.value for p in known)
        raise CommandError(f"runbook '{runbook.id}' has no '{name}' pattern (choose {allowed})")
    return pattern


def _refuse_if_closed(state: IncidentState) -> None:
    if state.is_closed:
        raise CommandError(f"incident {state.id} is closed")


def _known_step(state: IncidentState, step_id: str) -> StepRecord:
    record = state.steps.get(step_id)
    if record is not None:
        return record
    step = state.runbook.step(step_id)
    if step is not None:
        raise CommandError(
            f"step '{step_id}' does not apply to the {state.pattern} deployment pattern"
        )
    raise CommandError(f"unknown step '{step_id}'{_suggest(step_id, list(state.steps))}")


def _open_step(state: IncidentState, step_id: str) -> StepRecord:
    _refuse_if_closed(state)
    record = _known_step(state, step_id)
    if record.done:
        raise CommandError(f"step '{step_id}' is already done (by {record.by})")
    if record.skipped:
        raise CommandError(f"step '{step_id}' was skipped; reopen it first")
    return record


def _approval_target(state: IncidentState, target: str) -> tuple[str, str]:
    """Resolve a step id or database tier id to what an approval unblocks."""
    record = state.steps.get(target)
    if record is not None:
        if record.step.approver is None:
            raise CommandError(f"step '{target}' has no approval gate")
        return target, record.step.approver
    tier_id = target.removeprefix("tier:")
    tier = state.runbook.database_tier(tier_id)
    if tier is not None:
        if tier.approver is None:
            raise CommandError(f"database tier '{tier_id}' needs no approval")
        return tier_target(tier_id), tier.approver
    gated = [r.step.id for r in state.steps.values() if r.step.approver]
    gated += [t.id for t in state.runbook.database_tiers if t.approver]
    raise CommandError(f"nothing called '{target}' to approve{_suggest(target, gated)}")


def _suggest(word: str, choices: Collection[str]) -> str:
    close_matches = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean '{close_matches[0]}'?)" if close_matches else ""


def note_rca(state: IncidentState, text: str, *, actor: str, clock: Clock) -> NewEvent:
    """Preliminary root-cause text; allowed after close (it is post-mortem work)."""
    if not text.strip():
        raise CommandError("the root-cause text cannot be empty")
    payload: dict[str, JSONValue] = {"text": text, "by": actor}
    return _event(state.id, Kind.RCA_NOTED, actor, clock, payload)


def add_action_item(
    state: IncidentState,
    text: str,
    *,
    actor: str,
    clock: Clock,
    owner: str = "",
    due: date | None = None,
) -> NewEvent:
    """A follow-up for the post-mortem's action items, with an owner and a due date."""
    if not text.strip():
        raise CommandError("an action item cannot be empty")
    if due is not None and due < state.declared_at.date():
        raise CommandError(
            f"due date {due.isoformat()} is before the incident "
            f"({state.declared_at.date().isoformat()})"
        )
    payload: dict[str, JSONValue] = {
        "text": text,
        "owner": owner.strip(),
        "due": due.isoformat() if due else None,
        "by": actor,
    }
    return _event(state.id, Kind.ACTION_ITEM_ADDED, actor, clock, payload)


def note_lesson(
    state: IncidentState, text: str, *, actor: str, clock: Clock, category: str = ""
) -> NewEvent:
    """A lesson learned: what went well, what went wrong, where we got lucky."""
    if not text.strip():
        raise CommandError("a lesson cannot be empty")
    if category and category not in LESSON_CATEGORIES:
        raise CommandError(
            f"unknown lesson kind '{category}' (choose {', '.join(LESSON_CATEGORIES)})"
        )
    payload: dict[str, JSONValue] = {"text": text, "category": category, "by": actor}
    return _event(state.id, Kind.LESSON_NOTED, actor, clock, payload)


def schedule_postmortem(
    state: IncidentState,
    starts_at: datetime,
    *,
    actor: str,
    clock: Clock,
    duration_min: int = DEFAULT_DURATION_MIN,
    attendees: Sequence[str] = (),
    force: bool = False,
    reason: str = "",
) -> NewEvent:
    """Book the blameless post-mortem: it must start 24-48 h after resolution.

    Outside that window it takes `force` and a reason, both recorded. Booking again
    moves the meeting; the record keeps every booking.
    """
    window = meeting_window(state)
    if window is None:
        raise CommandError(
            f"incident {state.id} is still open: the post-mortem is booked 24–48 h after "
            "resolution, so send the resolution message or close the incident first"
        )
    if starts_at.tzinfo is None:
        raise CommandError("the meeting time needs a timezone, e.g. 2026-11-29T14:00:00Z")
    if not 0 < duration_min <= MAX_DURATION_MIN:
        raise CommandError(f"the meeting lasts 1 to {MAX_DURATION_MIN} minutes, not {duration_min}")
    if force and not reason.strip():
        raise CommandError("booking with --force needs a reason (--reason)")
    starts_at = truncate_to_millis(starts_at.astimezone(UTC))
    inside = window[0] <= starts_at <= window[1]
    if not inside and not force:
        raise CommandError(
            f"the post-mortem must start within 24–48 h of resolution "
            f"({utc_text(resolved_at(state) or window[0])}): {window_text(window)}, "
            f"not {utc_text(starts_at)}; use --force --reason to book it outside that window"
        )
    names: list[str] = []
    for name in attendees:
        name = " ".join(name.split())
        if name and name not in names:
            names.append(name)
    payload: dict[str, JSONValue] = {
        "starts_at": format_timestamp(starts_at),
        "duration_min": duration_min,
        "attendees": list(names),
        "forced": not inside,
        "reason": reason.strip(),
        "window": [format_timestamp(window[0]), format_timestamp(window[1])],
        "by": actor,
    }
    if state.postmortem is not None:
        payload["previous_starts_at"] = format_timestamp(state.postmortem.starts_at)
    return _event(state.id, Kind.POSTMORTEM_SCHEDULED, actor, clock, payload)
