"""`q Quit` stays in the footer at 80 columns, however many keys come in.

In the last phase with every required step done (`X Close`), a message due (`m`) and
another failed for good (`f`), beside `P Post-mortem`, the footer's row was 85 cells:
keys that do not fit are left out whole, the last first, and the last is `q Quit`.
Quit is the one key a coordinator must always find (everything is already recorded):
it keeps its room, and the key before it is left out instead (`c Compose`, still in
help, the palette and on its key).

`crowded_app` (`test_footer_crowded.py`) is the incident with `P`, `m` and `f`; here its
other steps are done too, so `X` joins them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets._footer import FooterKey

from tests.tui.due_harness import RUNBOOK
from tests.tui.pilot_helpers import wait_until
from tests.tui.screen_text import screen_lines
from tests.tui.test_footer_crowded import crowded, crowded_app, footer_keys
from tui.app.app import LastGoodApp
from tui.app.screens.incident import IncidentScreen

EVERY_KEY = "? Help P Post-mortem X Close m Send due f Re-send space Check n Note q Quit"


OPTIONAL_ANNOUNCEMENT = RUNBOOK.replace(
    "        template: announce\n", "        template: announce\n        required: false\n"
)
"""The due-message runbook, its announcement step optional: the announcement is due
(`m`) while every required step can be done (`X`)."""


@contextmanager
def ready_to_close_app(tmp_path: Path) -> Iterator[LastGoodApp]:
    """`crowded_app`, its other required steps done (the initiating message, sent by
    itself on opening, checks its own): the close is what is left."""
    assert OPTIONAL_ANNOUNCEMENT != RUNBOOK
    with crowded_app(tmp_path, OPTIONAL_ANNOUNCEMENT, done=("assess", "page-team")) as app:
        yield app


async def every_key(pilot: Pilot[None]) -> None:
    """`crowded`, and `X` in the footer beside `P`, `m` and `f`."""
    await crowded(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, IncidentScreen)
    await wait_until(pilot, lambda: "X" in footer_keys(screen))
    await pilot.pause()


async def test_quit_stays_when_x_p_m_and_f_all_show_at_80_columns(tmp_path: Path) -> None:
    with ready_to_close_app(tmp_path) as app:
        async with app.run_test(size=(80, 24)) as pilot:
            await every_key(pilot)
            screen = app.screen
            drawn = screen_lines(app)[-1].rstrip()
            assert drawn == EVERY_KEY
            left_out = [key.key for key in screen.query(FooterKey) if not key.display]
            assert left_out == ["c"]  # compose: in help and the palette, its key works


def test_x_p_m_and_f_at_once_at_80x24_snapshot(snap_compare, tmp_path):
    with ready_to_close_app(tmp_path) as app:
        assert snap_compare(app, terminal_size=(80, 24), run_before=every_key)
