"""How late the drill's score card says something was: never less than it was.

`format_duration` drops what is under its unit, so a phase finished 59.5 s past its
window read "59s over", a decision at T+5m00.4s read "5m00s of the 5m window - late",
and half a second past due read "0s over". Lateness is rounded up to the unit shown,
as the countdowns are (`format_countdown`); times within their window read as before.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from incident import commands
from incident.app.session import IncidentSession
from incident.core.clock import ManualClock
from incident.core.phase_clocks import format_late
from incident.reports.drill_score import ScoreLine, Verdict, score_card
from tests.conftest import T0
from tests.drill_walk import ACTOR, Command, check, drill_session, send, skip


@pytest.mark.parametrize(
    ("late", "shown"),
    [
        (timedelta(0), "0s"),
        (timedelta(microseconds=1), "1s"),
        (timedelta(seconds=1), "1s"),
        (timedelta(seconds=59.5), "1m00s"),
        (timedelta(minutes=1, seconds=0.5), "1m01s"),
        (timedelta(minutes=4, seconds=59.5), "5m00s"),
        (timedelta(minutes=59, seconds=59, microseconds=1), "1h00m"),
        (timedelta(hours=1), "1h00m"),
        (timedelta(hours=1, seconds=1), "1h01m"),
        (timedelta(hours=1, minutes=2, seconds=59), "1h03m"),
    ],
)
def test_lateness_is_rounded_up_to_the_unit_shown(late: timedelta, shown: str) -> None:
    assert format_late(late) == shown


def at(session: IncidentSession, clock: ManualClock, offset: timedelta, command: Command) -> None:
    clock.set(T0 + offset)
    made: Any = command(session.state, clock)
    session.run_many(lambda s: list(made) if isinstance(made, list) else [made])


def decide(session: IncidentSession, clock: ManualClock, offset: timedelta) -> None:
    """Phase 1 over at `offset`: its first step checked early, the decision approved
    and checked then, the rest skipped then."""
    at(session, clock, timedelta(seconds=30), check("assess-severity"))
    for step in ("create-channel", "assign-commander"):
        at(session, clock, offset, skip(step, "a drill"))
    approve: Command = lambda s, c: commands.approve(  # noqa: E731
        s, "decide-rollback", by=ACTOR, reason="error rate over 5%", actor=ACTOR, clock=c
    )
    at(session, clock, offset, approve)
    at(session, clock, offset, check("decide-rollback"))
    for step in ("announce-rollback", "assemble-team", "notify-stakeholders"):
        at(session, clock, offset, skip(step, "a drill"))


def lines_at(offset: timedelta, *then: tuple[timedelta, Command]) -> dict[str, ScoreLine]:
    clock = ManualClock(T0)
    session = drill_session(clock)
    decide(session, clock, offset)
    for moment, command in then:
        at(session, clock, moment, command)
    card = score_card(session.state, T0 + timedelta(minutes=20))
    return {line.name: line for line in card.lines}


PHASE_1 = "Phase 1 Decision and Communication"
DECISION = "Time to decision"
CADENCE = "Messages on cadence"


WINDOW = timedelta(minutes=5)
"""The end of phase 1's window, T+0-5m, the decision's too."""


@pytest.mark.parametrize(
    ("past", "over", "decision"),
    [
        (timedelta(seconds=1), "1s over", "5m01s"),
        (timedelta(seconds=0.4), "1s over", "5m01s"),
        (timedelta(seconds=59.5), "1m00s over", "6m00s"),
        (timedelta(minutes=4, seconds=59.5), "5m00s over", "10m00s"),
        (timedelta(minutes=1, seconds=0.5), "1m01s over", "6m01s"),
    ],
)
def test_a_late_phase_and_decision_read_at_least_as_late_as_they_were(
    past: timedelta, over: str, decision: str
) -> None:
    lines = lines_at(WINDOW + past)
    phase = lines[PHASE_1]
    assert phase.verdict is Verdict.MISSED
    assert phase.measured.endswith(f"({over})"), phase.measured
    taken = lines[DECISION]
    assert taken.verdict is Verdict.MISSED
    assert taken.measured.startswith(f"{decision} of the 5m "), taken.measured


@pytest.mark.parametrize(
    ("offset", "decision"),
    [(WINDOW, "5m00s"), (WINDOW - timedelta(seconds=0.5), "4m59s")],
)
def test_on_time_reads_as_before(offset: timedelta, decision: str) -> None:
    """Exactly at the window's end is within it; a time within reads as it always did
    (rounded down, beside the T+ clock)."""
    lines = lines_at(offset)
    phase = lines[PHASE_1]
    assert phase.verdict is Verdict.MET and "over" not in phase.measured, phase.measured
    taken = lines[DECISION]
    assert taken.verdict is Verdict.MET
    assert taken.measured.startswith(f"{decision} of the 5m "), taken.measured


@pytest.mark.parametrize(
    ("past", "shown"),
    [(timedelta(0), None), (timedelta(seconds=0.5), "1s"), (timedelta(seconds=59.5), "1m00s")],
)
def test_a_late_update_reads_at_least_as_late_as_it_was(past: timedelta, shown: str | None) -> None:
    """The first update is due at T+5 (the runbook's cadence)."""
    lines = lines_at(timedelta(minutes=1), (WINDOW + past, send("initiating")))
    cadence = lines[CADENCE]
    if shown is None:
        assert "past due" not in cadence.measured, cadence.measured
    else:
        assert f"latest {shown} past due" in cadence.measured, cadence.measured


def test_an_update_overdue_at_the_end_reads_at_least_as_overdue() -> None:
    """Unresolved at the end, the next update 14m59.5s past due (sent at T+1, the next
    due at T+21 by the 20m cadence, scored at T+35m59.5s)."""
    clock = ManualClock(T0)
    session = drill_session(clock)
    decide(session, clock, timedelta(minutes=1))
    at(session, clock, timedelta(minutes=1), send("initiating"))
    end = T0 + timedelta(minutes=35, seconds=59.5)
    [cadence] = [line for line in score_card(session.state, end).lines if line.name == CADENCE]
    assert "an update 15m00s overdue" in cadence.measured, cadence.measured
