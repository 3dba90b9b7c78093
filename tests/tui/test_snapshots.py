"""Snapshots of the main states, with the clock frozen, at 80x24 and 120x40.

Regenerate on purpose with `pytest tests/tui/test_snapshots.py --snapshot-update`
after looking at the diff in the report; never to make a failure go away.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input, TextArea

from tests.scenario_copies import scenario_copy
from tests.tui.pilot_helpers import scenario_app
from tui.app.app import LastGoodApp
from tui.app.widgets.checklist import Checklist

SIZES = [(80, 24), (120, 40)]


def app_for(tmp_path, scenario_name: str) -> LastGoodApp:
    """The app as `lastgood start --incident ID` opens it on a scenario's record."""
    return scenario_app(scenario_copy(scenario_name, tmp_path / f"{scenario_name}.db"))


def highlight_then(step_id: str, *keys: str):
    async def run_before(pilot) -> None:
        await pilot.pause()
        checklist = pilot.app.screen.query_one(Checklist)
        checklist.highlighted = next(
            i
            for i in range(checklist.option_count)
            if checklist.get_option_at_index(i).id == step_id
        )
        await pilot.press(*keys)
        await pilot.pause()
        for widget in pilot.app.screen.query("Input, TextArea"):
            if isinstance(widget, Input | TextArea):
                widget.cursor_blink = False
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_just_declared(snap_compare, tmp_path, size):
    assert snap_compare(app_for(tmp_path, "declared"), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_mid_phase_two_with_phase_one_overdue(snap_compare, tmp_path, size):
    assert snap_compare(app_for(tmp_path, "mid-phase-2"), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_approval_modal(snap_compare, tmp_path, size):
    assert snap_compare(
        app_for(tmp_path, "declared"),
        terminal_size=size,
        run_before=highlight_then("decide-rollback", "a"),
    )


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_comms_composer(snap_compare, tmp_path, size):
    assert snap_compare(
        app_for(tmp_path, "declared"),
        terminal_size=size,
        run_before=highlight_then("notify-stakeholders", "c"),
    )


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_closed(snap_compare, tmp_path, size):
    assert snap_compare(app_for(tmp_path, "closed"), terminal_size=size)


def test_no_color_keeps_urgency_visible(snap_compare, tmp_path, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_for(tmp_path, "mid-phase-2")
    assert app.no_color
    assert snap_compare(app, terminal_size=(80, 24))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_help_lists_the_verbs(snap_compare, tmp_path, size):
    assert snap_compare(
        app_for(tmp_path, "declared"),
        terminal_size=size,
        run_before=highlight_then("assess-severity", "question_mark"),
    )


def test_verb_form_built_from_the_verb(snap_compare, tmp_path):
    """The close form: the verb's confirmation, a checkbox for force, a field for reason."""
    assert snap_compare(
        app_for(tmp_path, "declared"),
        terminal_size=(80, 24),
        run_before=highlight_then("assess-severity", "X"),
    )
