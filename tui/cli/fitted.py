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
from functools import cache

TYPE_CHECKING = False  # `typing` waits until the arguments are parsed (see `incident.app.params`)

if TYPE_CHECKING:
    from textwrap import TextWrapper
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


def wrapped(line: str, width: int) -> list[str]:
    """`line` in pieces of at most `width`, broken at spaces; the rest of a step line
    (`   [x] id: title`) under its text, of any other line two columns in."""
    if len(line) <= width:
        return [line]
    text_at = len(line) - len(line.lstrip(" "))
    mark = line[text_at : text_at + 4]
    hang = text_at + (4 if mark[:1] == "[" and mark[2:4] == "] " else 2)
    if hang > width // 2:
        hang = 2
    wrapper = _wrapper_type()(
        width,
        subsequent_indent=" " * hang,
        break_long_words=True,  # a URL longer than the line still ends at the edge
        break_on_hyphens=False,  # step ids and versions keep their hyphens
        drop_whitespace=True,
    )
    return wrapper.wrap(line) or [""]  # a line of spaces alone


@cache
def _wrapper_type() -> type[TextWrapper]:
    """A `TextWrapper` that breaks a word too long for a line before an escape `visible`
    wrote (`\\u202e`), not inside it: `\\u2` at one line's end and `02e` at the next
    one's start read as neither. Made on first use: `textwrap` waits until a line is
    too long."""
    from textwrap import TextWrapper

    from incident.core.text import cut_at

    class EscapesWhole(TextWrapper):
        def _handle_long_word(
            self, reversed_chunks: list[str], cur_line: list[str], cur_len: int, width: int
        ) -> None:
            chunk = reversed_chunks[-1]
            space_left = max(width - cur_len, 1)
            end = cut_at(chunk, space_left)
            if end == 0 and not cur_line:  # an escape wider than a line: cut it after all
                end = space_left
            cur_line.append(chunk[:end])
            reversed_chunks[-1] = chunk[end:]

    return EscapesWhole
