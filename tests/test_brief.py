"""The handoff brief from the record, at an injected moment: what a new commander reads."""

from __future__ import annotations

from datetime import timedelta

import pytest

from incident import commands
from incident.app.handoff import brief, handoff_brief
from incident.app.session import IncidentSession
from incident.commands import Declaration
from incident.core.clock import ManualClock
from incident.reports.brief import LINE_WIDTH, MAX_LINES, brief_lines
from runbooks import load_runbook, resolve_runbook
from tests.conftest import T0
from tests.memory_log import MemoryLog


@pytest.fixture
def session(clock: ManualClock) -> IncidentSession:
    runbook = load_runbook(resolve_runbook("rollback"))
    details = Declaration(
        title="Checkout errors", severity="SEV2", commander="Ada", issue="500s", eta_min=20
    )
    event = commands.declare(runbook, details, actor="Ada", clock=clock, incident_id="INC-B-1")
    return IncidentSession.declare(MemoryLog(), event, clock)


def run(session: IncidentSession, clock: ManualClock, after_s: float, command) -> None:
    clock.advance(after_s)
    session.run(lambda s: command(s, clock))


@pytest.fixture
def busy(session: IncidentSession, clock: ManualClock) -> IncidentSession:
    """Seven minutes in: a trigger met, the decision relayed, a tier waiting, a message."""
    run(
        session,
        clock,
        30,
        lambda s, c: commands.mark_trigger(
            s, "core-broken", True, actor="Ada", clock=c, note="checkout 500s"
        ),
    )
    run(
        session,
        clock,
        60,
        lambda s, c: commands.approve(
            s, "decide-rollback", by="Ada", reason="core broken", actor="Bo", clock=c
        ),
    )
    run(
        session,
        clock,
        30,
        lambda s, c: commands.send_communication(s, actor="Ada", clock=c, template="initiating"),
    )
    run(
        session,
        clock,
        60,
        lambda s, c: commands.choose_database_tier(
            s, "restore-backup", reason="a column was dropped", actor="Ada", clock=c
        ),
    )
    run(
        session,
        clock,
        30,
        lambda s, c: commands.assign_role(s, "comms-lead", "Cy", actor="Ada", clock=c),
    )
    plain = [i for i, r in session.state.steps.items() if not r.step.approver and not r.done]
    for n, step in enumerate(plain[1:5]):  # more decisions than the brief has room for
        run(
            session,
            clock,
            5,
            lambda s, c, step=step, n=n: commands.skip_step(
                s, step, reason=f"reason {n}\nsecond line", actor="Ada", clock=c
            ),
        )
    clock.set(T0 + timedelta(minutes=7))
    return session


def test_the_brief_answers_the_six_questions_in_20_lines(busy: IncidentSession) -> None:
    lines = brief(busy).lines
    assert len(lines) <= MAX_LINES and all(len(line) <= LINE_WIDTH for line in lines)
    text = "\n".join(lines)
    assert lines[0] == "INC-B-1  SEV2  Checkout errors"
    # the phase and the time left: phase 1 is T+0-5, so at T+7 it is overdue by 2 min
    assert lines[1] == "OPEN T+07:00  Decision and Communication: OVERDUE by 2m00s"
    # what was decided and why, and who recorded the approver's word
    assert "Decided: (4 of 6, the rest in the timeline)" in lines
    assert "  T+01:30 approved decide-rollback (Ada, recorded by Bo): core broken" in lines
    assert "  T+03:00 database tier restore-backup (Ada): a column was dropped" in lines
    assert "  T+03:50 skipped assemble-team (Ada): reason 3 second line" in lines
    assert "database tier restore-backup (Ada): a column was dropped" in text
    # open gates: the chosen tier waits for leadership
    assert "Open gates: tier:restore-backup (needs leadership)" in lines
    # triggers now
    assert "core-broken MET since T+00:30 by Ada, checkout 500s" in text
    # the last message and when the next update is due
    assert any(
        line.startswith("Last message T+02:00 [initiating] by Ada: Initiating") for line in lines
    )
    assert "Next update due in 15m00s (T+22:00)" in lines
    # who holds each role
    roles = " ".join(line for line in lines if line.startswith(("Roles: ", "       ")))
    assert "incident-commander Ada · " in roles and "comms-lead Cy · " in roles
    assert "leadership (vacant)" in roles
    assert "\n" not in "".join(lines)  # a reason's newline does not break a line


