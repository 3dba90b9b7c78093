"""Phase clocks: each phase's state from its window, its steps and the phases before it."""

from __future__ import annotations

from datetime import timedelta

from msgspec.structs import replace

from incident import commands
from incident.app.session import IncidentSession
from incident.core.clock import ManualClock
from incident.core.phase_clocks import (
    PhaseState,
    current_phase,
    followed_phase,
    format_countdown,
    phase_clock,
    phase_clocks,
)
from incident.reports.status import status_text
from tests.conftest import T0
from tests.incident_start import complete_phase_one, start


def states_at(
    session: IncidentSession, clock: ManualClock, minutes: float
) -> dict[str, PhaseState]:
    clock.set(T0 + timedelta(minutes=minutes))
    return {c.phase.id: c.state for c in phase_clocks(session.state, clock.now())}


def test_phase_states_follow_the_windows(small_runbook, clock):
    session = start(small_runbook, clock)
    assert states_at(session, clock, 0) == {
        "decide": PhaseState.ACTIVE,
        "execute": PhaseState.UPCOMING,
        "verify": PhaseState.UPCOMING,
        "closeout": PhaseState.UPCOMING,
    }
    assert states_at(session, clock, 4.5)["decide"] == PhaseState.DUE_SOON
    at_six = states_at(session, clock, 6)
    assert at_six["decide"] == PhaseState.OVERDUE and at_six["execute"] == PhaseState.DUE
    clock_six = phase_clock(session.state, small_runbook.phases[0], clock.now())
    assert clock_six.overdue_by == timedelta(minutes=1)
    assert states_at(session, clock, 26)["execute"] == PhaseState.DUE_SOON
    # Open-ended: no clock opens it (see the test below); its turn, or work in it, does.
    assert states_at(session, clock, 50)["closeout"] == PhaseState.UPCOMING


def test_phase_done_records_lateness(small_runbook, clock):
    session = start(small_runbook, clock)
    clock.advance(7 * 60)
    complete_phase_one(session, clock)
    decide = phase_clock(session.state, small_runbook.phases[0], clock.now())
    assert decide.state == PhaseState.DONE
    assert decide.overdue_by == timedelta(minutes=2)
    assert current_phase(session.state, clock.now()).phase.id == "execute"


def test_work_started_early_makes_a_phase_active(small_runbook, clock):
    session = start(small_runbook, clock)
    session.run(lambda s: commands.check_step(s, "switch-lb", actor="a", clock=clock))
    execute = phase_clock(session.state, small_runbook.phases[1], clock.now())
    assert execute.state == PhaseState.ACTIVE
    assert execute.remaining == timedelta(minutes=30)


def test_the_phase_worked_in_is_active_before_its_window_opens(small_runbook, clock):
    """Phase 1 done at T+3: the coordinator works in phase 2, whose window opens at T+5."""
    session = start(small_runbook, clock)
    clock.advance(3 * 60)
    complete_phase_one(session, clock)
    states = states_at(session, clock, 3.5)
    assert states["decide"] == PhaseState.DONE
    assert states["execute"] == PhaseState.ACTIVE  # was UPCOMING, as the window says
    assert states["verify"] == PhaseState.UPCOMING  # not worked in yet
    assert current_phase(session.state, clock.now()).phase.id == "execute"


def skip(session: IncidentSession, clock: ManualClock, *step_ids: str) -> None:
    for step_id in step_ids:
        session.run(
            lambda s, step_id=step_id: commands.skip_step(
                s, step_id, reason=f"no time for {step_id}", actor="a", clock=clock
            )
        )


def test_a_phase_whose_steps_were_all_skipped_is_skipped_not_done(small_runbook, clock):
    """The guide's Verification MUST happen: skipping every step of it is not "done"."""
    session = start(small_runbook, clock)
    clock.advance(16 * 60)
    skip(session, clock, "confirm-version")
    verify = phase_clock(session.state, small_runbook.phases[2], clock.now())
    assert verify.state == PhaseState.SKIPPED
    assert verify.state.finished and not PhaseState.OVERDUE.finished
    assert verify.finished_at == clock.now() and verify.overdue_by is None
    # Over all the same: it is not where the coordinator's attention belongs.
    states = states_at(session, clock, 20)
    assert states["verify"] == PhaseState.SKIPPED
    assert current_phase(session.state, clock.now()).phase.id == "decide"
    # Reopened, it is open work again.
    session.run(
        lambda s: commands.reopen_step(
            s, "confirm-version", reason="verify", actor="a", clock=clock
        )
    )
    assert states_at(session, clock, 20)["verify"] == PhaseState.ACTIVE


def test_a_phase_with_a_step_checked_and_the_rest_skipped_is_done(small_runbook, clock):
    session = start(small_runbook, clock)
    complete_phase_one(session, clock)
    session.run(lambda s: commands.check_step(s, "switch-lb", actor="a", clock=clock))
    skip(session, clock, "database")
    assert states_at(session, clock, 6)["execute"] == PhaseState.DONE


def test_an_optional_step_checked_does_not_make_a_skipped_phase_done(small_runbook, clock):
    """The required steps decide a phase's end, as they decide when it is over: an
    optional step done beside them does not make the phase's work done."""
    session = start(small_runbook, clock)
    complete_phase_one(session, clock)
    session.run(lambda s: commands.check_step(s, "extra", actor="a", clock=clock))
    skip(session, clock, "switch-lb", "database")
    assert states_at(session, clock, 6)["execute"] == PhaseState.SKIPPED


