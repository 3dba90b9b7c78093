"""The replay screen: the same widgets as live, moved by recorded time, read-only."""

from __future__ import annotations

from datetime import timedelta

import pytest

from store.sqlite_log import SqliteEventLog
from tests.scenario_copies import scenario_copy
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tui.app.modals import TextPrompt
from tui.app.replay_app import ReplayApp
from tui.app.screens.replay import ReplayScreen
from tui.app.widgets.checklist import Checklist
from tui.app.widgets.health import HealthPanel
from tui.app.widgets.timeline import Timeline
from tui.demo.scenarios import SCENARIO_ID


@pytest.fixture(scope="module")
def events(tmp_path_factory):
    scenario = scenario_copy("closed", tmp_path_factory.mktemp("replay") / "closed.db")
    recorded = scenario.log.events(SCENARIO_ID)
    scenario.log.close()
    return recorded


def replay_at(events, offset: timedelta) -> ReplayApp:
    return ReplayApp(events, playing=False, start_offset=offset)


@pytest.mark.parametrize(
    "offset",
    [timedelta(seconds=30), timedelta(minutes=12, seconds=5), timedelta(minutes=40)],
    ids=["T+00:30", "T+12:05", "end"],
)
def test_replay_snapshots(snap_compare, events, offset):
    assert snap_compare(replay_at(events, offset), terminal_size=(120, 40))


async def test_keys_pause_step_jump_and_rewind(events):
    app = replay_at(events, timedelta(0))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, ReplayScreen)
        screen = app.screen
        # T+0: the declaration and the two steps it did (its commander and channel)
        assert screen.replay.replayer.position == 3
        await pilot.press("n")
        await wait_until(pilot, lambda: screen.replay.replayer.position == 4)
        await pilot.press("g")
        await wait_for_screen(pilot, TextPrompt)
        app.screen.query_one("Input").value = "T+12:05"
        await pilot.press("enter")
        await wait_for_screen(pilot, ReplayScreen)
        await wait_until(pilot, lambda: screen.state.steps["app-rollback-blue-green"].done)
        assert not screen.state.steps["notify-stakeholders"].done
        rows_then = screen.query_one(Timeline).row_count
        screen.seek_offset(timedelta(seconds=50))  # backwards: the timeline is rebuilt
        await pilot.pause()
        assert screen.query_one(Timeline).row_count < rows_then
        assert not screen.state.steps["decide-rollback"].done
        await pilot.press("plus", "plus")
        assert screen.speed == 4
        await pilot.press("space")
        assert screen.playing
        await wait_until(
            pilot,
            lambda: screen.replay.clock.now() > screen.state.started_at + timedelta(minutes=1),
        )
        # no recording keys in a replay
        assert "check" not in {b.action for b in ReplayScreen.BINDINGS}
        assert screen.query_one(Checklist) is not None


def test_replay_from_a_read_only_snapshot_open(tmp_path):
    scenario = scenario_copy("closed", tmp_path / "r.db")
    scenario.log.close()
    path = tmp_path / "r.db"
    before = path.read_bytes()
    with SqliteEventLog.open(path, read_only=True, snapshot=True) as log:
        events = log.events(SCENARIO_ID)
    # Played to its end from two minutes before it: the whole record at 128x took 16 s
    # of the suite, redrawing ten times a second, for what the last events show as well.
    near_the_end = events[-1].at - events[0].at - timedelta(minutes=2)
    app = ReplayApp(events, playing=True, speed=128, start_offset=near_the_end)

    async def play() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_until(pilot, lambda: not app.screen.playing, timeout=30)

    import asyncio

    asyncio.run(play())
    assert path.read_bytes() == before
    assert not path.with_name("r.db-wal").exists()


