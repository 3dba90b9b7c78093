"""An OptionList whose highlighted option carries a mark (MARK), not only a shade.

Under NO_COLOR (or a washed-out terminal over SSH) the highlight bar is a grey on
grey; the coordinator must still see which step, tier or incident a key acts on.
"""

from __future__ import annotations

from typing import cast

from rich.segment import Segment
from textual.css.styles import RulesMap
from textual.reactive import reactive
from textual.strip import Strip
from textual.visual import VisualType
from textual.widgets import OptionList

MARK = "› "
"""Before the first line of the highlighted option."""
GUTTER = len(MARK)


class MarkedOptionList(OptionList):
    """Options drawn after a two-cell gutter that holds the mark of the highlighted one.

    A change of highlight or of one option's prompt redraws that option's lines, not
    the list: Textual's OptionList repainted all of it, so checking a step sent every
    visible line of the checklist to the terminal again in the frame the key waits for.
    """

    highlighted: reactive[int | None] = reactive(None, repaint=False)
    """As OptionList's; the lines of the options it leaves and reaches are redrawn."""

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

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        line_number = self.scroll_offset.y + y
        lines = self._lines
        if line_number >= len(lines):
            return strip  # a blank line, already the full width
        index, line_offset = lines[line_number]
        segments = list(strip)
        style = segments[0].style if segments else None
        marked = index == self.highlighted and line_offset == 0
        gutter = Segment(MARK if marked else " " * GUTTER, style)
        return Strip([gutter, *segments], strip.cell_length + GUTTER)

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
        cache = self._option_render_cache
        drawn = cache.keys()  # an LRUCache: no iteration of its own
        for key in [key for key in drawn if key[0] is option]:
            cache.discard(key)
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
