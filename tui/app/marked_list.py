"""An OptionList whose highlighted option carries a mark (MARK), not only a shade.

Under NO_COLOR (or a washed-out terminal over SSH) the highlight bar is a grey on
grey; the coordinator must still see which step, tier or incident a key acts on.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar, NamedTuple, cast

from rich.segment import Segment
from textual.cache import LRUCache
from textual.css.styles import RulesMap
from textual.geometry import Region, Spacing
from textual.reactive import reactive
from textual.strip import Strip
from textual.style import Style
from textual.visual import Padding, VisualType
from textual.widgets import OptionList
from textual.widgets.option_list import Option

MARK = "› "
"""Before the first line of the highlighted option."""
GUTTER = len(MARK)

OPTION = "option-list--option"
"""The component class every option is drawn with, and the blank lines after them."""
STATES = {
    "disabled": "option-list--option-disabled",
    "highlighted": "option-list--option-highlighted",
    "hover": "option-list--option-hover",
}
"""The component class an option's state adds, as OptionList names them."""

DRAWN_OPTIONS = 1024
"""Options' drawn lines kept, across rebuilds of the list (the checklist's phases)."""


class Draw(NamedTuple):
    """What every line of one draw shares, read once: OptionList read each of these
    again for every line, blank ones included (most of a short phase's checklist),
    which was about half of the checklist's drawing on a phase switch (py-spy)."""

    lines: list[tuple[int, int]]
    scroll_y: int
    width: int
    padding: Spacing
    highlighted: int | None
    hovered: int | None
    blank: Strip
    styles: dict[str, Style]
    marking: bool


