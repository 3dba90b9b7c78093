"""The Production panel in a small terminal and without colour.

When a row is short of room the sparkline goes first, then the baseline and the
latency, then the name's padding and length; the state word (FAILING) and the value
stay. At 60 columns the panel kept `✖ error-rate… ▄▁▄▄█▄`, a sparkline and no state;
at 80x24 it cut the version's comparison (`✖ version FAILING 2.4.1 (…`). The release
being rolled back reads `● version 2.4.1 (last good 2.4.0)` until the rollback is
carried out (`tests/test_version_expected.py`); a version that is neither fails at
any time, which is how these tests make a failing version row.

Under NO_COLOR the failing rows' style never applied (`App:nocolor HealthPanel ...` in
DEFAULT_CSS is scoped under HealthPanel and matches nothing): they came out grey on
black, 2.63:1, dimmer than the healthy ones; the title and subtitle 1.24:1.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from incident import commands
from incident.app.session import IncidentSession
from incident.core.samples import Outcome, Sample
from tests.scenario_copies import scenario_copy
from tests.tui.contrast import (
    READS,
    TERMINALS,
    cells_with,
    contrast_of,
    depths,
    incident_at,
    row_text,
    widget_cells,
    worst,
)
from tests.tui.pilot_helpers import scenario_app, wait_for_screen, wait_until
from tui.app.app import LastGoodApp
from tui.app.screens.incident import IncidentScreen
from tui.app.widgets.health import HealthPanel
from tui.app.widgets.probe_rows import FAILING, SPARK_BARS


def panel_rows(app: LastGoodApp) -> list[str]:
    return [row_text(row) for row in widget_cells(app, app.screen.query_one(HealthPanel))]


def row_of(rows: list[str], mark: str, name_start: str) -> str:
    found = [row for row in rows if f"{mark} {name_start}" in row]
    assert found, "\n".join(rows)
    return found[0]


async def test_at_60_columns_a_failing_row_keeps_its_state_and_value(tmp_path: Path) -> None:
    async with incident_at(tmp_path, "declared", size=(60, 20)) as (app, _):
        rows = panel_rows(app)
        version = row_of(rows, "●", "ver")
        assert "2.4.1" in version
        error_rate = row_of(rows, "✖", "err")
        assert f"{FAILING} 13.1%" in error_rate
        healthy = row_of(rows, "●", "health")
        assert "OK" in healthy
        for row in (version, error_rate):
            assert not any(bar in row for bar in SPARK_BARS), row  # the sparkline went first


async def test_at_80x24_the_comparison_is_whole(tmp_path: Path) -> None:
    async with incident_at(tmp_path, "declared", size=(80, 24)) as (app, _):
        rows = panel_rows(app)
        assert "● version 2.4.1 (last good 2.4.0)" in " ".join(row_of(rows, "●", "ver").split())
        assert f"✖ error-rate {FAILING} 13.1% > 5.0%" in row_of(rows, "✖", "error-rate")
        healthy = row_of(rows, "●", "health")
        assert "OK" in healthy and any(bar in healthy for bar in SPARK_BARS)  # room for it


async def test_at_80x24_a_failing_version_keeps_its_comparison(tmp_path: Path) -> None:
    scenario = scenario_copy("declared", tmp_path / "declared.db")
    clock = scenario.clock
    app = scenario_app(scenario)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        unknown = Sample("version", clock.now(), Outcome.OK, 4.0, 200, text="2.3.9")
        IncidentSession(scenario.log, scenario.incident_id, clock).run_many(
            lambda s: commands.record_samples(s, [unknown], actor="monitor", clock=clock)
        )
        await wait_until(pilot, lambda: any("✖ ver" in row for row in panel_rows(app)))
        row = row_of(panel_rows(app), "✖", "ver")
        assert f"✖ version {FAILING} 2.3.9 (want 2.4.0)" in row, row


async def test_at_80x24_a_failing_status_is_said_once_and_the_name_kept(tmp_path: Path) -> None:
    """A health check answering 503 read `✖ hea… FAILING HTTP 503 HTTP 503 (e…`: the
    class and the detail both said "HTTP 503", and the name was cut to make room for
    them. The status is said once, and the detail gives way before the name."""
    scenario = scenario_copy("declared", tmp_path / "declared.db")
    clock = scenario.clock
    app = scenario_app(scenario)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        failed = Sample(
            "health", clock.now(), Outcome.HTTP_STATUS, 12.0, 503, detail="HTTP 503 (expected 200)"
        )
        IncidentSession(scenario.log, scenario.incident_id, clock).run_many(
            lambda s: commands.record_samples(s, [failed], actor="monitor", clock=clock)
        )
        await wait_until(pilot, lambda: any("✖ hea" in row for row in panel_rows(app)))
        row = row_of(panel_rows(app), "✖", "hea")
        assert f"✖ health     {FAILING} HTTP 503" in row, row
        assert row.count("503") == 1, row


async def test_at_120x40_the_rows_are_whole(tmp_path: Path) -> None:
    async with incident_at(tmp_path, "declared", size=(120, 40)) as (app, _):
        rows = panel_rows(app)
        version = row_of(rows, "●", "version")
        assert "● version    2.4.1 (last good 2.4.0)" in version
        assert "ms" in version and any(bar in version for bar in SPARK_BARS)


@pytest.mark.parametrize("terminal", TERMINALS, indirect=True)
async def test_the_production_panel_reads(tmp_path: Path, terminal: str) -> None:
    """The title, the subtitle and every row reach 4.5:1; under NO_COLOR a failing row
    is bold and reads at least as well as a healthy one."""
    async with incident_at(tmp_path, "declared") as (app, _):
        rows = widget_cells(app, app.screen.query_one(HealthPanel))
        for words in ("Production", "1 of 3 failing", "● health", "● version", "✖ error-rate"):
            measured = worst(cells_with(rows, words), depths(terminal))
            assert measured >= READS, f"{words!r} at {measured:.2f}:1"
        if terminal != "no-color":
            return
        healthy = cells_with(rows, "● health")
        failing = cells_with(rows, "✖ error-rate")
        assert all(cell.style.bold for cell in failing)
        for depth in depths(terminal):
            assert contrast_of(failing, depth) >= contrast_of(healthy, depth)
