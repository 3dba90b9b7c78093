"""The timeline's rows are one line each; a long name no longer hides their text,
and Enter reads an entry whole."""

from __future__ import annotations

from textual.widgets import Static

from incident import commands
from incident.commands.rules import make_event
from incident.core.events import NewEvent
from incident.core.payloads import TriggerChanged
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


async def test_a_flapping_trigger_is_one_row_that_counts_its_flips(tmp_path):
    """Health failing every ten seconds filled the panel with `Trigger health-failing
    met` and `cleared` rows (a fresh user's review): the flips of one probe trigger in a
    row are one row, which counts them; anything else recorded between ends it."""
    db = tmp_path / "flaps.db"
    scenario = scenario_copy("mid-phase-2", db)
    app = LastGoodApp(
        scenario.log, scenario.runbook, clock=scenario.clock, actor="ada", network=False
    )

    def flip(met: bool) -> NewEvent:
        detail = "3 failed checks in a row (http_status)" if met else "latest check ok"
        change = TriggerChanged("health-failing", met, "probe", "monitor", detail)
        return make_event(screen.state.id, "monitor", scenario.clock, change)

    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        screen = app.screen
        timeline = screen.query_one(Timeline)
        shown, seq = timeline.row_count, screen.state.last_seq
        with SqliteEventLog.open(db) as other:
            other.append([flip(True)])
            other.append([flip(False), flip(True)])
            other.append([flip(False)])
        screen.tick()
        await wait_until(pilot, lambda: timeline.shown_seq == seq + 4)
        await pilot.pause()
        assert timeline.row_count == shown + 1
        assert row_text(timeline, shown).startswith(" T+12:05  monitor  Trigger health-failing cl")
        _, _, what = timeline.get_row_at(shown)
        assert str(what) == (
            "Trigger health-failing cleared "
            "(flapping: met 2, cleared 2 times since T+12:05): latest check ok"
        )

        with SqliteEventLog.open(db) as other:
            note = commands.add_note(screen.state, "rolled back", actor="ada", clock=scenario.clock)
            other.append([note, flip(True)])
        screen.tick()
        await wait_until(pilot, lambda: timeline.shown_seq == seq + 6)
        await pilot.pause()
        assert timeline.row_count == shown + 3  # the note ended the fold: a row of its own
        assert str(timeline.get_row_at(shown + 1)[2]) == "Note: rolled back"
        assert str(timeline.get_row_at(shown + 2)[2]).startswith("Trigger health-failing met: 3")