class MarkedOptionList(OptionList):
    """Options drawn after a two-cell gutter that holds the mark of the highlighted one.

    A change of highlight or of one option's prompt redraws that option's lines, not
    the list: Textual's OptionList repainted all of it, so checking a step sent every
    visible line of the checklist to the terminal again in the frame the key waits for.
    """

    highlighted: reactive[int | None] = reactive(None, repaint=False)
    """As OptionList's; the lines of the options it leaves and reaches are redrawn."""

    MARKS_WITHOUT_FOCUS: ClassVar[bool] = True
    """Whether the highlighted option keeps its mark while the list lacks the focus: the
    checklist's does (the step the screen's keys act on). A list in a dialog beside
    fields that mark the focused one with the same `›` (the decision's triggers) marks
    only while it has the focus: two marks at once left the coordinator to guess where
    a key would go (ux_review17)."""

    def on_focus(self) -> None:
        if not self.MARKS_WITHOUT_FOCUS:
            self._refresh_option(self.highlighted)

    def on_blur(self) -> None:
        if not self.MARKS_WITHOUT_FOCUS:
            self._refresh_option(self.highlighted)

    def _watch_highlighted(self, old: int | None, new: int | None) -> None:
        """Runs before OptionList's own watcher, which scrolls to the new highlight."""
        for index in {old, new}:
            self._refresh_option(index)

    def _refresh_option(self, index: int | None) -> None:
        """Redraw the lines of the option at `index` (all of them if the map is stale)."""
        if index is None or index >= self.option_count:
            return
        first = self._index_to_line.get(index)
        height = self._heights.get(index)
        if first is None or height is None:
            self.refresh()
        else:
            self.refresh_lines(first, height)

    def _get_left_gutter_width(self) -> int:
        return GUTTER

    _draw: Draw | None = None
    """Set while `render_lines` draws."""

    _drawn_options: LRUCache[tuple[Option, int, Style, Spacing, int], list[Strip]] | None = None
    """Each option's lines as drawn at its index, style, padding and width.

    OptionList's own cache is emptied whenever the options are set, which the
    checklist does on every phase switch: this one keeps the lines of options given
    again (the same `Option`, at the same index), so a phase shown before is not
    drawn again from its text.
    """

    def render_lines(self, crop: Region) -> list[Strip]:
        self._update_lines()
        self._draw = self._new_draw()
        try:
            return super().render_lines(crop)
        finally:
            self._draw = None

    def _new_draw(self) -> Draw:
        region = self.scrollable_content_region
        return Draw(
            lines=self._line_cache.lines,
            scroll_y=self.scroll_offset.y,
            width=region.width,
            padding=self.get_component_styles(OPTION).padding,
            highlighted=self.highlighted,
            hovered=self._mouse_hovering_over,
            blank=Strip.blank(region.width, self.get_visual_style(OPTION).rich_style),
            styles={},
            marking=self.MARKS_WITHOUT_FOCUS or self.has_focus,
        )

    def render_line(self, y: int) -> Strip:
        draw = self._draw
        if draw is None:  # a line asked for outside a draw
            self._update_lines()
            draw = self._new_draw()
        line_number = draw.scroll_y + y
        if line_number >= len(draw.lines):
            return draw.blank  # a blank line, already the full width
        index, line_offset = draw.lines[line_number]
        option = self._options[index]
        if option.disabled:
            state = "disabled"
        elif index == draw.highlighted:
            state = "highlighted"
        elif index == draw.hovered:
            state = "hover"
        else:
            state = ""
        style = draw.styles.get(state)
        if style is None:
            classes = (OPTION, STATES[state]) if state else (OPTION,)
            style = draw.styles[state] = self.get_visual_style(*classes)
        strips = self._option_lines(option, index, style, draw)
        if line_offset >= len(strips):
            return draw.blank
        strip = strips[line_offset]
        marked = draw.marking and index == draw.highlighted and line_offset == 0
        segments = list(strip)
        gutter = Segment(MARK if marked else " " * GUTTER, segments[0].style if segments else None)
        return Strip([gutter, *segments], strip.cell_length + GUTTER)

    def _option_lines(self, option: Option, index: int, style: Style, draw: Draw) -> list[Strip]:
        """The option's lines, as OptionList's `_get_option_render` draws them."""
        drawn = self._drawn_options
        if drawn is None:
            drawn = self._drawn_options = LRUCache(DRAWN_OPTIONS)
        key = (option, index, style, draw.padding, draw.width)
        strips = drawn.get(key)
        if strips is None:
            width = draw.width - GUTTER
            visual = self._get_visual(option)
            if draw.padding:
                visual = Padding(visual, draw.padding)
            rendered = visual.to_strips(self, visual, width, None, style)
            meta = {"option": index}
            strips = [
                strip.extend_cell_length(width, style.rich_style).apply_meta(meta)
                for strip in rendered
            ]
            if option._divider:
                rule = self.get_visual_style("option-list--separator").rich_style
                strips.append(Strip([Segment("─" * width, rule)], width))
            drawn[key] = strips
        return strips

    def draw_ahead(self, indices: Iterable[int]) -> None:
        """Draw the options at `indices`, unhighlighted, before a frame needs them."""
        self._update_lines()
        draw = self._new_draw()
        style = self.get_visual_style(OPTION)
        for index in indices:
            self._option_lines(self._options[index], index, style, draw)

    def _clear_caches(self) -> None:
        """Textual's, on a resize, a change of style or a removed option: every option
        is drawn again."""
        if self._drawn_options is not None:
            self._drawn_options.clear()
        super()._clear_caches()

    def _forget_option(self, option: Option) -> None:
        """Forget the lines drawn of `option`."""
        drawn = self._drawn_options
        if drawn is None:
            return
        keys = drawn.keys()  # an LRUCache: no iteration of its own
        for key in [key for key in keys if key[0] is option]:
            drawn.discard(key)

    def _replace_option_prompt(self, index: int, prompt: VisualType) -> None:
        """Forget and redraw only this option's lines. Textual's version forgets every
        option's, so checking a step drew each visible line of the checklist (29 at
        120x40) again in the frame the key is waiting for.

        The line map stays when the new prompt wraps to the old height, which a
        check's mark does: rebuilt, it measured every option's wrapped height again,
        a cost that grew with the phase (a check of a 200-step phase spent more on it
        than on drawing)."""
        option = self.get_option_at_index(index)
        height = self._heights.get(index)
        option._set_prompt(prompt)
        self._forget_option(option)
        if height is not None and self._wrapped_height(index) == height:
            self._refresh_option(index)
            return
        self._line_cache.clear()  # it wraps to another height: the options after it move
        self.refresh()

    def _wrapped_height(self, index: int) -> int:
        """The lines the option at `index` takes, as OptionList's line map counts them."""
        option = self.get_option_at_index(index)
        width = self.scrollable_content_region.width - self._get_left_gutter_width()
        padding = self.get_component_styles("option-list--option").padding
        visual = self._get_visual(option)
        rules = cast(RulesMap, self.styles)  # as OptionList passes its styles
        return visual.get_height(rules, width - padding.width) + option._divider
