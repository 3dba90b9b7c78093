"""Line API widgets whose length changes without a layout of the whole screen.

A widget's `virtual_size` is a layout reactive: setting it re-arranges the screen
and repaints everything, which a key press that adds a timeline row or shows
another step's guidance cannot afford. While the widget's scrollbar neither
appears nor goes, its length changes nothing else on screen: the size is set
without a layout and the scrollbar told directly.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.scroll_view import ScrollView


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
