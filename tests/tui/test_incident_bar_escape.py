"""The incident bar cuts a long title before an escape, never inside it: a title
holding a bidi override (shown `\\u202e`) ended the bar on `\\u…` at some widths."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from tests.scenario_copies import scenario_copy
from tui.app.widgets.incident_bar import fitted


@pytest.mark.parametrize("width", range(88, 104))  # the cut sweeps across the escape
def test_the_title_keeps_an_escape_whole_or_drops_it(tmp_path: Path, width: int) -> None:
    scenario = scenario_copy("declared", tmp_path / "s.db")
    state = msgspec.structs.replace(
        scenario.session.state, title="Checkout errors after release 2.4.1 \u202e on the EU shop"
    )
    line = fitted(state, scenario.clock.now(), width).plain
    assert len(line) <= width
    title = line.split("  SEV2  ", 1)[1]
    assert "\u202e" not in title
    assert title.count("\\") == title.count("\\u202e"), title  # whole, or not at all
    scenario.log.close()
