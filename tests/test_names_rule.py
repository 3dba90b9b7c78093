"""The one rule for a person's name (`incident.core.names`), where each command calls it.

A name holding a control character is refused where it is typed, saying which and
where; what `visible` keeps (a joiner between two characters beyond ASCII) is part of a
name, and what it shows as a code (a bidi mark, a stray joiner, a Hangul filler) is not.
The fields that took any name (an action item's owner, the post-mortem's attendees, the
team paged) call the same rule; a name already in the record is not checked again.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from incident import commands
from incident.commands import CommandError
from incident.core.names import control_in_name, not_a_person
from tests.hostile import written_before
from tests.test_postmortem import CLOSED_AT, book, closed_an_hour_ago, open_incident


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("Ada\x1b[31mRED", "(␛ at character 4)"),
        ("  Ada\tLovelace ", "(␉ at character 4)"),  # counted once the spaces around go
        ("Ada\nLovelace", "(␊ at character 4)"),
        ("Ada\x9b31m", "(\\x9b at character 4)"),
        ("\u202eAda", "(\\u202e at character 1)"),
        ("Al\u200bice", "(\\u200b at character 3)"),
        ("Ada\U000e0041", "(\\U000e0041 at character 4)"),
        ("Ada\u200d", "(\\u200d at character 4)"),  # a joiner that joins nothing
        ("Ada \u200f", "(\\u200f at character 5)"),  # a bidi mark
        ("A\u200dB", "(\\u200d at character 2)"),
        ("\u3164", "(\\u3164 at character 1)"),  # a Hangul filler: drawn blank
    ],
)
def test_a_control_in_a_name_is_refused_saying_which_and_where(name: str, why: str) -> None:
    expected = f"the name holds a control character {why}: type it as plain text"
    assert not_a_person(name) == expected
    assert control_in_name(name) == expected


def test_joiners_that_join_are_part_of_a_name() -> None:
    for name in ("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", "\U0001f469\u200d\U0001f4bb"):
        assert not_a_person(name) is None and control_in_name(name) is None
    assert control_in_name("you") is None  # a team paged may be anyone's on-call


def test_an_action_items_owner_is_a_person(small_runbook, clock) -> None:
    session = closed_an_hour_ago(small_runbook, clock)
    for owner, said in (("you", "names no one in particular"), ("Bo\x07", "␇ at character 3")):
        with pytest.raises(CommandError, match=said) as refused:
            commands.add_action_item(session.state, "a", owner=owner, actor="ada", clock=clock)
        assert refused.value.needs == ("owner",)
    session.run(lambda s: commands.add_action_item(s, "a", owner="Bo", actor="ada", clock=clock))


def test_the_attendees_given_are_people_and_those_booked_before_stay(small_runbook, clock) -> None:
    session = closed_an_hour_ago(small_runbook, clock)
    at = CLOSED_AT + timedelta(hours=20)
    for attendee, said in (("root", "names no one"), ("Cy\x1b[2J", "␛ at character 3")):
        with pytest.raises(CommandError, match=said) as refused:
            book(session, clock, at, attendees=["Bo", attendee])
        assert refused.value.needs == ("attendees",)
    assert session.state.postmortem is None

    # A booking an older version recorded, with an escape in a name: moving the
    # meeting keeps its attendees, not checked again.
    older = written_before(
        commands.schedule_postmortem(session.state, at, attendees=["Bo"], actor="ada", clock=clock),
        attendees=("Bo", "Cy\x1b[2J"),
    )
    session.run(lambda s: older)
    book(session, clock, at + timedelta(hours=1))
    assert session.state.postmortem is not None
    assert session.state.postmortem.attendees == ("Bo", "Cy\x1b[2J")


def test_a_reviewer_holding_a_control_is_refused_even_after_the_same_name(
    small_runbook, clock
) -> None:
    """`Bo Di,Bo\\nDi` was one reviewer: the second name was passed over as a repeat
    once its spaces were collapsed, and never checked."""
    session = closed_an_hour_ago(small_runbook, clock)
    with pytest.raises(CommandError, match="␊ at character 3") as refused:
        commands.set_report_status(
            session.state, reviewers=["Bo Di", "Bo\nDi"], actor="ada", clock=clock
        )
    assert refused.value.needs == ("reviewers",)


def test_the_team_paged_may_be_anyone_but_holds_no_control(small_runbook, clock) -> None:
    session = open_incident(small_runbook, clock)
    with pytest.raises(CommandError, match=r"who was paged: .*␛ at character 4") as refused:
        commands.record_page(session.state, "ops\x1b]0;x\x07", actor="ada", clock=clock)
    assert refused.value.needs == ("target",)
    session.run(lambda s: commands.record_page(s, "ops", actor="ada", clock=clock))
