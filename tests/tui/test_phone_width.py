"""At a phone's width the incident view is one column, Production on top.

The commander following from a phone (SSH at 46x22, serve's page at 40 columns) saw
the checklist keep its 36 columns and Production squeezed to 10 (`✖ err…`) or 4 (an
empty box), the guidance broken inside its words (`Asses` / `s`): ux_review13 #1.
Under `STACKED_BELOW` columns the view is one column: Production, whole, then the
phase's checklist with the step being worked in in view, then the guidance, wrapped
at words. The coordinator's screen composes the same view and follows the same rule.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from textual.app import App
from textual.pilot import Pilot

from store.sqlite_log import SqliteEventLog
from tests.scenario_copies import scenario_copy
from tests.tui.contrast import row_text, widget_cells
from tests.tui.pilot_helpers import scenario_app, wait_for_screen, wait_until
from tests.tui.screen_text import screen_lines
from tui.app.follow_app import FollowApp
from tui.app.plain import STACKED_BELOW
from tui.app.screens.follow import FollowScreen
from tui.app.screens.incident import IncidentScreen
from tui.app.widgets.checklist import Checklist
from tui.app.widgets.guidance import Guidance
from tui.app.widgets.health import HealthPanel
from tui.demo.scenarios import SCENARIO_ID

PHONE = [(46, 22), (40, 35)]
"""SSH on a phone held upright; serve's page on a phone (textual.js at 16 px)."""

ROWS = (
    "● health     OK",
    "● version    2.4.1 (last good 2.4.0)",
    "✖ error-rate FAILING 13.1% > 5.0%",
)
"""The declared scenario's probes: each row's state, value and what it is compared to."""


@asynccontextmanager
async def following(tmp_path: Path, size: tuple[int, int]) -> AsyncIterator[Pilot[None]]:
    """`lastgood attach` on the declared scenario (the error rate failing), on its clock."""
    scenario = scenario_copy("declared", tmp_path / "live.db")
    scenario.log.close()
    with SqliteEventLog.open(tmp_path / "live.db", read_only=True) as log:
        app = FollowApp(log, SCENARIO_ID, clock=scenario.clock)
        async with app.run_test(size=size) as pilot:
            await wait_for_screen(pilot, FollowScreen)
            yield pilot


def panel_rows(app: App[object]) -> list[str]:
    return [row_text(row) for row in widget_cells(app, app.screen.query_one(HealthPanel))]


async def read_as_one_column(pilot: Pilot[None]) -> None:
    """Production whole and on top, then the checklist, its next step in view, then the
    guidance wrapped at words."""
    app = pilot.app
    panel = app.screen.query_one(HealthPanel)
    checklist = app.screen.query_one(Checklist)
    guidance = app.screen.query_one(Guidance)
    await wait_until(pilot, lambda: all(any(r in row for row in panel_rows(app)) for r in ROWS))
    width = app.size.width
    assert panel.region.width == checklist.region.width == guidance.region.width == width
    assert panel.region.bottom <= checklist.region.y < checklist.region.bottom <= guidance.region.y
    step = checklist.highlighted_step
    assert step is not None
    title = app.screen.state.steps[step].step.title
    shown = "\n".join(row_text(row) for row in widget_cells(app, checklist))
    assert f"› [ ] {title}" in shown, shown
    words = set(guidance._text.plain.split())
    lines = [row_text(row)[2:-2].strip() for row in widget_cells(app, guidance)[1:-1]]
    assert any(lines), screen_lines(app)
    for line in lines:  # never `Asses` / `s`
        assert set(line.split()) <= words, (line, lines)


@pytest.mark.parametrize("size", PHONE, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_attach_at_a_phones_width_shows_production_first(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    async with following(tmp_path, size) as pilot:
        await read_as_one_column(pilot)
        assert pilot.app.screen.has_class("-stacked")


async def test_the_coordinators_screen_at_46_columns_is_one_column_too(tmp_path: Path) -> None:
    app = scenario_app(scenario_copy("declared", tmp_path / "declared.db"))
    async with app.run_test(size=(46, 22)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        await read_as_one_column(pilot)


async def test_from_the_breakpoint_the_columns_are_side_by_side(tmp_path: Path) -> None:
    """At `STACKED_BELOW` columns Production beside the checklist still holds each row's
    state and value (the threshold gives way): two columns, as at 60x20 before."""
    async with following(tmp_path, (STACKED_BELOW, 20)) as pilot:
        app = pilot.app
        panel = app.screen.query_one(HealthPanel)
        checklist = app.screen.query_one(Checklist)
        assert not app.screen.has_class("-stacked")
        assert checklist.region.right <= panel.region.x
        assert checklist.region.width == 36
        await wait_until(pilot, lambda: any("FAILING 13.1%" in r for r in panel_rows(app)))
