"""A phase's title where it does not fit: it gives way in whole words, marked.

At 60 columns the checklist's heading read `Phase 1/4 · Decision and`, the rest of the
title and the phase's window cut with nothing to say so, and the phase strip's cells
cut words in the middle (`1 Decision a…` at 80 columns). A title now drops its last
words for an ellipsis (`Decision…`); a word is cut, with the ellipsis, only where not
even the first one fits the cell (`1 Decis…` in a cell of eight at 60 columns).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Static

from incident.core.text import visible
from tui.app.plain import plain
from tui.app.widgets.fitting import fitting

ELLIPSIS = "…"

DANGLING = frozenset({"a", "an", "and", "&", "for", "in", "of", "on", "or", "the", "to", "with"})
"""Words a title is not left ending on: they promise a word the ellipsis hides."""


@lru_cache(maxsize=256)
def given_way(title: str, width: int) -> str:
    """`title` in `width` cells: whole, else its first words and an ellipsis, else its
    first word cut with the ellipsis; whole while the width is not known (0).

    Kept once made: the strip's cells redraw on every one-second tick, at a width that
    changes only when the terminal does."""
    if width <= 0:
        return title
    cut = Text(title, no_wrap=True, overflow="ellipsis")
    cut.truncate(width, overflow="ellipsis")
    return fitting((title, *_first_words(title), cut.plain), width)


def _first_words(title: str) -> Iterator[str]:
    """`title`'s first words and an ellipsis, the longest first; never ending on a word
    that promises another (`Decision…`, not `Decision and…`)."""
    words = title.split()
    for count in range(len(words) - 1, 0, -1):
        if count > 1 and words[count - 1].lower() in DANGLING:
            continue
        yield " ".join(words[:count]).rstrip(",;:·-–—&") + ELLIPSIS


def heading(number: int, count: int, title: str, window: str, width: int) -> str:
    """`Phase 1/4 · Decision and Communication · T+0-5m` in `width` cells. What gives
    way, in turn: the window (the strip counts the phase's time down), then the title's
    last words, with the window back if it fits beside them; never the phase's number."""
    head, tail = f"Phase {number}/{count} · ", f" · {window}"
    for whole in (f"{head}{title}{tail}", f"{head}{title}"):
        if width <= 0 or cell_len(whole) <= width:
            return whole
    room = width - cell_len(head) - cell_len(tail)
    first = title.split()[0] if title.split() else title
    if room >= cell_len(first) + 1:  # a word and the ellipsis at least
        return f"{head}{given_way(title, room)}{tail}"
    return f"{head}{given_way(title, width - cell_len(head))}"


class PhaseTitle(Static):
    """The heading over the checklist: the phase on show, its title and window, fitted
    to the column's width as it is laid out (and again on each resize)."""

    _parts: tuple[int, int, str, str] | None = None

    def show(self, number: int, count: int, title: str, window: str) -> None:
        self._parts = (number, count, visible(title), window)
        self._draw()

    def _draw(self) -> None:
        if self._parts is None:
            return
        text = heading(*self._parts, self.content_size.width)
        self.update(plain(text), layout=False)  # one line, as wide as its column

    def on_resize(self) -> None:
        self._draw()
