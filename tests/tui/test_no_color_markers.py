"""Under NO_COLOR every state still reads: the highlighted row, the focused field and
the selected option carry a mark (MARK), failing probes the word FAILING in reverse, and the
80-column header keeps the incident's id and state.

Each screen is rendered at 80x24 with NO_COLOR set and read as plain text
(tests/tui/screen_text.py), the way a monochrome terminal over SSH shows it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.tui.modal_harness import ROWS, declare_modal, opened
from tests.tui.pilot_helpers import wait_for_screen, wait_until
from tests.tui.screen_text import screen_lines
from tests.tui.test_snapshots import app_for, highlight_then
from tui.app.app import LastGoodApp
from tui.app.modals import IncidentPicker
from tui.app.screens.incident import IncidentScreen
from tui.app.screens.postmortem import PostmortemScreen
from tui.app.widgets.probe_rows import FAILING

MARK = "›"


@pytest.fixture(autouse=True)
def no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")


def line_with(lines: list[str], needle: str) -> str:
    found = [line for line in lines if needle in line]
    assert found, f"{needle!r} not on the screen:\n" + "\n".join(lines)
    return found[0]


async def on_screen(
    app: LastGoodApp, pilot: Pilot[None], step: str | None, *keys: str
) -> list[str]:
    assert app.no_color
    await wait_for_screen(pilot, IncidentScreen)
    if step is not None:
        await highlight_then(step, *keys)(pilot)
    await pilot.pause()
    return screen_lines(app)


async def test_the_incident_screen_marks_the_row_and_the_failing_probes(tmp_path: Path) -> None:
    app = app_for(tmp_path, "declared")
    async with app.run_test(size=(80, 24)) as pilot:
        lines = await on_screen(app, pilot, "assess-severity")  # the declaration did the next two
        assert f"{MARK} [ ] Assess severity" in line_with(lines, MARK)
        assert sum(MARK in line for line in lines) == 1
        assert FAILING not in line_with(lines, "● version")  # the release rolled back, still
        assert FAILING in line_with(lines, "✖ error-rate")
        assert FAILING not in line_with(lines, "● health")
        header = lines[0]
        for part in ("T+00:42", "SEV2", "INC-20261128-DEMO", "IC Ada Lovelace"):
            assert part in header
        assert "▸ Press space: check it once" in line_with(lines, "▸")  # assessed; deciding too


async def test_failing_is_the_loudest_style_on_the_screen(tmp_path: Path) -> None:
    """FAILING is drawn reversed and bold; nothing else in the health panel is."""
    app = app_for(tmp_path, "declared")
    async with app.run_test(size=(80, 24)) as pilot:
        await on_screen(app, pilot, None)
        strips = app.screen._compositor.render_strips()
        reversed_text = [
            segment.text
            for strip in strips
            for segment in strip
            if segment.style is not None and segment.style.reverse and segment.style.bold
        ]
        assert reversed_text == [FAILING], reversed_text  # error-rate's alone


async def test_the_closed_header_keeps_the_commander_and_state_at_80_columns(
    tmp_path: Path,
) -> None:
    """The id gives way before the commander (ux_review13 #13)."""
    app = app_for(tmp_path, "closed")
    async with app.run_test(size=(80, 24)) as pilot:
        lines = await on_screen(app, pilot, None)
        header = lines[0]
        assert "IC Ada Lovelace" in header
        assert "CLOSED" in header
        assert "SEV2" in header


MODALS = [
    ("decide-rollback", "a", f"{MARK} Reason *"),  # the approval's focused field
    ("decide-rollback", "d", f"{MARK} ● MET      Error rate > 5%"),  # the decision's trigger
    ("assess-severity", "b", f"{MARK} Best case: no database rollback"),  # the tier
    ("notify-stakeholders", "c", None),  # the composer
]
"""The step highlighted, the key that opens the dialog over it, and the line marked in it."""


async def test_modals_mark_the_focused_field_or_the_selected_option(tmp_path: Path) -> None:
    """One app opens each dialog in turn, closed by Esc with nothing recorded before the
    next opens (an app started for each cost as much CPU as the dialog)."""
    app = app_for(tmp_path, "declared")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, IncidentScreen)
        incident = app.screen
        assert isinstance(incident, IncidentScreen)
        before = incident.state.last_seq
        for step, key, marked in MODALS:
            await on_screen(app, pilot, step, key)
            await wait_until(pilot, lambda: not isinstance(app.screen, IncidentScreen))
            await pilot.pause()
            lines = screen_lines(app)
            if marked is not None:
                assert marked in line_with(lines, marked)
            else:  # the composer's text area has the focus: no field label is marked
                assert not any(f"{MARK} " in line and "*" in line for line in lines)
            await pilot.press("escape")
            await wait_for_screen(pilot, IncidentScreen)
            assert incident.state.last_seq == before, key


