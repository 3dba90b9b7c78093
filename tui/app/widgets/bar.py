"""A one-line bar whose pieces give way whole when the terminal is narrow.

The replay and follow bars were one long line cut at the right edge: at 60 columns
the replay's wall-clock time went (`2026-11-28 09:1…`), at 80 the follow bar read
`read-only: nothing is` and stopped mid-sentence. Each piece now has shorter forms
(down to nothing for what can go), taken in a set order until the line fits, so what
is shown is whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Static


@dataclass(frozen=True)
class Piece:
    """A piece of a bar: its forms, longest first ("" once it may go), and its style."""

    forms: tuple[str, ...]
    style: str = ""


def fitted(pieces: Sequence[Piece], gives_way: Sequence[int], width: int) -> Text:
    """The pieces in the first of their forms that fit `width` cells together: each
    index in `gives_way`, in turn, moves that piece on to its next form. `width` 0 (not
    laid out yet): every piece whole. Whatever still does not fit is cut at the end."""
    chosen = [0] * len(pieces)

    def forms() -> list[str]:
        return [
            piece.forms[min(at, len(piece.forms) - 1)]
            for piece, at in zip(pieces, chosen, strict=True)
        ]

    steps = iter(gives_way)
    while width > 0 and cell_len("".join(forms())) > width:
        step = next(steps, None)
        if step is None:
            break
        chosen[step] += 1
    text = Text(no_wrap=True, overflow="ellipsis")
    for piece, form in zip(pieces, forms(), strict=True):
        text.append(form, style=piece.style)
    return text


class FittedBar(Static):
    """A bar of `Piece`s, drawn again in the forms that fit when its width changes."""

    _pieces: Sequence[Piece] = ()
    _gives_way: Sequence[int] = ()

    def show(self, pieces: Sequence[Piece], gives_way: Sequence[int]) -> None:
        self._pieces, self._gives_way = pieces, gives_way
        self._draw()

    def _draw(self) -> None:
        text = fitted(self._pieces, self._gives_way, self.content_size.width)
        self.update(text, layout=False)

    def on_resize(self) -> None:
        if self._pieces:
            self._draw()
