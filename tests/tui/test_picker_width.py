"""The incident picker's lines fit its width: at 60 columns each wrapped into two, and
after a resize the list kept the height of the size it opened at (a review). Each
incident is two lines (its id and commander under its title), never wrapped into more."""

from __future__ import annotations

from textual.widgets import OptionList

from tests.tui.modal_harness import ROWS, opened
from tests.tui.pilot_helpers import wait_until
from tui.app.modals import IncidentPicker

LINES = 2
"""Each incident's: severity, title, elapsed and standing; then its id and commander."""


def two_lines_each(options: OptionList) -> bool:
    return options.virtual_size.height == LINES * options.option_count


async def test_each_incident_is_two_lines_at_60_columns_and_after_a_resize() -> None:
    modal = IncidentPicker(ROWS)
    async with opened(modal, size=(60, 20)) as (app, pilot):
        options = app.screen.query_one("#incidents", OptionList)
        await wait_until(pilot, lambda: two_lines_each(options))
        assert options.size.height == LINES * len(ROWS)

        await pilot.resize_terminal(100, 30)
        await wait_until(
            pilot,
            lambda: (
                options.size.width > 60
                and two_lines_each(options)
                and options.size.height == LINES * len(ROWS)
            ),
        )
        await pilot.resize_terminal(60, 20)
        await wait_until(
            pilot,
            lambda: (
                options.size.width < 60
                and two_lines_each(options)
                and options.size.height == LINES * len(ROWS)
            ),
        )
