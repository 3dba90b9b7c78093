"""The form fields that hold text as typed and draw it in place (`tui/app/data_input.py`,
`tui/app/data_text_area.py`): editing, wrapping and the cursor count the characters
held, each drawn as one."""

from __future__ import annotations

import pytest
from textual import events
from textual.app import App, ComposeResult
from textual.widgets.text_area import Selection

from incident.core.text import in_place
from tests.tui.pilot_helpers import wait_until
from tests.tui.screen_text import screen_lines
from tui.app import data_text_area
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


async def test_an_edit_in_a_long_text_draws_the_edited_lines_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The area keeps each line as drawn: a key in a pasted text of 10,000 lines draws
    the line it edits, where Textual's wrap, reading the document's lines on each edit,
    had every line drawn again (O(lines) a key)."""
    app = Fields()
    async with app.run_test(size=(30, 12)) as pilot:
        area = app.query_one(DataTextArea)
        area.load_text("\n".join(f"line {n}\x1b" for n in range(10_000)))
        area.focus()
        await pilot.pause()
        drawn: list[str] = []

        def counted(line: str) -> str:
            drawn.append(line)
            return in_place(line)

        monkeypatch.setattr(data_text_area, "in_place", counted)
        await pilot.press("x")
        await pilot.pause()
        assert area.text.startswith("xline 0\x1b\nline 1\x1b\n")
        assert drawn == ["xline 0\x1b"]
        drawn.clear()
        area.selection = Selection((9_998, 2), (9_999, 4))  # across a line end
        await pilot.press("y")
        await pilot.pause()
        assert area.text.endswith("\nline 9997\x1b\nliy 9999\x1b")
        assert drawn == ["liy 9999\x1b"]


async def test_the_lines_drawn_follow_every_edit() -> None:
    """Edits that join, split and replace lines leave each line drawn as it is held."""
    app = Fields()
    async with app.run_test(size=(30, 12)) as pilot:
        area = app.query_one(DataTextArea)
        area.load_text("one\x1b\ntwo\u202e\nthree")
        area.focus()
        area.selection = Selection((0, 2), (2, 1))
        area.replace("A\x0cB\nC\u2028\n", *area.selection)
        await pilot.press("end", "enter", "z")
        area.insert("\n\x1b", (0, 0))
        area.delete((1, 0), (1, 1))
        await pilot.pause()
        held = area.text.split("\n")
        assert area.document.lines == [in_place(line) for line in held]
        assert [area.document[n] for n in range(len(held))] == area.document.lines
        assert area.document[1:3] == area.document.lines[1:3]
