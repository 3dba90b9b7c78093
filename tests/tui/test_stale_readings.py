"""Readings too old to be live say so, in words, with their age.

With probes off (`--no-probes`, here `network=False`) the Production panel shows
the last readings in the record. A manual clock moves on with no new samples: each
row must then read "stale 4m12s" at 80x24, without colour; fresh samples recorded
by another writer make the word go.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from incident import commands
from incident.app.session import IncidentSession
from incident.core.clock import ManualClock
from incident.core.samples import Outcome, Sample
from tests.scenario_copies import scenario_copy
from tests.tui.pilot_helpers import coordinator_on, scenario_app, wait_for_screen, wait_until
from tests.tui.screen_text import screen_lines
from tui.app.app import LastGoodApp
from tui.app.screens.incident import IncidentScreen

PROBES = ("health", "version", "error-rate")


def probe_rows(app: LastGoodApp) -> list[str] | None:
    """Each probe's row, found by its name's first cells: at 80 columns a failing row
    cuts the name to keep its value and age (`tui.app.widgets.probe_rows.fitted_status`).
    None while a row is not found: in the frame where the panel grows by its who-polls
    line, it may draw its rows a cell narrower and cut a name further."""
    lines = screen_lines(app)
    marked = [line for line in lines if "● " in line or "✖ " in line]
    rows = [next((line for line in marked if f" {name[:5]}" in line), None) for name in PROBES]
    return None if None in rows else [row for row in rows if row is not None]


def every_row_says(app: LastGoodApp, words: str) -> bool:
    rows = probe_rows(app)
    return rows is not None and all(words in row for row in rows)


def no_row_says(app: LastGoodApp, words: str) -> bool:
    rows = probe_rows(app)
    return rows is not None and not any(words in row for row in rows)


async def test_old_readings_are_marked_stale_with_their_age(tmp_path: Path) -> None:
    scenario = scenario_copy("declared", tmp_path / "stale.db")
    clock = scenario.clock
    assert isinstance(clock, ManualClock)
    app = scenario_app(scenario)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        screen = app.screen
        assert isinstance(screen, IncidentScreen)
        latest = max(s[-1].at for s in screen.state.samples.values())
        assert no_row_says(app, "stale")

        clock.set(latest + timedelta(minutes=4, seconds=12))
        await wait_until(pilot, lambda: every_row_says(app, "stale 4m12s"))
        assert "3 stale" in " ".join(screen_lines(app))

        # Another writer records fresh samples: the word goes, row by row.
        now = clock.now()
        fresh = [Sample(name, now, Outcome.OK, 10.0, 200, text="ok") for name in PROBES]
        IncidentSession(scenario.log, scenario.incident_id, clock).run_many(
            lambda s: commands.record_samples(s, fresh, actor="monitor", clock=clock)
        )
        await wait_until(pilot, lambda: no_row_says(app, "stale"))


async def test_after_the_close_readings_stay_as_they_were_at_it(tmp_path: Path) -> None:
    """Polling ends with the incident: a reading went on going stale after the close
    (`stale 7s`, then `stale 14s`, every probe counted stale), which read as a fault to
    watch (a fresh user's review). The rows are aged as at the close."""
    scenario = scenario_copy("declared", tmp_path / "closed.db")
    clock = scenario.clock
    assert isinstance(clock, ManualClock)
    async with coordinator_on(scenario, size=(80, 24)) as (app, pilot, screen):
        assert no_row_says(app, "stale")
        closed_at = clock.now()  # the readings fresh
        IncidentSession(scenario.log, scenario.incident_id, clock).run(
            lambda s: commands.close(s, actor="bo", clock=clock, force=True, reason="over")
        )
        await wait_until(pilot, lambda: screen.state.is_closed)

        clock.set(closed_at + timedelta(minutes=10))
        screen.view.tick()  # a second of the screen's clock, ten minutes on
        await pilot.pause()
        assert no_row_says(app, "stale"), probe_rows(app)
        assert "stale" not in " ".join(screen_lines(app))
