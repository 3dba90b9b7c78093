"""Lines broken at spaces to a width, with a hanging indent: one rule for every face.

`status` (through `tui.cli.fitted`) and `brief` fitted to a terminal's width
(`incident.reports.brief_screen`) wrap with it, so a step line, a labelled list and a
decision continue alike: under their text, never mid-word, never inside a clock
(`T+02:05`) or an ID (no space in either), nor inside an escape `visible` wrote.
"""

from __future__ import annotations

from functools import cache

TYPE_CHECKING = False  # `typing` waits until the arguments are parsed (see `incident.app.params`)

if TYPE_CHECKING:
    from textwrap import TextWrapper


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

    from incident.core.clipping import cut_at

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
