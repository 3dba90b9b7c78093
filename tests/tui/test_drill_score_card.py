"""A drill's score card shows on the coordinator's screen when the drill is closed,
here by another writer (a second terminal's `lastgood close`), with `score`'s lines."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from textual.widgets import Static

from incident import commands
from incident.app.session import IncidentSession
from incident.reports.drill_score import score_card, score_text
from store.sqlite_log import SqliteEventLog
from tests.tui.pilot_helpers import wait_for_screen
from tui.app.app import LastGoodApp
from tui.app.modals.score_card import ScoreCardModal
from tui.app.screens.incident import IncidentScreen
from tui.demo.scenarios import ACTOR, DECLARATION, SCENARIO_ID, closing


async def test_closing_a_drill_shows_its_score_card(tmp_path: Path) -> None:
    db = tmp_path / "drill.db"
    scenario = closing(db, replace(DECLARATION, drill="irreversible-migration"))
    app = LastGoodApp(
        scenario.log,
        None,
        clock=scenario.clock,
        actor=ACTOR,
        incident_id=SCENARIO_ID,
        poll_probes=False,
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        with SqliteEventLog.open(db) as other:
            elsewhere = IncidentSession(other, SCENARIO_ID, scenario.clock)
            elsewhere.run(lambda s: commands.close(s, actor="Bo", clock=scenario.clock))
            expected = score_text(score_card(elsewhere.state, scenario.clock.now()))
        await wait_for_screen(pilot, ScoreCardModal)  # the screen's tick read the close
        modal = app.screen
        head = str(modal.query_one("#score-head", Static).render())
        total = str(modal.query_one("#score-total", Static).render())
        lines = str(modal.query_one("#score-lines", Static).render()).splitlines()
        head_line, total_line, *card_lines = expected.splitlines()
        assert head == head_line
        assert head.endswith(
            "(closed): A release with an irreversible migration [irreversible-migration]"
        )
        assert total == total_line == "Score: 7 of 8 met"
        assert [line[2:] for line in lines] == card_lines
        assert lines[0] == (
            "✗ Phase 1 Decision and Communication: done at T+12:16 of its T+0-5m window "
            "(7m16s over) - late"
        )
        assert any(line.startswith("✓ Database tier: none fits the fault") for line in lines)
        await pilot.press("q")
        await wait_for_screen(pilot, IncidentScreen)
