"""The coordinator's header says whose name the screen records under: `as Bo`.

A screen started without `--as` took git's user.name and said so nowhere: the first
sign was a timeline row under a bot's name (ux_review6 finding 8). The real app at
80x24 on a real SQLite file, read as the terminal shows it; the bar's fitting, at
the widths where the title and the commander give way.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from incident.core.state import fold
from tests.scenario_copies import scenario_copy
from tests.tui.pilot_helpers import scenario_app, wait_for_screen
from tests.tui.screen_text import screen_lines
from tui.app.screens.incident import IncidentScreen
from tui.app.widgets.incident_bar import NAME_CELLS, fitted


@pytest.mark.parametrize(
    ("actor", "shown"),
    [
        ("Bo", "IC Ada Lovelace · as Bo  ·  "),
        ("Seed 662 deploy bot", "IC Ada Lovelace · as Seed 662 de…"),
    ],
)
async def test_the_header_names_who_the_screen_records_as(
    tmp_path: Path, actor: str, shown: str
) -> None:
    scenario = scenario_copy("mid-phase-2", tmp_path / "as.db")
    app = scenario_app(scenario, actor=actor)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        header = screen_lines(app)[0]
        assert shown in header, header
        assert (scenario.incident_id in header) == (actor == "Bo"), header  # the id gave way


@pytest.mark.parametrize("width", [72, 78, 100])
def test_the_name_stays_when_the_title_and_the_id_give_way(tmp_path: Path, width: int) -> None:
    scenario = scenario_copy("closed", tmp_path / "closed.db")
    state = fold(scenario.log.events(scenario.incident_id))
    state.title = "Checkout errors after 2.4.1 for every customer paying by card"
    line = fitted(state, scenario.clock.now(), width, recording_as="Bo").plain
    assert len(line) <= width
    for part in ("IC Ada", "as Bo", "CLOSED"):
        assert part in line, (part, line)
    assert (state.id in line) == (width >= 100), line
    if width >= 78:  # a long name, cut, where the bar has room for it
        long = fitted(state, scenario.clock.now(), width, recording_as="x" * 40).plain
        assert f"as {'x' * (NAME_CELLS - 1)}…" in long, long