def test_the_approvers_own_confirmation_reads_apart_from_a_relayed_one(
    session: IncidentSession, clock: ManualClock
) -> None:
    run(
        session,
        clock,
        60,
        lambda s, c: commands.approve(
            s, "decide-rollback", by="Ada", reason="core broken", actor="Bo", clock=c
        ),
    )
    run(
        session,
        clock,
        60,
        lambda s, c: commands.choose_database_tier(
            s, "restore-backup", reason="column dropped", actor="Ada", clock=c
        ),
    )
    run(
        session,
        clock,
        0,
        lambda s, c: commands.assign_role(s, "leadership", "Vi", actor="Ada", clock=c),
    )
    run(
        session,
        clock,
        60,
        lambda s, c: commands.approve(
            s, "restore-backup", by="Vi", reason="data already lost", actor="Vi", clock=c
        ),
    )
    found = handoff_brief(session.state, clock.now())
    assert "  T+01:00 approved decide-rollback (Ada, recorded by Bo): core broken" in found.lines
    assert "  T+03:00 approved tier:restore-backup (Vi): data already lost" in found.lines
    assert found.data["open_gates"] == []
    decisions = found.data["decisions"]
    assert isinstance(decisions, list)
    assert [(d["by"], d["recorded_by"]) for d in decisions] == [  # type: ignore[index]
        ("Ada", "Bo"),
        ("Ada", "Ada"),
        ("Vi", "Vi"),
    ]


def test_a_closed_incident_briefs_the_post_mortem_reminder(
    session: IncidentSession, clock: ManualClock
) -> None:
    run(
        session,
        clock,
        600,
        lambda s, c: commands.close(s, actor="Ada", clock=c, force=True, reason="drill"),
    )
    closed_at = T0 + timedelta(minutes=10)
    before = brief_lines(session.state, closed_at + timedelta(hours=23))
    # when it closed, not "; now T+10:00": the clock stops at the close
    assert before[1] == "CLOSED at T+10:00 (2026-11-28 09:10:00 UTC)"
    assert not any("Post-mortem" in line for line in before)
    assert not any(line.startswith("Next update due") for line in before)  # no cadence now
    after = brief_lines(session.state, closed_at + timedelta(hours=24))
    assert after[-1] == "Post-mortem not booked yet: book it to start by 2026-11-30 09:10:00 UTC"


def test_a_skip_reopened_since_is_no_longer_a_decision(
    session: IncidentSession, clock: ManualClock
) -> None:
    """The brief listed a reopened skip under "Decided", as if it still stood."""
    step = "create-channel"
    run(
        session,
        clock,
        30,
        lambda s, c: commands.skip_step(s, step, reason="a channel exists", actor="Ada", clock=c),
    )
    assert any(f"skipped {step}" in line for line in brief_lines(session.state, clock.now()))
    run(
        session,
        clock,
        30,
        lambda s, c: commands.reopen_step(s, step, actor="Ada", clock=c, reason="it does not"),
    )
    lines = brief_lines(session.state, clock.now())
    assert not any(f"skipped {step}" in line for line in lines)
    assert "Decided: nothing yet" in lines


def test_every_phase_done_and_still_open_says_it_is_ready_to_close(clock: ManualClock) -> None:
    """It read "close when the close-out is", as if the line had been cut."""
    from tests.drill_walk import drill_session, walk

    session = drill_session(clock)
    walk(session, clock, close=False)
    assert brief_lines(session.state, clock.now())[1].endswith(
        ": every phase is done; ready to close"
    )


def test_a_booked_post_mortem_is_in_the_brief(session: IncidentSession, clock: ManualClock) -> None:
    """The brief listed the roles and the last message, and nothing of the meeting."""
    run(
        session,
        clock,
        600,
        lambda s, c: commands.close(s, actor="Ada", clock=c, force=True, reason="drill"),
    )
    starts = T0 + timedelta(hours=26)
    run(
        session,
        clock,
        60,
        lambda s, c: commands.schedule_postmortem(s, starts, actor="Ada", clock=c),
    )
    lines = brief_lines(session.state, clock.now() + timedelta(hours=2))
    assert "Post-mortem booked for 2026-11-29 11:00:00 UTC, 60 min" in lines


def test_brief_and_status_say_one_verdict_on_the_runbooks_roles(tmp_path) -> None:
    """A role the runbook adds (comms-lead, ops) is no departure from the guide, which
    names none but the coordinator, the commander and leadership: `validate` says the
    bundled runbook is ok, so neither `status` nor `brief`'s Roles line marks it
    (ux_review17 #12: `status` said "runbook's own, not the guide's: roles comms-lead,
    ops"). Run as a user runs it, on a real file."""
    from tests.cli_helpers import Cli, declare

    cli = Cli(tmp_path / "roles.db", actor="Ada")
    incident_id = declare(cli)
    cli.ok("assign", incident_id, "ops", "Bo")
    status = cli.ok("status", incident_id)
    assert "runbook's own" not in status and "not the guide's" not in status, status
    said = cli.ok("brief", incident_id).splitlines()
    start = next(i for i, line in enumerate(said) if line.startswith("Roles: "))
    roles = " ".join(
        line.strip() for line in said[start:] if line is said[start] or line.startswith(" ")
    )
    assert "ops Bo" in roles and "comms-lead (vacant)" in roles, roles
    assert "runbook's own" not in roles, roles
