"""In the handoff brief, `s` shows the words for stakeholders (ux_review13 #15), over
the coordinator's screen and the follow view alike: the paragraph `lastgood brief ID
--for stakeholders` prints, of the incident on the screen under the dialog, at its
now; `s` again brings the brief back."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Label, Static

from incident.app.params import machine_zone
from incident.app.stakeholder_brief import stakeholder_words
from store.sqlite_log import SqliteEventLog
from tests.scenario_copies import scenario_copy
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tui.app.app import LastGoodApp
from tui.app.follow_app import FollowApp
from tui.app.modals.brief import BriefModal, BriefText
from tui.app.screens.follow import FollowScreen
from tui.app.screens.incident import IncidentScreen


async def test_s_in_the_brief_shows_the_words_for_stakeholders(tmp_path: Path) -> None:
    scenario = scenario_copy("mid-phase-2", tmp_path / "brief.db")
    app = LastGoodApp(
        scenario.log, scenario.runbook, clock=scenario.clock, actor="Ada", network=False
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        screen = app.screen
        assert isinstance(screen, IncidentScreen)
        await pilot.press("i")
        await wait_for_screen(pilot, BriefModal)
        modal = app.screen
        words = modal.query_one("#stakeholder-text", Static)
        await pilot.press("s")
        await wait_until(pilot, lambda: words.display)
        expected = stakeholder_words(screen.state, scenario.clock.now(), machine_zone())
        assert str(words.render()).replace("\n", " ") == expected
        assert words.display and not modal.query_one(BriefText).display
        assert str(modal.query_one(".brief-title", Label).render()) == "Words for stakeholders"
        assert "T+" not in expected and "Production now: " in expected
        await pilot.press("s")
        await wait_until(pilot, lambda: not words.display)
        assert modal.query_one(BriefText).display and not words.display
        await pilot.press("escape")
        await wait_for_screen(pilot, IncidentScreen)


async def test_s_in_the_follow_views_brief_shows_the_same_words(tmp_path: Path) -> None:
    """The follow view (attach, serve's view) opens the same dialog: `s` there reads the
    incident it follows, at its now, and records nothing."""
    scenario = scenario_copy("mid-phase-2", tmp_path / "follow.db")
    scenario.log.close()
    with SqliteEventLog.open(tmp_path / "follow.db", read_only=True) as log:
        app = FollowApp(log, scenario.incident_id, clock=scenario.clock)
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_for_screen(pilot, FollowScreen)
            screen = app.screen
            assert isinstance(screen, FollowScreen)
            await pilot.press("i")
            await wait_for_screen(pilot, BriefModal)
            words = app.screen.query_one("#stakeholder-text", Static)
            await pilot.press("s")
            await wait_until(pilot, lambda: words.display)
            expected = stakeholder_words(screen.state, scenario.clock.now(), machine_zone())
            assert str(words.render()).replace("\n", " ") == expected
            assert expected.startswith("As of ") and "Production now: " in expected
