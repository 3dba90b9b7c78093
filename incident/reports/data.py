"""The report's figures as plain data, for `export --format json`.

Times are ISO 8601 UTC strings, durations are seconds. Keys are a public
interface: add to them, never rename.
"""

from __future__ import annotations

from datetime import datetime

from incident.core.events import JSONValue, format_timestamp
from incident.core.gates import decision_gate
from incident.core.records import CommandRun
from incident.core.state import tier_target
from incident.core.timefmt import seconds
from incident.reports.analysis import impact_start_known
from incident.reports.authorship import authors
from incident.reports.context import ReportContext
from incident.reports.gaps import gaps_data, trigger_gaps_data
from incident.reports.impact import severity_totals
from incident.reports.messages_due import communications_data
from incident.reports.postmortem import meeting_window
from incident.reports.review_data import review_data
from runbooks.model import StepKind


def _ts(moment: datetime | None) -> str | None:
    return format_timestamp(moment) if moment is not None else None


def derived_data(ctx: ReportContext) -> dict[str, JSONValue]:
    state = ctx.state
    samples, polls = ctx.record.samples, ctx.record.polls
    return {
        "authors": list(authors(ctx.events)),
        "impact": _impact(ctx),
        "phase_results": _phases(ctx),
        "error_rate": _error_rate(ctx),
        "decisions": _decisions(ctx),
        "communications": communications_data(state, ctx.end),
        "verification": _verification(ctx),
        "commands": [_command(r) for r in state.commands_run],
        "trigger_changes": [
            {
                "trigger": trigger_id,
                "met": mark.met,
                "at": _ts(mark.at),
                "by": mark.by,
                "source": mark.source,
                "detail": mark.detail,
            }
            for trigger_id, mark in state.trigger_history
        ],
        "pages": [
            {"at": _ts(p.at), "target": p.target, "by": p.by, "note": p.note} for p in state.pages
        ],
        "role_history": [
            {"role": c.role, "person": c.person, "at": _ts(c.at), "by": c.by}
            for c in state.role_history
        ],
        "notes_log": [
            {"at": _ts(n.at), "by": n.by, "text": n.text, "pinned": n.pinned} for n in state.notes
        ],
        "samples": {"readings": samples, "polls": polls},
        "reading_gaps": gaps_data(ctx),
        "rca": [{"at": _ts(r.at), "by": r.by, "text": r.text} for r in state.rca],
        "action_items": [
            {
                "number": a.number,
                "text": a.text,
                "owner": a.owner or None,
                "due": a.due.isoformat() if a.due else None,
                "status": "done" if a.done else "open",
                "by": a.by,
                "at": _ts(a.at),
                "priority": a.priority or None,
                "type": a.type or None,
                "ticket": a.ticket or None,
                "done_at": _ts(a.done_at),
                "done_by": a.done_by or None,
            }
            for a in state.action_items
        ],
        "lessons": [
            {"at": _ts(x.at), "by": x.by, "category": x.category or None, "text": x.text}
            for x in state.lessons
        ],
        "postmortem": _postmortem(ctx),
        **review_data(ctx),
    }


def _impact(ctx: ReportContext) -> dict[str, JSONValue]:
    state = ctx.state
    moments: list[JSONValue] = []
    for m in ctx.moments:
        moments.append(
            {
                "key": m.key,
                "label": m.label,
                "at": _ts(m.at),
                "seq": m.seq,
                "detail": m.detail or None,
                "from_impact_start_s": seconds(m.at - state.started_at) if m.at else None,
                "from_declaration_s": seconds(m.at - state.declared_at) if m.at else None,
            }
        )
    periods: list[JSONValue] = [
        {
            "severity": p.severity,
            "from": _ts(p.start),
            "to": _ts(p.end),
            "ongoing": p.ongoing,
            "seconds": seconds(p.duration),
        }
        for p in ctx.severities
    ]
    totals: dict[str, JSONValue] = {
        severity: seconds(total) for severity, total in severity_totals(ctx.severities).items()
    }
    return {
        "started_at": _ts(state.started_at),
        "declared_at": _ts(state.declared_at),
        "closed_at": _ts(state.closed_at),
        # unknown (null), not 0, when no impact start was given apart from the
        # declaration, as `detection.from_impact_start_s` and the report say
        "detection_s": (
            seconds(state.declared_at - state.started_at) if impact_start_known(state) else None
        ),
        "duration_s": seconds(ctx.end - state.started_at),
        "milestones": moments,
        "severity_periods": periods,
        "severity_time_s": totals,
    }


