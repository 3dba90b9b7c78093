"""Restoring from backup "requires leadership approval" (the guide): from whoever holds
leadership then, and never from the person who chose that tier.

Before, whoever chose the last-resort tier could approve it themself while no one held
leadership, and the report called it a "(leadership)" approval (a review).
"""

from __future__ import annotations

import pytest

from incident import commands
from incident.app.session import IncidentSession
from incident.commands import CommandError
from incident.commands.rules import make_event
from incident.core.clock import ManualClock
from incident.core.events import NewEvent
from incident.core.names import same_person
from incident.core.payloads import ApprovalGranted
from incident.core.state import IncidentState
from runbooks.model import Runbook
from tests.incident_start import start

LAST_RESORT = "restore-backup"


def chosen(runbook: Runbook, clock: ManualClock, by: str = "Ada") -> IncidentSession:
    session = start(runbook, clock)
    session.run(
        lambda s: commands.choose_database_tier(
            s, LAST_RESORT, reason="a column was dropped", actor=by, clock=clock
        )
    )
    return session


def approve(state: IncidentState, clock: ManualClock, by: str, actor: str = "Ada") -> NewEvent:
    return commands.approve(state, LAST_RESORT, by=by, reason="accept", actor=actor, clock=clock)


def assign(session: IncidentSession, clock: ManualClock, person: str) -> None:
    session.run(lambda s: commands.assign_role(s, "leadership", person, actor="Ada", clock=clock))


def test_the_chooser_cannot_approve_their_own_choice(small_runbook, clock):
    session = chosen(small_runbook, clock)
    with pytest.raises(CommandError) as vacant:
        approve(session.state, clock, "Ada")
    assert str(vacant.value) == (
        "Ada chose the database tier 'restore-backup' and cannot also approve it: it needs "
        "the approval of someone else in the leadership role; assign the leadership role "
        "to that person first, then record their approval"
    )
    assign(session, clock, "ada ")  # holding leadership changes nothing: still one person
    with pytest.raises(CommandError, match=r"^ada chose the database tier"):
        approve(session.state, clock, "ada", actor="ada")
    assign(session, clock, "Vi")
    with pytest.raises(CommandError) as held:
        approve(session.state, clock, "Ada")
    assert str(held.value).endswith("; Vi holds it: record Vi's approval")
    assert held.value.needs == ("by",)
    assert "tier:restore-backup" not in session.state.approvals


def test_no_one_in_the_role_is_refused_with_the_way_on(small_runbook, clock):
    session = chosen(small_runbook, clock)
    with pytest.raises(CommandError) as refused:
        approve(session.state, clock, "CTO")
    assert str(refused.value) == (
        "the database tier 'restore-backup' needs leadership approval and no one holds the "
        "leadership role: assign it to the approver first, then record their approval"
    )
    assign(session, clock, "Vi")
    with pytest.raises(CommandError) as other:
        approve(session.state, clock, "CTO")
    assert str(other.value) == (
        "the database tier 'restore-backup' needs leadership approval, and Vi holds the "
        "leadership role, not CTO: assign the leadership role to CTO first (assign), or "
        "record Vi's approval"
    )
    assert (other.value.needs, other.value.fill, other.value.verbs) == (
        ("by",),
        {"by": "Vi"},
        ("assign",),
    )
    # The way on: the role to the approver, then their approval; the gate opens.
    assign(session, clock, "CTO")
    session.run(lambda s: approve(s, clock, "CTO"))
    approval = session.state.approvals["tier:restore-backup"]
    assert (approval.role, approval.role_holder, approval.by_role) == ("leadership", "CTO", True)
    assert session.state.blocker("database") == ""


def test_whoever_approved_a_tier_first_cannot_then_choose_it(small_runbook, clock):
    """An approval may come before the choice: the two-people rule holds both ways."""
    session = start(small_runbook, clock)
    assign(session, clock, "Vi")
    session.run(lambda s: approve(s, clock, "Vi", actor="Vi"))
    with pytest.raises(CommandError) as refused:
        commands.choose_database_tier(
            session.state, LAST_RESORT, reason="go", actor="Vi", clock=clock
        )
    assert str(refused.value) == (
        "Vi approved the database tier 'restore-backup' and cannot also choose it: "
        "the choice must be recorded by someone else"
    )
    session.run(
        lambda s: commands.choose_database_tier(
            s, LAST_RESORT, reason="go", actor="Ada", clock=clock
        )
    )
    assert session.state.tier_choice is not None and session.state.tier_choice.by == "Ada"


def test_a_step_gate_takes_the_approval_of_the_holder_of_its_role_only(small_runbook, clock):
    """The decision gate names the incident commander: anyone's name passed (`decide
    --by Zed`) and the report called it the decision (ux_review7 F7). Now it follows
    the tiers' rule: the holder's approval, or the refusal says who holds the role and
    the way on (their word recorded, `by`; or command handed on first)."""
    session = start(small_runbook, clock)
    with pytest.raises(CommandError) as refused:
        commands.approve(session.state, "initiate", by="Bo", reason="r", actor="Ada", clock=clock)
    assert str(refused.value) == (
        "the rollback decision (initiate) needs incident-commander approval, and Ada holds "
        "the incident-commander role, not Bo: hand command to Bo first (handoff), or record "
        "Ada's word"
    )
    assert (refused.value.needs, refused.value.fill, refused.value.verbs) == (
        ("by",),
        {"by": "Ada"},
        ("handoff",),
    )
    assert "initiate" not in session.state.approvals
    session.run(
        lambda s: commands.approve(s, "initiate", by="ada", reason="r", actor="Bo", clock=clock)
    )
    approval = session.state.approvals["initiate"]
    assert (approval.by, approval.recorded_by, approval.by_role) == ("ada", "Bo", True)


def test_an_approval_recorded_before_the_rule_folds_as_what_it_was(small_runbook, clock):
    """A record from before: the chooser's own approval with no one in leadership.
    The fold keeps it (the record is never rewritten) and says who held the role."""
    session = chosen(small_runbook, clock)
    old = ApprovalGranted("tier:restore-backup", "leadership", "Ada", "accept")
    session.log.append([make_event(session.state.id, "Ada", clock, old)])
    session.refresh()
    approval = session.state.approvals["tier:restore-backup"]
    assert (approval.by, approval.role_holder, approval.by_role) == ("Ada", "", False)


def test_the_same_person_under_two_spellings_is_one_person():
    assert same_person("Bo  Diddley", " bo diddley")
    assert not same_person("Bo", "Bob") and not same_person("", "")
