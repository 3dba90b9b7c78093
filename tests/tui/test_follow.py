"""`attach`: a second terminal sees what another process records, within a second."""

from __future__ import annotations

from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import Cli
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tui.app.follow_app import FollowApp
from tui.app.modals import HelpModal
from tui.app.screens.follow import FollowScreen
from tui.app.widgets.timeline import Timeline


async def test_follower_sees_events_written_by_another_process(tmp_path):
    cli = Cli(tmp_path / "live.db", actor="coordinator")
    incident_id = cli.ok(
        "declare", "--title", "Checkout errors", "--severity", "SEV2", "--commander", "Ada"
    ).strip()
    log = SqliteEventLog.open(tmp_path / "live.db", read_only=True)
    app = FollowApp(log, incident_id)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, FollowScreen)
        screen = app.screen
        timeline = screen.query_one(Timeline)
        assert timeline.row_count == 2  # the declaration, and the commander's step it did
        cli.ok("check", incident_id, "assess-severity", "--note", "12% errors")
        cli.ok("note", incident_id, "rolling back now")
        await wait_until(pilot, lambda: timeline.row_count == 4)
        assert screen.state.steps["assess-severity"].done
        assert screen.state.notes[-1].text == "rolling back now"
        # recording keys do nothing here
        before = screen.state.last_seq
        await pilot.press("space", "s", "n", "x")
        await pilot.pause()
        assert screen.state.last_seq == before
        assert isinstance(app.screen, FollowScreen)  # no modal opened either
        await pilot.press("question_mark")
        await wait_for_screen(pilot, HelpModal)
    log.close()
    events = SqliteEventLog.open(tmp_path / "live.db", read_only=True).events(incident_id)
    assert [e.actor for e in events] == ["coordinator"] * 4  # the declaration did a step
