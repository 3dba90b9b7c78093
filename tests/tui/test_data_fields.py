"""The form fields that hold text as typed and draw it in place (`tui/app/data_input.py`,
`tui/app/data_text_area.py`): editing, wrapping and the cursor count the characters
held, each drawn as one."""

from __future__ import annotations

from textual import events
from textual.app import App, ComposeResult

from tests.tui.pilot_helpers import wait_until
from tests.tui.screen_text import screen_lines
from tui.app.data_input import DataInput
from tui.app.data_text_area import DataTextArea

HELD = "a\x1bb\u202ec\n2nd\x0cline\u2028end"
"""ESC, an override, a line break, a form feed and a line separator (which
`str.splitlines` reads as line ends, Textual's fields too)."""


class Fields(App[None]):
    def compose(self) -> ComposeResult:
        yield DataInput(id="input")
        yield DataTextArea(id="area", soft_wrap=True)


async def test_a_paste_is_held_edited_and_drawn_in_place() -> None:
    app = Fields()
    async with app.run_test(size=(30, 12)) as pilot:
        field, area = app.query_one(DataInput), app.query_one(DataTextArea)
        for widget in (field, area):
            widget.focus()
            app.post_message(events.Paste(HELD))
            await wait_until(pilot, lambda: HELD in (field.value, area.text))
            # The cursor moves over each held character as over one drawn.
            await pilot.press("left", "left", "left", "X", "home", "right", "delete")
        assert field.value == "ab\u202ec\n2nd\x0cline\u2028Xend"  # home: the line's start
        assert area.text == "a\x1bb\u202ec\n2d\x0cline\u2028Xend"  # the second line's
        await pilot.pause()
        rows = screen_lines(app)
        assert any("ab\u2426c\u240a2nd\u240cline\u2426Xend" in row for row in rows)
        assert any(row.startswith("\u258a a\u241bb\u2426c ") for row in rows), rows
        assert any("\u258a 2d\u240cline\u2426Xend " in row for row in rows), rows
        assert not any(raw in row for row in rows for raw in "\x1b\u202e\x0c\u2028")


async def test_text_loaded_into_the_area_wraps_as_drawn() -> None:
    """Loaded after the area is on screen (as a form's prefill is): the line runs over
    onto the next row, as Textual's own area wraps it."""
    app = Fields()
    async with app.run_test(size=(30, 12)) as pilot:
        area = app.query_one(DataTextArea)
        area.load_text("x" * 25 + "\x1b\x1b\x1b" + "y" * 10)
        await pilot.pause()
        rows = screen_lines(app)
        assert any("\u241b\u241b\u241byyyyyyyyyy" in row for row in rows), rows
