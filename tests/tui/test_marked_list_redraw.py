"""A changed prompt redraws that option alone: checking a step used to throw away the
drawn lines of every option in the checklist, so the frame a key waits for drew each
visible line again."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.strip import Strip
from textual.visual import Visual
from textual.widgets.option_list import Option

from tests.tui.drawn_options import drawn_ids
from tests.tui.pilot_helpers import wait_until
from tui.app.marked_list import MARK, MarkedOptionList


class ListApp(App[None]):
    def compose(self) -> ComposeResult:
        yield MarkedOptionList(*(Option(Text(f"[ ] step {n}"), id=f"s{n}") for n in range(10)))


async def test_replacing_a_prompt_forgets_only_that_options_lines() -> None:
    app = ListApp()
    async with app.run_test(size=(40, 14)) as pilot:
        options = app.query_one(MarkedOptionList)
        await wait_until(pilot, lambda: len(drawn_ids(options)) == 10)
        options.replace_option_prompt_at_index(3, Text("[x] step 3"))
        assert drawn_ids(options) == {f"s{n}" for n in range(10)} - {"s3"}
        await wait_until(pilot, lambda: "s3" in drawn_ids(options))
        line = options.render_line(3).text
        assert "[x] step 3" in line
        assert "[ ] step 4" in options.render_line(4).text


async def test_a_prompt_that_wraps_differently_moves_the_lines_below() -> None:
    app = ListApp()
    async with app.run_test(size=(40, 14)) as pilot:
        options = app.query_one(MarkedOptionList)
        await wait_until(pilot, lambda: len(drawn_ids(options)) == 10)
        options.replace_option_prompt_at_index(0, Text("[x] " + "a long title " * 5))
        await wait_until(pilot, lambda: "s0" in drawn_ids(options))
        assert "[ ] step 1" not in options.render_line(1).text
        assert any("[ ] step 1" in options.render_line(y).text for y in range(2, 5))


async def test_a_moved_highlight_and_a_replaced_prompt_draw_only_their_lines_again() -> None:
    """The frame after a check draws the checked step's line and the two lines the mark
    left and reached: Textual's OptionList drew every visible line (12 here)."""
    app = ListApp()
    async with app.run_test(size=(40, 14)) as pilot:
        options = app.query_one(MarkedOptionList)
        options.highlighted = 2
        await wait_until(pilot, lambda: len(drawn_ids(options)) == 10)
        await pilot.pause()
        drawn: list[int] = []
        render_line = options.render_line

        def recording(y: int) -> Strip:
            drawn.append(y)
            return render_line(y)

        options.render_line = recording  # type: ignore[method-assign]
        options.replace_option_prompt_at_index(2, Text("[x] step 2"))
        options.highlighted = 3
        await wait_until(pilot, lambda: bool(drawn))
        await pilot.pause()
        assert sorted(set(drawn)) == [2, 3]
        assert "[x] step 2" in render_line(2).text and MARK not in render_line(2).text
        assert render_line(3).text.startswith(MARK)


async def test_a_prompt_of_the_same_height_measures_that_option_alone() -> None:
    """The line map stays: rebuilding it measured every option's wrapped height again
    on each check, a cost that grew with the phase's length."""
    app = ListApp()
    async with app.run_test(size=(40, 14)) as pilot:
        options = app.query_one(MarkedOptionList)
        await wait_until(pilot, lambda: len(drawn_ids(options)) == 10)
        lines_before = list(options._lines)
        measured: list[str | None] = []
        get_visual = options._get_visual

        def recording(option: Option) -> Visual:
            measured.append(option.id)
            return get_visual(option)

        options._get_visual = recording  # type: ignore[method-assign]
        options.replace_option_prompt_at_index(3, Text("[x] step 3"))
        assert measured == ["s3"]
        assert list(options._lines) == lines_before
        await wait_until(pilot, lambda: "s3" in drawn_ids(options))
        assert "[x] step 3" in options.render_line(3).text


async def test_a_disabled_option_drawn_with_its_style_keeps_the_mark_when_highlighted() -> None:
    app = ListApp()
    async with app.run_test(size=(40, 14)) as pilot:
        options = app.query_one(MarkedOptionList)
        options.disable_option_at_index(2)
        options.highlighted = 2
        await pilot.pause()
        assert options.render_line(2).text.startswith(MARK)
        assert not options.render_line(3).text.startswith(MARK)
        disabled = options.get_visual_style("option-list--option", "option-list--option-disabled")
        drawn = options.render_line(2)._segments[1].style
        assert drawn is not None
        assert (drawn.color, drawn.bgcolor) == (
            disabled.rich_style.color,
            disabled.rich_style.bgcolor,
        )
