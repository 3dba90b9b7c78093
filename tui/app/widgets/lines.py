"""Line API widgets whose length changes without a layout of the whole screen.

A widget's `virtual_size` is a layout reactive: setting it re-arranges the screen
and repaints everything, which a key press that adds a timeline row or shows
another step's guidance cannot afford. While the widget's scrollbar neither
appears nor goes, its length changes nothing else on screen: the size is set
without a layout and the scrollbar told directly.
"""

from __future__ import annotations

from rich.style import Style
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip


def set_line_count(view: ScrollView, count: int) -> None:
    """`view` is now `count` lines long; a layout only if its scrollbar comes or goes."""
    size = Size(0, count)
    if size == view.virtual_size:
        return
    height = view.scrollable_content_region.height
    same_scrollbar = (view.virtual_size.height > height) == (count > height)
    if view.is_mounted and height and same_scrollbar:
        view.set_reactive(ScrollView.virtual_size, size)
        view._scroll_update(size)  # the scrollbar's length and the scroll limits
        view.refresh()
    else:
        view.virtual_size = size


class LineView(ScrollView):
    """A Line API widget whose lines are drawn on the style it has when a draw starts.

    `rich_style` walks every ancestor's styles each time it is read; read once per
    line it was a tenth of a step check's CPU (the timeline's and the guidance's
    lines, drawn again on every check).
    """

    _drawing_style: Style | None = None

    def render_lines(self, crop: Region) -> list[Strip]:
        self._drawing_style = self.rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._drawing_style = None

    @property
    def base_style(self) -> Style:
        """The widget's `rich_style`, read once for the draw under way."""
        drawing = self._drawing_style
        return self.rich_style if drawing is None else drawing
