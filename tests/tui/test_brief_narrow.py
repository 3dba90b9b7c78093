"""The handoff brief at 60x20: what wraps goes under its label.

The brief's lines are made for 100 columns, the roles' second line seven spaces in,
under `Roles: `. Re-wrapped by the dialog at 60x20, the first line's end went back to
the margin and the second line kept its seven spaces (`       ops (vacant) ·
leadership (vacant)`), reading as neither.
"""

from __future__ import annotations

from pathlib import Path

from textual.containers import VerticalScroll

from tests.scenario_copies import scenario_copy
from tests.tui.pilot_helpers import scenario_app, wait_for_screen
from tests.tui.screen_text import screen_lines
from tui.app.modals.brief import BriefModal, hanging
from tui.app.screens.incident import IncidentScreen


async def test_the_roles_wrap_under_their_label_at_60x20(tmp_path: Path) -> None:
    app = scenario_app(scenario_copy("mid-phase-2", tmp_path / "brief.db"))
    async with app.run_test(size=(60, 20)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        await pilot.press("i")
        await wait_for_screen(pilot, BriefModal)
        scroller = app.screen.query_one("#brief", VerticalScroll)
        await pilot.pause()
        scroller.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        box = scroller.region
        rows = [line[box.x : box.right].rstrip() for line in screen_lines(app)]
        rows = rows[box.y : box.bottom]
        start = next(i for i, row in enumerate(rows) if row.startswith("Roles: "))
        roles = rows[start:]
        assert len(roles) >= 3, rows  # wrapped here, at 60 columns
        for row in roles[1:]:
            assert row.startswith(" " * 7) and row[7] != " ", roles
        assert "ops (vacant)" in " ".join(row.strip() for row in roles), roles


def test_a_line_with_no_label_wraps_two_in_and_a_long_word_is_folded() -> None:
    lines = ["INC-1  SEV2  Checkout errors after 2.4.1", "  T+01:50 approved gate (Ada): why"]
    assert hanging(lines, 24) == [
        "INC-1  SEV2  Checkout",
        "  errors after 2.4.1",
        "  T+01:50 approved gate",
        "    (Ada): why",
    ]
    folded = ["Next step:", "     " + "x" * 11, "     " + "x" * 9]  # at most a third in
    assert hanging(["Next step: " + "x" * 20], 16) == folded