def _phases(ctx: ReportContext) -> list[JSONValue]:
    results: list[JSONValue] = []
    for r in ctx.phases:
        clock = r.clock
        window = clock.phase.window
        results.append(
            {
                "id": clock.phase.id,
                "title": clock.phase.title,
                "window_min": [window.start_min, window.end_min] if window else None,
                "opens_at": _ts(clock.opens_at),
                "due_at": _ts(clock.due_at),
                "entered_at": _ts(r.entered),
                "first_action_at": _ts(r.first_action),
                "started_at": _ts(r.first_action),
                "finished_at": _ts(clock.finished_at),
                "state": str(clock.state),
                "on_time": r.on_time,
                "overdue_s": seconds(clock.overdue_by),
                "result": r.result,
            }
        )
    return results


def _error_rate(ctx: ReportContext) -> list[JSONValue]:
    return [
        {
            "trigger": f.trigger.id,
            "probe": f.trigger.probe,
            "op": f.trigger.op,
            "threshold": f.trigger.threshold,
            "unit": f.unit or None,
            "readings": f.readings,
            "above_threshold": f.above,
            "peak": f.peak,
            "mean": f.mean,
            "worst_overall": f.worst_overall,
            "first_above_at": _ts(f.first_above_at),
            "last_above_at": _ts(f.last_above_at),
            "time_above_s": seconds(f.time_above),
            "last_value": f.last_value,
            "baseline": f.baseline,
            **trigger_gaps_data(ctx, f),
        }
        for f in ctx.metrics
    ]


def _decisions(ctx: ReportContext) -> dict[str, JSONValue]:
    state = ctx.state
    gate = decision_gate(state)
    decision = ctx.moment("rollback_decision")
    rollback: JSONValue = None
    if gate is not None:
        approval = state.approvals.get(gate.step.id)
        met: list[JSONValue] = []
        if decision.at is not None:
            latest: dict[str, bool] = {}
            for trigger_id, mark in state.trigger_history:
                if mark.at <= decision.at:
                    latest[trigger_id] = mark.met
            met = [t for t, is_met in latest.items() if is_met]
        rollback = {
            "step": gate.step.id,
            "at": _ts(decision.at),
            "approved_by": approval.by if approval else None,
            "reason": approval.reason if approval else None,
            "checked_at": _ts(gate.at) if gate.done else None,
            "checked_by": gate.by if gate.done else None,
            "triggers_met": met,
        }
    tier: JSONValue = None
    if state.tier_choice is not None:
        choice = state.tier_choice
        info = state.runbook.database_tier(choice.tier)
        approval = state.approvals.get(tier_target(choice.tier))
        tier = {
            "tier": choice.tier,
            "title": info.title if info else None,
            "data_loss": str(info.data_loss) if info else None,
            "reason": choice.reason,
            "by": choice.by,
            "at": _ts(choice.at),
            "approval_required_from": info.approver if info else None,
            "approved_by": approval.by if approval else None,
            "approved_by_role": approval.by_role if approval else None,
            "approval_reason": approval.reason if approval else None,
            "approved_at": _ts(approval.at) if approval else None,
        }
    approvals: list[JSONValue] = [
        {
            "target": a.target,
            "by": a.by,
            "recorded_by": a.recorded_by,
            "reason": a.reason,
            "at": _ts(a.at),
        }
        for a in sorted(state.approvals.values(), key=lambda a: a.at)
    ]
    return {"rollback": rollback, "database_tier": tier, "approvals": approvals}


def _verification(ctx: ReportContext) -> list[JSONValue]:
    found: list[JSONValue] = []
    for step_id, record in ctx.state.steps.items():
        if record.step.kind != StepKind.VERIFICATION and not record.evidence:
            continue
        found.append(
            {
                "step": step_id,
                "probe": record.step.probe,
                "done": record.done,
                "skipped": record.skipped,
                "by": record.by,
                "at": _ts(record.at),
                "evidence": record.evidence or None,
                "note": record.note or None,
            }
        )
    return found


def _postmortem(ctx: ReportContext) -> JSONValue:
    state = ctx.state
    window = meeting_window(state)
    meeting = state.postmortem
    window_data: JSONValue = [_ts(window[0]), _ts(window[1])] if window else None
    if meeting is None:
        return {"scheduled": False, "window": window_data}
    return {
        "scheduled": True,
        "starts_at": _ts(meeting.starts_at),
        "ends_at": _ts(meeting.ends_at),
        "duration_min": meeting.duration_min,
        "attendees": list(meeting.attendees),
        "booked_by": meeting.by,
        "booked_at": _ts(meeting.at),
        "forced": meeting.forced,
        "reason": meeting.reason or None,
        "window": window_data,
        "bookings": len(state.postmortem_history),
        "ics": f"lastgood ics {state.id}",
    }


def _command(run: CommandRun) -> dict[str, JSONValue]:
    """A command run; `recorded_at` only for one recorded later than it ran (`at`)."""
    data: dict[str, JSONValue] = {
        "at": _ts(run.at),
        "step": run.step,
        "command": run.command,
        "exit_code": run.exit_code,
        "output_tail": run.output_tail,
    }
    if run.recorded_at is not None:
        data["recorded_at"] = _ts(run.recorded_at)
    return data