async def test_the_cli_replays_from_the_file_as_from_a_list(tmp_path):
    """`lastgood replay` builds the screen on a `Recording` (the events stay in the file);
    at the same moment it shows what a replay of the events read into a list shows."""
    from tui.cli.arguments import Arguments
    from tui.cli.context import open_log
    from tui.cli.reading import replay_recording

    path = tmp_path / "r.db"
    scenario = scenario_copy("closed", path)
    listed = scenario.log.events(SCENARIO_ID)
    scenario.log.close()
    args = Arguments(db=str(path))
    offset = timedelta(minutes=12, seconds=5)
    with open_log(args, read_only=True, snapshot=True) as log:
        recording, report = replay_recording(log, SCENARIO_ID)
        assert report.ok and report.count == len(listed)
        assert type(recording).__name__ == "Recording"
        shown = []
        for app in (
            ReplayApp(recording, playing=False, start_offset=offset),
            replay_at(listed, offset),
        ):
            async with app.run_test(size=(120, 40)) as pilot:
                await wait_for_screen(pilot, ReplayScreen)
                screen = app.screen
                await wait_until(
                    pilot, lambda screen=screen: screen.query_one(Timeline).row_count > 0
                )
                shown.append(
                    (
                        screen.replay.replayer.position,
                        screen.state,
                        [
                            event.seq
                            for event in screen.replay.visible_events()
                            if event.kind != "probe.samples"  # a timeline does not list them
                        ],
                        screen.query_one(Timeline).row_count,
                    )
                )
    assert shown[0] == shown[1]
    assert shown[0][0] < len(listed)


def _panel_rows(screen: ReplayScreen) -> tuple[str, list[str]]:
    """The Production panel as drawn: its border's count and each probe's row."""
    panel = screen.query_one(HealthPanel)
    return str(panel.border_subtitle), [
        panel.render_line(y).text.rstrip() for y in range(len(panel.probes))
    ]


@pytest.mark.parametrize("source", ["recording", "list"])
@pytest.mark.parametrize(
    "opened_at", [timedelta(0), timedelta(seconds=20)], ids=["from-the-start", "from-T+00:20"]
)
async def test_end_shows_the_readings_and_the_phase_as_they_stood_at_the_close(
    tmp_path, source, opened_at
):
    """`End` of a closed incident: the readings as they stood at the close, under a
    count that agrees with them, and the checklist on close-out, where the coordinator
    was. From a `Recording` (as `lastgood replay` reads it) the move to the close, an
    event after the last tick, left the rows as they were where it came from: `no
    reading recorded yet` from the start, or OK rows under `1 of 3 failing` from T+00:20;
    both ways the checklist stayed on phase 1."""
    from tui.cli.arguments import Arguments
    from tui.cli.context import open_log
    from tui.cli.reading import replay_recording

    path = tmp_path / "r.db"
    scenario_copy("closed", path).log.close()
    with open_log(Arguments(db=str(path)), read_only=True, snapshot=True) as log:
        recording, _ = replay_recording(log, SCENARIO_ID)
        events = recording if source == "recording" else list(recording)
        app = ReplayApp(events, playing=False, start_offset=opened_at)
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for_screen(pilot, ReplayScreen)
            screen = app.screen
            assert isinstance(screen, ReplayScreen)
            count, rows = _panel_rows(screen)
            if opened_at:
                assert count == "1 of 3 failing"
                assert rows[2].startswith("✖ error-rate FAILING 13.4% > 5.0%")
            else:
                # The scenario's probes are at the bundled runbook's defaults.
                assert count == "3 probes" and all("not polled: default URL" in r for r in rows)
            assert screen.view.phase_id == "decide"
            await pilot.press("end")
            await wait_until(pilot, lambda: screen.state.is_closed)
            count, rows = _panel_rows(screen)
            assert count == "3 probes"
            readings = ["● health     OK ", "● version    2.4.0 ", "● error-rate 0.4% ≤ 5.0% "]
            for row, reading in zip(rows, readings, strict=True):
                assert row.startswith(reading), rows
            assert screen.view.phase_id == "close-out"
