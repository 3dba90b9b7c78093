"""The incident core without storage or terminal: commands, fold and clocks."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from incident import commands
from incident.app.verbs import BY_NAME
from incident.commands import CommandError
from incident.commands.lifecycle import OLDEST_START
from incident.core.phase_clocks import (
    elapsed,
    format_offset,
)
from incident.core.state import StepStatus, fold
from tests.conftest import T0
from tests.incident_start import complete_phase_one, start


def test_declaration_sets_up_state_from_the_runbook(small_runbook, clock):
    session = start(small_runbook, clock)
    state = session.state
    assert state.id.startswith("INC-20261128-")
    assert state.commander == "Ada"
    assert state.started_at == T0
    assert str(state.pattern) == "blue-green"
    # the rolling-only step does not apply to a blue-green rollback
    assert "redeploy" not in state.steps and "switch-lb" in state.steps
    assert state.status_of("initiate") == StepStatus.BLOCKED
    assert state.status_of("database") == StepStatus.BLOCKED
    assert state.status_of("assess") == StepStatus.OPEN


def test_pattern_selects_application_steps(small_runbook, clock):
    state = start(small_runbook, clock, pattern="rolling").state
    assert "redeploy" in state.steps and "switch-lb" not in state.steps


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": "  "}, "title is required"),
        ({"severity": "SEV9"}, "unknown severity 'SEV9'"),
        ({"commander": ""}, "incident commander is required"),
        ({"eta_min": -1}, "ETA must be from 0 to 525,600 minutes (a year)"),
        ({"eta_min": 525_601}, "ETA must be from 0 to 525,600 minutes (a year)"),
        ({"pattern": "canary"}, "unknown deployment pattern 'canary'"),
        ({"pattern": "recreate"}, "has no 'recreate' pattern"),
        ({"started_at": T0 + timedelta(hours=1)}, "cannot start in the future"),
        (  # a mistyped year made every phase overdue by 499,035 hours
            {"started_at": T0 - timedelta(days=7, seconds=1)},
            "the impact cannot start more than 7 days ago (the longest phase window)",
        ),
    ],
)
def test_declare_refuses_bad_details(small_runbook, clock, overrides, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        start(small_runbook, clock, **overrides)


def test_backdated_start_moves_t0(small_runbook, clock):
    clock.advance(600)
    session = start(small_runbook, clock, started_at=T0)
    assert elapsed(session.state, clock.now()) == timedelta(minutes=10)
    assert format_offset(elapsed(session.state, clock.now())) == "T+10:00"


def test_an_impact_may_start_as_long_ago_as_the_longest_phase_window(small_runbook, clock):
    session = start(small_runbook, clock, started_at=T0 - OLDEST_START)
    assert elapsed(session.state, clock.now()) == timedelta(days=7)
    said = {param.name: param.help for param in BY_NAME["declare"].params}["started_at"]
    assert f"(at most {OLDEST_START.days} days ago)" in said


def test_checking_records_who_and_when(small_runbook, clock):
    session = start(small_runbook, clock)
    clock.advance(42)
    event = session.run(
        lambda s: commands.check_step(s, "assess", actor="ada", clock=clock, by="Bo", note="5.2%")
    )
    record = session.state.steps["assess"]
    assert (record.done, record.by, record.note, record.at) == (True, "Bo", "5.2%", event.at)
    assert session.state.status_of("assess") == StepStatus.DONE


REFUSALS = [
    (lambda s, c: commands.check_step(s, "nope", actor="a", clock=c), "unknown step 'nope'"),
    (lambda s, c: commands.check_step(s, "asess", actor="a", clock=c), "did you mean 'assess'"),
    (lambda s, c: commands.check_step(s, "redeploy", actor="a", clock=c), "does not apply"),
    (
        lambda s, c: commands.skip_step(s, "assess", reason=" ", actor="a", clock=c),
        "needs a reason",
    ),
    (
        lambda s, c: commands.check_step(s, "initiate", actor="a", clock=c),
        "needs approval by incident-commander",
    ),
    (
        lambda s, c: commands.check_step(s, "database", actor="a", clock=c),
        "choose a database tier first",
    ),
    (
        lambda s, c: commands.approve(s, "assess", by="x", reason="y", actor="a", clock=c),
        "no approval gate",
    ),
    (
        lambda s, c: commands.approve(s, "initiate", by="", reason="y", actor="a", clock=c),
        "approver's name",
    ),
    (
        lambda s, c: commands.approve(s, "initiate", by="x", reason="", actor="a", clock=c),
        "needs a reason",
    ),
    (
        lambda s, c: commands.approve(s, "bogus", by="x", reason="y", actor="a", clock=c),
        "nothing called 'bogus'",
    ),
    (
        lambda s, c: commands.choose_database_tier(s, "yolo", reason="r", actor="a", clock=c),
        "unknown database tier",
    ),
    (lambda s, c: commands.close(s, actor="a", clock=c), "required steps still open"),
    (lambda s, c: commands.close(s, actor="a", clock=c, force=True), "still open"),
    (lambda s, c: commands.add_note(s, "  ", actor="a", clock=c), "cannot be empty"),
    (lambda s, c: commands.assign_role(s, "chef", "Bo", actor="a", clock=c), "unknown role 'chef'"),
    (
        lambda s, c: commands.hand_off(s, "Ada", actor="a", clock=c),
        "already the incident commander",
    ),
    (
        lambda s, c: commands.send_communication(s, actor="a", clock=c, template="nah"),
        "unknown template",
    ),
    (
        lambda s, c: commands.change_severity(s, "SEV2", reason="", actor="a", clock=c),
        "already SEV2",
    ),
    (
        lambda s, c: commands.reopen_step(s, "assess", reason="x", actor="a", clock=c),
        "already open",
    ),
]


@pytest.mark.parametrize(("command", "message"), REFUSALS)
def test_refused_commands_record_nothing(small_runbook, clock, command, message):
    session = start(small_runbook, clock)
    before = list(session.log.events(session.state.id))
    with pytest.raises(CommandError, match=re.escape(message)):
        session.run(lambda s: command(s, clock))
    assert session.log.events(session.state.id) == before


def test_gate_opens_after_approval(small_runbook, clock):
    session = start(small_runbook, clock)
    session.run(
        lambda s: commands.approve(
            s, "initiate", by="Ada", reason="5xx at 12%", actor="ada", clock=clock
        )
    )
    assert session.state.status_of("initiate") == StepStatus.OPEN
    assert session.state.approvals["initiate"].reason == "5xx at 12%"
    session.run(lambda s: commands.check_step(s, "initiate", actor="ada", clock=clock))
    assert session.state.status_of("initiate") == StepStatus.DONE
    with pytest.raises(CommandError, match="already approved by Ada"):
        commands.approve(session.state, "initiate", by="Bo", reason="again", actor="a", clock=clock)


def test_restore_from_backup_stays_blocked_until_leadership_approves(small_runbook, clock):
    session = start(small_runbook, clock)
    session.run(
        lambda s: commands.choose_database_tier(
            s, "restore-backup", reason="schema dropped a column", actor="a", clock=clock
        )
    )
    assert session.state.blocker("database") == "tier 'restore-backup' needs approval by leadership"
    with pytest.raises(CommandError, match="needs approval by leadership"):
        commands.check_step(session.state, "database", actor="a", clock=clock)
    session.run(lambda s: commands.assign_role(s, "leadership", "CTO", actor="a", clock=clock))
    session.run(
        lambda s: commands.approve(
            s, "restore-backup", by="CTO", reason="accept loss", actor="a", clock=clock
        )
    )
    event = session.run(lambda s: commands.check_step(s, "database", actor="a", clock=clock))
    assert event.payload["tier"] == "restore-backup"
    assert session.state.approvals["tier:restore-backup"].by == "CTO"


def test_skip_and_reopen_are_corrections_not_edits(small_runbook, clock):
    session = start(small_runbook, clock)
    session.run(
        lambda s: commands.skip_step(s, "assess", reason="obvious outage", actor="a", clock=clock)
    )
    assert session.state.status_of("assess") == StepStatus.SKIPPED
    skipped = r"was skipped by a at T\+\d\d:\d\d \(obvious outage\); reopen it first"
    with pytest.raises(CommandError, match=skipped):
        commands.check_step(session.state, "assess", actor="a", clock=clock)
    session.run(
        lambda s: commands.reopen_step(
            s, "assess", reason="need the numbers", actor="a", clock=clock
        )
    )
    assert session.state.status_of("assess") == StepStatus.OPEN
    kinds = [e.kind for e in session.log.events(session.state.id)]
    assert kinds == ["incident.declared", "step.skipped", "step.reopened"]


def test_communication_renders_template_from_incident(small_runbook, clock):
    session = start(small_runbook, clock)
    session.run(
        lambda s: commands.send_communication(s, actor="a", clock=clock, template="initiating")
    )
    message = session.state.communications[-1]
    assert message.text == "Initiating rollback due to checkout 500s. ETA 09:30 UTC."
    assert message.template == "initiating"


def test_an_eta_recorded_past_the_calendar_still_fills_a_template(small_runbook, clock):
    """ETAs were unbounded once: `--eta 6000000000` was recorded, and every template
    after it failed with OverflowError."""
    from msgspec.structs import replace

    from incident.reports.message_context import message_context

    state = replace(start(small_runbook, clock).state, eta_min=6_000_000_000)
    context = message_context(state, clock.now())
    assert context["eta"] == "6,000,000,000 minutes after the declaration"


def test_roles_handoff_pages_and_notes(small_runbook, clock):
    session = start(small_runbook, clock)
    session.run(lambda s: commands.assign_role(s, "comms-lead", "Cy", actor="a", clock=clock))
    session.run(lambda s: commands.hand_off(s, "Bo", actor="a", clock=clock, reason="shift end"))
    session.run(lambda s: commands.record_page(s, "payments on-call", actor="a", clock=clock))
    session.run(
        lambda s: commands.add_note(s, "| pipes | and `ticks`", actor="a", clock=clock, pinned=True)
    )
    state = session.state
    assert state.roles == {
        "incident-commander": "Bo",
        "deployment-coordinator": "ada",
        "comms-lead": "Cy",
    }
    assert [c.person for c in state.role_history] == ["Ada", "ada", "Cy", "Bo"]
    assert state.pages[0].target == "payments on-call"
    assert state.notes[0].pinned and state.notes[0].text == "| pipes | and `ticks`"


def test_close_forced_with_reason_and_then_refuses_changes(small_runbook, clock):
    session = start(small_runbook, clock)
    event = session.run(
        lambda s: commands.close(s, actor="a", clock=clock, force=True, reason="false alarm")
    )
    assert event.payload["forced"] is True
    assert "assess" in event.payload["open_required_steps"]
    with pytest.raises(CommandError, match="is closed"):
        commands.check_step(session.state, "assess", actor="a", clock=clock)
    # notes stay possible for the post-mortem
    session.run(lambda s: commands.add_note(s, "learned things", actor="a", clock=clock))


def test_clean_close_after_every_required_step(small_runbook, clock):
    session = start(small_runbook, clock)
    complete_phase_one(session, clock)
    session.run(lambda s: commands.check_step(s, "switch-lb", actor="a", clock=clock))
    session.run(
        lambda s: commands.choose_database_tier(
            s, "none", reason="expand-contract", actor="a", clock=clock
        )
    )
    for step in ("database", "confirm-version", "resolution"):
        session.run(
            lambda s, step=step: commands.check_step(s, step, actor="a", clock=clock, evidence="ok")
        )
    event = session.run(lambda s: commands.close(s, actor="a", clock=clock))
    assert event.payload["forced"] is False
    assert session.state.open_required_steps() == []


def test_fold_of_recorded_events_equals_live_state(small_runbook, clock):
    session = start(small_runbook, clock)
    complete_phase_one(session, clock)
    clock.advance(30)
    session.run(lambda s: commands.add_note(s, "hi", actor="a", clock=clock))
    refolded = fold(session.log.events(session.state.id))
    assert refolded == session.state


# --- clocks -------------------------------------------------------------------
