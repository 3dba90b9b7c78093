"""The drill's cadence line: each message against the update it was due by, and a
once-per-incident message sent again counted as no update."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from incident import commands
from incident.core.clock import ManualClock
from incident.core.state import IncidentState
from incident.reports.drill_score import cadence_tally, score_card, score_text
from tests.conftest import T0
from tests.drill_walk import at, drill_session, send


@settings(max_examples=60)
@given(gaps=st.lists(st.integers(min_value=1, max_value=60 * 40), max_size=8))
def test_cadence_counts_each_message_against_the_update_it_was_due_by(gaps: list[int]) -> None:
    """Against a model: message k is late when it comes after the previous one (or the
    declaration) by more than the cadence allows."""
    clock = ManualClock(T0)
    session = drill_session(clock)
    first, every = 5 * 60, 20 * 60
    seconds = 0
    late = 0
    for index, gap in enumerate(gaps):
        seconds += gap
        late += gap > (first if index == 0 else every)
        at(session, clock, seconds / 60, send("update"))
    tally = cadence_tally(session.state, clock.now())
    assert (tally.sent, tally.late) == (len(gaps), late)


def test_a_once_per_incident_message_sent_again_is_no_update_and_is_called_out(
    clock: ManualClock,
) -> None:
    """Two terminals both sent the announcement, then `send` a third time (a review):
    the score read "6 of 6 on time" and the report "None found". A repeat is no
    stakeholder update, and the report says it went out again."""
    from incident.reports.analysis import inconsistencies

    def by_bo(s: IncidentState, c: ManualClock) -> Any:
        return commands.send_communication(s, actor="Bo", clock=c, template="announce")

    session = drill_session(clock)
    at(session, clock, 1.2, send("announce"))
    at(session, clock, 1.21, by_bo)
    at(session, clock, 1.3, send("paging"))
    at(session, clock, 1.5, send("announce"))
    card = score_card(session.state, clock.now())
    # The first announcement only: the page goes to the responders, not stakeholders.
    assert "Messages on cadence: 1 of 1 on time" in score_text(card)
    events = session.log.events(session.state.id)
    found = [i.text for i in inconsistencies(session.state, events)]
    assert found == [
        "The announce message, due once per incident, was sent again by Bo: stakeholders "
        "got it twice (first sent by Ada at T+01:12).",
        "The announce message, due once per incident, was sent again by Ada: stakeholders "
        "got it 3 times (first sent by Ada at T+01:12).",
    ]


def test_a_repeat_does_not_move_the_next_update(clock: ManualClock) -> None:
    from incident.core.phase_clocks import next_update_due

    session = drill_session(clock)
    at(session, clock, 1.0, send("announce"))
    due = next_update_due(session.state)
    at(session, clock, 3.0, send("announce"))
    assert next_update_due(session.state) == due == T0 + timedelta(minutes=21)
    at(session, clock, 4.0, send("update"))
    assert next_update_due(session.state) == T0 + timedelta(minutes=24)
