"""What the handoff brief says was decided, and what still waits on someone's approval.

A new incident commander asks "what was decided, by whom, and why" before anything
else of the record: the approvals and the database tier first, then the skips that
stand (a skip reopened since is no longer a decision).
"""

from __future__ import annotations

from datetime import datetime

from msgspec import Struct

from incident.core.names import same_person
from incident.core.phase_clocks import t_plus
from incident.core.state import IncidentState, tier_target

MAX_DECISIONS = 4
"""Decisions shown: approvals and the tier first, then the latest skips."""


class Decision(Struct, frozen=True):
    """Something decided during the incident, who decided it, and why."""

    what: str
    by: str
    recorded_by: str
    why: str
    at: datetime


def decisions(state: IncidentState) -> list[Decision]:
    """Approvals, the database tier and the skips that stand, oldest first."""
    found: list[Decision] = []
    for approval in state.approvals.values():
        found.append(
            Decision(
                f"approved {approval.target}",
                approval.by,
                approval.recorded_by or approval.by,
                approval.reason,
                approval.at,
            )
        )
    if state.tier_choice is not None:
        choice = state.tier_choice
        found.append(
            Decision(f"database tier {choice.tier}", choice.by, choice.by, choice.reason, choice.at)
        )
    latest = {change.step: change for change in state.step_changes}
    for change in latest.values():  # a skip reopened since is no longer a decision
        if change.what == "skipped":
            found.append(
                Decision(f"skipped {change.step}", change.by, change.by, change.reason, change.at)
            )
    return sorted(found, key=lambda d: d.at)


def open_gates(state: IncidentState) -> list[tuple[str, str]]:
    """(what, whose approval it waits for) for each gate not yet approved."""
    gates: list[tuple[str, str]] = []
    for step_id, record in state.steps.items():
        step = record.step
        if step.approver and step_id not in state.approvals and not (record.done or record.skipped):
            gates.append((step_id, step.approver))
    choice = state.tier_choice
    tier = state.runbook.database_tier(choice.tier) if choice is not None else None
    if tier is not None and tier.approver and tier_target(tier.id) not in state.approvals:
        gates.append((tier_target(tier.id), tier.approver))
    return gates


def decision_lines(state: IncidentState, room: int) -> list[str]:
    """`Decided:` and the decisions that fit in `room` lines (at most `MAX_DECISIONS`):
    approvals and the tier before skips, the latest first; shown in order."""
    found = decisions(state)
    if not found or room < 2:
        return ["Decided: nothing yet"] if not found and room >= 1 else []
    ranked = sorted(found, key=lambda d: (d.what.startswith("skipped"), -d.at.timestamp()))
    shown = sorted(ranked[: min(MAX_DECISIONS, room - 1)], key=lambda d: d.at)
    more = f" ({len(shown)} of {len(found)}, the rest in the timeline)"
    lines = ["Decided:" + (more if len(shown) < len(found) else "")]
    for d in shown:
        who = d.by if same_person(d.recorded_by, d.by) else f"{d.by}, recorded by {d.recorded_by}"
        lines.append(f"  {t_plus(state, d.at)} {d.what} ({who}): {d.why}")
    return lines
