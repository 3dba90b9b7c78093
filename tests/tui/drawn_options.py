"""What a `MarkedOptionList` holds drawn: the options whose lines a frame would not
draw again from their text."""

from __future__ import annotations

from textual.strip import Strip
from textual.widgets.option_list import Option

from tui.app.marked_list import MarkedOptionList


def _drawn_keys(options: MarkedOptionList) -> list[tuple[Option, int, object, object, int]]:
    drawn = options._drawn_options
    if drawn is None:
        return []
    return list(drawn.keys())  # an LRUCache: no iteration of its own


def drawn_ids(options: MarkedOptionList) -> set[str | None]:
    """The ids of the options drawn, in any style."""
    return {key[0].id for key in _drawn_keys(options)}


def drawn_lines(options: MarkedOptionList) -> dict[str | None, list[Strip]]:
    """Each drawn option's lines, by id (one of its styles' where it has several)."""
    drawn = options._drawn_options
    if drawn is None:
        return {}
    return {key[0].id: strips for key in _drawn_keys(options) if (strips := drawn.get(key))}
