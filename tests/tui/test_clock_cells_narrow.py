"""The phase clocks at 60 columns: whole words and whole numbers, never cut mid-way.

At 60x20 a phase cell holds eight cells of text: upcoming countdowns lost their
seconds mid-number (`in 11m3…`, which reads as eleven minutes and thirty), the states
their second word (`✖ OVERD…`, `⚠ DUE S…`). Now a countdown drops its seconds
(`23m left`) and a state takes its short word (`⚠ DUE`) where the long one does not
fit; at 80 columns they read as before. A cell holds nine since its right padding went
(the strip's margin parts the cells): `✖ OVERDUE` and `in 10m34s` fit whole.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.tui.coordinator_harness import coordinator
from tests.tui.pilot_helpers import wait_until
from tests.tui.screen_text import screen_lines
from tui.app.app import LastGoodApp
from tui.app.widgets.phase_strip import SHORT_WORDS, STATE_WORDS, PhaseCell, fitting, minutes

TIME = re.compile(r"(in |\+)?\d+(h\d\dm|m(\d\ds)?|s)( left| late)?|on time|none( checked)?")


def cells_shown(app: LastGoodApp) -> list[tuple[str, str]]:
    """Each phase cell's state row and time row, as the terminal shows them."""
    lines = screen_lines(app)
    shown = []
    for cell in app.screen.query(PhaseCell):
        box = cell.content_region
        state, time = (lines[y][box.x : box.right].strip() for y in (box.y + 1, box.y + 2))
        shown.append((state, time))
    return shown


@pytest.mark.parametrize(
    ("seconds", "states", "times"),
    [
        # Close-out has no window (the guide's "once the service is stable"): no
        # countdown to it, only its state until its turn.
        (266, {"⚠ DUE", "· AHEAD"}, ["34s left", "in 34s", "in 10m34s", ""]),
        # Phase 2's window open, nothing of it started: due, not active (ux_review13 #6).
        (363, {"✖ OVERDUE", "· DUE", "· AHEAD"}, ["+1m03s", "23m left", "in 8m57s", ""]),
    ],
    ids=["due-soon", "overdue"],
)
async def test_at_60_columns_a_clock_is_never_cut(
    tmp_path: Path, seconds: int, states: set[str], times: list[str]
) -> None:
    opened = coordinator(tmp_path / "clocks.db", size=(60, 20), decided=True)
    async with opened as (app, pilot, _screen):
        app.clock.advance(seconds)  # T+4:26 (34 s left in phase 1), T+6:03 (1m03s over)
        at = f"T+{seconds // 60:02d}:{seconds % 60:02d}"
        await wait_until(pilot, lambda: screen_lines(app)[0].lstrip().startswith(at))
        assert {s for s, _ in cells_shown(app)} == states, cells_shown(app)
        for state, time in cells_shown(app):
            assert "…" not in state + time, cells_shown(app)
            assert state in {*STATE_WORDS.values(), *SHORT_WORDS.values()}, state
            assert TIME.fullmatch(time) or time == "", (time, cells_shown(app))
        assert [time for _, time in cells_shown(app)] == times  # `23m57s left`: too long


async def test_at_80_columns_the_clocks_read_in_full(tmp_path: Path) -> None:
    async with coordinator(tmp_path / "clocks.db", decided=True) as (app, pilot, _screen):
        app.clock.advance(266)
        await wait_until(pilot, lambda: cells_shown(app)[0][0] == "⚠ DUE SOON")
        assert cells_shown(app)[:3] == [
            ("⚠ DUE SOON", "34s left"),
            ("· UPCOMING", "in 34s"),
            ("· UPCOMING", "in 10m34s"),
        ]


def test_the_forms_fall_back_whole() -> None:
    assert minutes("11m03s") == "11m" and minutes("45s") == "45s" and minutes("1h02m") == "1h02m"
    forms = ("in 11m03s", "in 11m", "11m")
    assert [fitting(forms, width) for width in (0, 9, 8, 6, 3, 2)] == [
        "in 11m03s",
        "in 11m03s",
        "in 11m",
        "in 11m",
        "11m",
        "11m",
    ]
