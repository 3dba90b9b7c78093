"""How late the drill's score card says something was: as the other faces print it.

The card once dropped what was under a second (`format_duration`), so half a second
past due read "0s over" and a decision at T+5m00.4s "5m00s of the 5m window - late".
It then rounded lateness up, and read a second later than the T+ printed beside it
and than `status` and the phase strip (`done at T+05:08 ... (9s over)` beside
`+8s late`: a fresh user's review, finding 4). Lateness is now whole seconds as
printed, and under a second the exact figure, which no face reads as on time.
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
        (timedelta(microseconds=1), "0.001s"),
        (timedelta(seconds=0.4), "0.4s"),
        (timedelta(seconds=1), "1s"),
        (timedelta(seconds=8.6), "8s"),
        (timedelta(seconds=59.5), "59s"),
        (timedelta(minutes=1, seconds=0.5), "1m00s"),
        (timedelta(minutes=4, seconds=59.5), "4m59s"),
        (timedelta(minutes=59, seconds=59, microseconds=1), "59m59s"),
        (timedelta(hours=1), "1h00m00s"),
        (timedelta(hours=1, minutes=2, seconds=59.5), "1h02m59s"),
    ],
)
def test_lateness_is_whole_seconds_as_printed_and_exact_under_one(
    late: timedelta, shown: str
) -> None:
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
    ("past", "over", "decision", "done"),
    [
        (timedelta(seconds=1), "1s", "5m01s", "T+05:01"),
        (timedelta(seconds=0.4), "0.4s", "5m00s", "T+05:00"),
        (timedelta(seconds=8.6), "8s", "5m08s", "T+05:08"),
        (timedelta(seconds=59.5), "59s", "5m59s", "T+05:59"),
        (timedelta(minutes=4, seconds=59.5), "4m59s", "9m59s", "T+09:59"),
        (timedelta(minutes=1, seconds=0.5), "1m00s", "6m00s", "T+06:00"),
    ],
)
def test_a_late_phase_and_decision_read_as_late_as_their_printed_times(
    past: timedelta, over: str, decision: str, done: str
) -> None:
    """`done at T+05:08` (8.6 s past the window's end) is `8s over`; under a second
    past it, the figure says so exactly."""
    lines = lines_at(WINDOW + past)
    phase = lines[PHASE_1]
    assert phase.verdict is Verdict.MISSED
    assert phase.measured.endswith(f"({over} over)"), phase.measured
    assert phase.measured.startswith(f"done at {done} of its "), phase.measured
    taken = lines[DECISION]
    assert taken.verdict is Verdict.MISSED
    assert taken.measured.startswith(f"{decision} of the 5m "), taken.measured
    assert f"window ({over} over)" in taken.measured, taken.measured


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
    [(timedelta(0), None), (timedelta(seconds=0.5), "0.5s"), (timedelta(seconds=59.5), "59s")],
)
def test_a_late_update_reads_as_late_as_printed(past: timedelta, shown: str | None) -> None:
    """The first update is due at T+5 (the runbook's cadence)."""
    lines = lines_at(timedelta(minutes=1), (WINDOW + past, send("initiating")))
    cadence = lines[CADENCE]
    if shown is None:
        assert "past due" not in cadence.measured, cadence.measured
    else:
        assert f"latest {shown} past due" in cadence.measured, cadence.measured


def test_an_update_overdue_at_the_end_reads_as_overdue_as_printed() -> None:
    """Unresolved at the end, the next update 14m59.5s past due (sent at T+1, the next
    due at T+21 by the 20m cadence, scored at T+35m59.5s)."""
    clock = ManualClock(T0)
    session = drill_session(clock)
    decide(session, clock, timedelta(minutes=1))
    at(session, clock, timedelta(minutes=1), send("initiating"))
    end = T0 + timedelta(minutes=35, seconds=59.5)
    [cadence] = [line for line in score_card(session.state, end).lines if line.name == CADENCE]
    assert "an update 14m59s overdue" in cadence.measured, cadence.measured