def test_close_out_waits_for_the_service_not_for_its_window(small_runbook, clock):
    """The guide's Phase 4 has no window: "Once the service is stable, close out the
    incident." Its runbook window opens at T+45 and never ends; at T+50, with the
    rollback still in phase 1, close-out is not active (a strip showing it ACTIVE
    beside three late phases read as if close-out were under way). It becomes active
    when it is the phase worked in, or when work in it is recorded."""
    session = start(small_runbook, clock)
    states = states_at(session, clock, 50)
    assert states["decide"] == PhaseState.OVERDUE
    assert states["closeout"] == PhaseState.UPCOMING
    closeout = phase_clock(session.state, small_runbook.phases[3], clock.now())
    assert (closeout.remaining, closeout.overdue_by) == (None, None)

    session.run(lambda s: commands.check_step(s, "resolution", actor="a", clock=clock))
    assert states_at(session, clock, 51)["closeout"] == PhaseState.DONE
    session.run(
        lambda s: commands.reopen_step(s, "resolution", reason="not yet", actor="a", clock=clock)
    )
    assert states_at(session, clock, 52)["closeout"] == PhaseState.ACTIVE  # worked in

    fresh = start(small_runbook, clock)
    complete_phase_one(fresh, clock)
    fresh.run(lambda s: commands.check_step(s, "switch-lb", actor="a", clock=clock))
    skip(fresh, clock, "database")
    fresh.run(
        lambda s: commands.check_step(s, "confirm-version", actor="a", clock=clock, evidence="seen")
    )
    states = {c.phase.id: c.state for c in phase_clocks(fresh.state, clock.now())}
    assert states["verify"] == PhaseState.DONE
    assert states["closeout"] == PhaseState.ACTIVE  # its turn: the service is verified
    assert current_phase(fresh.state, clock.now()).phase.id == "closeout"


def test_once_every_phase_is_finished_the_one_followed_is_the_one_finished_last(
    small_runbook, clock
):
    """Where a screen that follows progress stays once the work ran out: the phase whose
    step finished it last, as the live screen was left (a replay moved to the close in
    one move showed phase 1). Before that, the first phase not finished."""
    session = start(small_runbook, clock)
    complete_phase_one(session, clock)
    clock.advance(60)
    session.run(lambda s: commands.check_step(s, "resolution", actor="a", clock=clock))
    session.run(lambda s: commands.check_step(s, "switch-lb", actor="a", clock=clock))
    skip(session, clock, "database")
    followed = followed_phase(session.state, clock.now())
    assert followed is not None and followed.phase.id == "verify"
    assert current_phase(session.state, clock.now()) == followed
    clock.advance(60)
    session.run(
        lambda s: commands.check_step(s, "confirm-version", actor="a", clock=clock, evidence="seen")
    )
    assert current_phase(session.state, clock.now()) is None
    followed = followed_phase(session.state, clock.now())
    assert followed is not None and followed.phase.id == "verify"  # close-out was done first
    clock.advance(60)
    session.run(
        lambda s: commands.reopen_step(s, "resolution", reason="again", actor="a", clock=clock)
    )
    session.run(lambda s: commands.check_step(s, "resolution", actor="a", clock=clock))
    followed = followed_phase(session.state, clock.now())
    assert followed is not None and followed.phase.id == "closeout"


def test_a_countdown_and_t_plus_add_up_to_the_moment(small_runbook, clock):
    """T+ rounds the time elapsed down; the time left rounds up, so `status`, the brief
    and the phase strip never read `T+00:00` beside `4m59s left` of a T+5 window."""
    session = start(small_runbook, clock)
    clock.set(T0 + timedelta(seconds=0.4))
    text = status_text(session.state, clock.now())
    assert "T+00:00" in text and "(T+0-5)  ACTIVE  5m00s left" in text, text
    assert "next stakeholder update in 5m00s" in text
    clock.set(T0 + timedelta(minutes=4, seconds=59.2))
    text = status_text(session.state, clock.now())
    assert "T+04:59" in text and "DUE SOON  1s left" in text, text
    assert [format_countdown(timedelta(seconds=s)) for s in (0, 0.001, 59.5, 60)] == [
        "0s",
        "1s",
        "1m00s",
        "1m00s",
    ]


def test_a_phase_without_a_window_is_listed_without_empty_brackets(small_runbook, clock):
    """A runbook phase may have no window (the guide's Phase 4 is "once the service is
    stable"); `status` printed its title with an empty `()` where the window goes."""
    phases = list(small_runbook.phases)
    phases[3] = replace(phases[3], window=None)
    session = start(replace(small_runbook, phases=tuple(phases)), clock)
    clock.set(T0 + timedelta(minutes=1))
    text = status_text(session.state, clock.now())
    title = phases[3].title
    assert f"\n{title}  UPCOMING" in text and "()" not in text, text


def test_a_phase_whose_window_opened_while_the_one_before_is_worked_is_due_not_active(
    small_runbook, clock
):
    """Phase 1 overdue, nothing of phase 2 started: every face said "Execute Rollback
    ACTIVE 24m left" while `brief` named phase 1 (ux_review13 #6). Phase 2 is due, its
    time left still counted; active is the phase being worked, until work starts in it."""
    session = start(small_runbook, clock)
    clock.set(T0 + timedelta(minutes=6))
    clocks = {c.phase.id: c for c in phase_clocks(session.state, clock.now())}
    assert clocks["decide"].state == PhaseState.OVERDUE
    assert clocks["execute"].state == PhaseState.DUE
    assert clocks["execute"].remaining == timedelta(minutes=24)
    assert current_phase(session.state, clock.now()).phase.id == "decide"  # brief's phase
    text = status_text(session.state, clock.now())
    assert "(T+5-30)  DUE  window open, not started; 24m00s left" in text, text
    assert " ACTIVE" not in text, text
    session.run(lambda s: commands.check_step(s, "switch-lb", actor="a", clock=clock))
    assert states_at(session, clock, 7)["execute"] == PhaseState.ACTIVE  # both worked now
