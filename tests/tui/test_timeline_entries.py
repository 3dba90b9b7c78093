"""The timeline's rows are one line each; a long name no longer hides their text,
and Enter reads an entry whole."""

from __future__ import annotations

from textual.widgets import Static

from incident import commands
from store.sqlite_log import SqliteEventLog
from tests.scenario_copies import scenario_copy
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tui.app.app import LastGoodApp
from tui.app.modals.entry import EntryModal
from tui.app.screens.incident import IncidentScreen
from tui.app.widgets.timeline import MAX_ACTOR_CELLS, Timeline

LONG_NAME = "LongActorName" * 8
NOTE = "the pool is exhausted [bold]x[/] " + "and the replicas lag behind " * 8 + "END"


def row_text(timeline: Timeline, row: int) -> str:
    return timeline.render_line(row - int(timeline.scroll_y)).text


async def test_a_long_name_leaves_the_entry_readable_and_enter_shows_it_whole(tmp_path):
    db = tmp_path / "long.db"
    scenario = scenario_copy("mid-phase-2", db)
    app = LastGoodApp(
        scenario.log, scenario.runbook, clock=scenario.clock, actor="ada", network=False
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        screen = app.screen
        timeline = screen.query_one(Timeline)
        shown = timeline.row_count
        with SqliteEventLog.open(db) as other:
            note = commands.add_note(screen.state, NOTE, actor=LONG_NAME, clock=scenario.clock)
            other.append([note])
        screen.tick()
        await wait_until(pilot, lambda: timeline.row_count == shown + 1)
        await pilot.pause()

        last = row_text(timeline, shown)
        assert "LongAc…" in last  # the name, cut to its column
        assert "Note: the pool is" in last  # and the entry's text beside it
        assert last.index("Note:") - last.index("LongAc") <= MAX_ACTOR_CELLS + len("  ")

        timeline.focus()
        await pilot.press("enter")
        await wait_for_screen(pilot, EntryModal)
        modal = app.screen
        assert str(modal.query_one("#entry-actor", Static).render()) == LONG_NAME
        whole = str(modal.query_one("#entry-text", Static).render())
        assert "[bold]x[/]" in whole and whole.endswith("END")
        await pilot.press("escape")
        await wait_for_screen(pilot, IncidentScreen)
