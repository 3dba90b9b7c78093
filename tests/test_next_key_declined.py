"""The guidance on a message step whose due message was declined says what is left.

Declining the announcement (`m`, ctrl+d, a reason) left its required step saying
"Press c: compose and send the message; sending checks this", though the coordinator
had just decided not to send it (a fresh user's review); the close then listed it
among the required steps still open. The step now says it was declined, and `s`
opens the skip with the decline's reason in it.
"""

from __future__ import annotations

from datetime import timedelta

from incident import commands
from incident.app.next_key import next_key
from incident.core.clock import ManualClock
from tests.conftest import T0
from tests.drill_walk import ACTOR, at, check, drill_session


def test_a_declined_message_leaves_its_step_to_be_skipped() -> None:
    clock = ManualClock(T0)
    session = drill_session(clock)
    at(
        session,
        clock,
        1,
        lambda s, c: commands.approve(
            s, "decide-rollback", by=ACTOR, reason="errors", actor=ACTOR, clock=c
        ),
    )
    at(session, clock, 1, check("decide-rollback"))
    before = next_key(session.state, "announce-rollback", clock.now())
    assert before is not None and before.key == "m"  # due: review it and send it

    clock.advance(12)
    session.run(
        lambda s: commands.decline(s, "announce", "said at the stand-up", actor=ACTOR, clock=clock)
    )
    hint = next_key(session.state, "announce-rollback", clock.now() + timedelta(minutes=3))
    assert hint is not None
    assert (hint.key, hint.what) == (
        "s",
        "its message was declined at T+01:12: skip it, or c sends it after all",
    )
    assert hint.values_for("skip") == {"reason": "message declined: said at the stand-up"}
