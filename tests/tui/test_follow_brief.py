"""The follow view (`attach`, and `serve`'s browser view) shows the handoff brief too.

An incident commander following from a phone (ux_review13 #7) pressed `i` in attach
and nothing happened; the palette answered `brief` with "No matches found"; help
listed the phase keys, moving and quitting. Roles, the decisions and why, and the
last message were on the coordinator's `i` alone, in a TUI that records.

Here the real follow app on a real SQLite file (read-only), the record written by
the scenario: `i`, the palette's "Handoff brief" and help show the coordinator's
dialog with `lastgood brief`'s lines, and nothing typed in it records anything.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from incident.reports.brief import brief_lines
from store.sqlite_log import SqliteEventLog
from tests.scenario_copies import scenario_copy
from tests.tui.pilot_helpers import from_palette, wait_for_screen
from tests.tui.screen_text import screen_lines
from tui.app.follow_app import FollowApp
from tui.app.modals import HelpModal
from tui.app.modals.brief import BriefModal
from tui.app.screens.follow import FollowScreen

READING = frozenset(
    {
        "cancel",
        "leave",
        "help",
        "quit",
        "command_palette",
        "copy_text",
        "focus_next",
        "focus_previous",
        "stakeholders",
    }
)
"""What a key in the brief over the follow view may do besides scrolling: close it,
help, the palette, copy, move the focus, quit (ctrl+c leaves, as Escape), turn to the
words for stakeholders and back (`s`). None of them records."""


def only_reads(action: str) -> bool:
    name = action.removeprefix("app.").removeprefix("screen.").split("(")[0]
    return name in READING or name.startswith(("scroll_", "page_"))


async def test_i_the_palette_and_help_show_the_brief_in_the_follow_view(tmp_path: Path) -> None:
    scenario = scenario_copy("mid-phase-2", tmp_path / "follow.db")
    scenario.log.close()
    with SqliteEventLog.open(tmp_path / "follow.db", read_only=True) as log:
        app = FollowApp(log, scenario.incident_id, clock=scenario.clock)
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_for_screen(pilot, FollowScreen)
            screen = app.screen
            assert isinstance(screen, FollowScreen)
            assert "i Handoff brief" in screen_lines(app)[-1]  # in the footer

            await pilot.press("i")
            await wait_for_screen(pilot, BriefModal)
            brief = app.screen
            assert isinstance(brief, BriefModal)
            assert brief.lines == brief_lines(screen.state, scenario.clock.now())
            shown = str(brief.query_one("#brief-text", Static).render())  # wrapped at 100
            assert any(line.startswith("Roles: ") for line in shown.splitlines())
            assert "approved decide-rollback (Ada Lovelace" in shown  # the decision, and why
            await pilot.press("i")  # the same key closes it
            await wait_for_screen(pilot, FollowScreen)

            await from_palette(pilot, "Handoff brief")
            await wait_for_screen(pilot, BriefModal)
            brief = app.screen
            # It only reads: no key in it records, and the record takes no write here.
            actions = {active.binding.action for active in brief.active_bindings.values()}
            assert "cancel" in actions
            assert all(map(only_reads, actions)), sorted(actions)
            before = screen.state.last_seq
            await pilot.press("space", "d", "s", "enter", "ctrl+s")
            assert app.screen is brief
            await pilot.press("escape")
            await wait_for_screen(pilot, FollowScreen)
            assert screen.state.last_seq == before

            await pilot.press("question_mark")
            await wait_for_screen(pilot, HelpModal)
            help_modal = app.screen
            assert isinstance(help_modal, HelpModal)
            rows = [row for _, rows in help_modal.sections for row in rows]
            assert ("i", "Handoff brief") in rows
    with SqliteEventLog.open(tmp_path / "follow.db", read_only=True) as log:
        assert log.events(scenario.incident_id)[-1].seq == before