async def test_the_close_form_shows_the_tick_and_the_focus_in_words(tmp_path: Path) -> None:
    """The force checkbox holds an X only when ticked, and carries the mark while focused."""
    app = app_for(tmp_path, "declared")
    async with app.run_test(size=(80, 24)) as pilot:
        await on_screen(app, pilot, "assess-severity", "X")
        await wait_until(pilot, lambda: not isinstance(app.screen, IncidentScreen))
        await pilot.pause()
        assert f"▐ ▌ {MARK} Force" in line_with(screen_lines(app), "Force")
        await pilot.press("space")
        await pilot.pause()
        assert f"▐X▌ {MARK} Force" in line_with(screen_lines(app), "Force")
        await pilot.press("tab")
        await pilot.pause()
        lines = screen_lines(app)
        assert "▐X▌ Force" in line_with(lines, "Force")
        assert f"{MARK} Reason" in line_with(lines, "Reason")


async def test_tabbing_moves_the_field_mark(tmp_path: Path) -> None:
    app = app_for(tmp_path, "declared")
    async with app.run_test(size=(80, 24)) as pilot:
        lines = await on_screen(app, pilot, "decide-rollback", "a")
        assert f"{MARK} Reason *" in line_with(lines, "Reason *")
        assert f"{MARK} Approver" not in line_with(lines, "Approver *")
        await pilot.press("shift+tab")
        await pilot.pause()
        lines = screen_lines(app)
        assert f"{MARK} Approver *" in line_with(lines, "Approver *")
        assert f"{MARK} Reason" not in line_with(lines, "Reason *")


async def test_the_post_mortem_verbs_mark_the_highlighted_one(tmp_path: Path) -> None:
    app = app_for(tmp_path, "resolved")
    async with app.run_test(size=(80, 24)) as pilot:
        await on_screen(app, pilot, None)
        await pilot.press("P")  # phase 4 is on show: P opens the post-mortem
        await wait_for_screen(pilot, PostmortemScreen)
        lines = screen_lines(app)
        assert sum(f"{MARK} " in line for line in lines) == 1


async def test_the_picker_marks_the_highlighted_incident() -> None:
    async with opened(IncidentPicker(list(ROWS))) as (app, pilot):
        await pilot.pause()
        assert f"{MARK} SEV1" in line_with(screen_lines(app), "Checkout 500s")
        await pilot.press("down")
        await pilot.pause()
        lines = screen_lines(app)
        assert f"{MARK} SEV3" in line_with(lines, "Slow [search]")
        assert f"{MARK} " not in line_with(lines, "Checkout 500s")


async def test_the_declare_form_marks_its_focused_field() -> None:
    modal = declare_modal(default_pattern=None)
    async with opened(modal) as (app, pilot):
        assert sum(f"{MARK} " in line for line in screen_lines(app)) == 1
        await pilot.press("tab")
        await pilot.pause()
        assert sum(f"{MARK} " in line for line in screen_lines(app)) == 1
