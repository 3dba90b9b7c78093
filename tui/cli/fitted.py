"""Long lines fitted to the terminal they are printed on, with a hanging indent.

A terminal 80 columns wide (a laptop over SSH) cut `status`'s step lines wherever
the width ran out, mid-word, and the rest began at column 0 among the step marks.
On a terminal a long line is wrapped at a space and its rest indented under its
text; a pipe gets every line whole, so `grep` and scripts read what they always did.

Widths are counted in characters: a title in a script of wide characters may still
be wrapped by the terminal, a few columns early, never with a line lost.
"""

from __future__ import annotations

import sys

from incident.core.wrapping import wrapped

TYPE_CHECKING = False  # `typing` waits until the arguments are parsed (see `incident.app.params`)

if TYPE_CHECKING:
    from typing import TextIO

MIN_WIDTH = 20
"""Narrower than this, wrapping would leave a word or two a line: printed whole."""


def fitted(text: str, stream: TextIO | None = None) -> str:
    """`text` wrapped to the width of `stream` (stdout) when it is a terminal."""
    out = sys.stdout if stream is None else stream
    if not out.isatty():
        return text
    import shutil

    width = shutil.get_terminal_size().columns  # $COLUMNS first, as the shell sets it
    lines = text.split("\n")
    if width < MIN_WIDTH or all(len(line) <= width for line in lines):
        return text
    return "\n".join(part for line in lines for part in wrapped(line, width))


def terminal_size(stream: TextIO | None = None) -> tuple[int, int] | None:
    """(columns, rows) of the terminal `stream` (stdout) is, `$COLUMNS` and `$LINES`
    first as the shell sets them; None through a pipe or a file."""
    out = sys.stdout if stream is None else stream
    if not out.isatty():
        return None
    import shutil

    size = shutil.get_terminal_size()
    return size.columns, size.lines


__all__ = ["fitted", "terminal_size", "wrapped"]
