"""A drill closed by force says, on its card, what it left undone and why.

Drill B of a fresh user's review was closed by force ("drill over, out of time")
with four required close-out steps open and stakeholders never told the service was
restored; the card said nothing of it. The forced close is said beside the lines (in
`score`, `--json` and the TUI's card), not scored: the lines already judge each phase.
"""

from __future__ import annotations

from incident import commands
from incident.core.clock import ManualClock
from incident.reports.drill_score import score_card, score_data, score_text
from tests.conftest import T0
from tests.drill_walk import ACTOR, at, check, drill_session


def test_a_forced_close_names_the_steps_it_left_open_and_why() -> None:
    clock = ManualClock(T0)
    session = drill_session(clock)
    at(session, clock, 1, check("assess-severity"))
    at(
        session,
        clock,
        5.5,
        lambda s, c: commands.close(s, actor=ACTOR, clock=c, force=True, reason="out of time"),
    )
    state = session.state
    left = state.open_required_steps()
    assert len(left) > 2
    card = score_card(state, clock.now())
    said = f"closed by force at T+05:30 (out of time); {len(left)} required steps left open: "
    more = f" and {len(left) - 5} more" if len(left) > 5 else ""
    assert card.forced == said + ", ".join(left[:5]) + more
    assert score_text(card).splitlines()[-1] == f"Forced close: {card.forced}"
    assert score_data(card)["forced_close"] == card.forced
    assert len(score_text(card).splitlines()) == 2 + len(card.lines) + 1


def test_a_drill_closed_as_done_says_no_more() -> None:
    clock = ManualClock(T0)
    session = drill_session(clock)
    card = score_card(session.state, clock.now())  # still open: nothing forced
    assert card.forced == "" and score_data(card)["forced_close"] is None
    assert not score_text(card).splitlines()[-1].startswith("Forced close")


async def test_the_tuis_card_says_the_forced_close_too() -> None:
    from textual.widgets import Static

    from tests.tui.modal_harness import opened
    from tui.app.modals.score_card import ScoreCardModal

    clock = ManualClock(T0)
    session = drill_session(clock)
    at(
        session,
        clock,
        2,
        lambda s, c: commands.close(s, actor=ACTOR, clock=c, force=True, reason="out of time"),
    )
    card = score_card(session.state, clock.now())
    modal = ScoreCardModal(card)
    async with opened(modal, size=(120, 40)) as (_app, _pilot):
        shown = str(modal.query_one("#score-lines", Static).render())
        assert shown.splitlines()[-1] == f"Forced close: {card.forced}"
