"""Make user text safe inside a Markdown document.

Notes, reasons and messages are written under stress and pasted from anywhere;
whatever they contain must stay text and never become headings, tables or HTML.
Only characters that can start Markdown or HTML syntax are escaped, so versions
and sentences stay readable in the raw file. Text whose lines matter (a message
as sent, a multi-line note) goes in a fenced block longer than any backtick run
inside it, so nothing in it can close the fence. Control characters are shown,
never written raw (`incident.core.text`): `cat report.md` must not obey them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from incident.core.text import visible, visible_block

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")
_BLOCK_START = re.compile(r"^([#+\-=>])")
_BLOCK_CHARS = "#+-=>"
_ORDERED_START = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
_BACKTICK_RUN = re.compile(r"`+")
_LINE_BREAK = re.compile(r"\r\n?")


def _escape(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", visible(" ".join(text.split())))


def inline(text: str) -> str:
    """One line of literal text: Markdown and HTML characters escaped, newlines folded.

    Safe at the start of a line too: `#`, `-`, `+`, `=`, `>` and `1. ` cannot open a
    block (a version such as `2.4.1` is left alone: it cannot start a list).
    """
    escaped = _escape(text)
    first = escaped[:1]  # both patterns look at the start only: most text is left alone
    if first and first in _BLOCK_CHARS:
        return _BLOCK_START.sub(r"\\\1", escaped)
    return _ORDERED_START.sub(r"\1\\\2", escaped) if first.isdecimal() else escaped


def cell(text: str) -> str:
    """Literal text for a table cell: newlines folded, pipes and inline syntax escaped."""
    return _escape(text) or " "


def heading(text: str) -> str:
    """Literal text for a heading: as `inline`, with every `#` escaped, so a trailing
    run of them is not taken for the heading's closing sequence."""
    return inline(text).replace("#", "\\#") if "#" in text else inline(text)


def is_multiline(text: str) -> bool:
    return "\n" in text or "\r" in text


def longest_backtick_run(text: str) -> int:
    return max((len(run) for run in _BACKTICK_RUN.findall(text)), default=0)


def fence(text: str, info: str = "text") -> list[str]:
    """A fenced code block holding `text` exactly, line breaks and all.

    The fence is longer than any backtick run in the text, so no line of it can close
    the block; the caller puts a blank line before and after.
    """
    body = visible_block(_LINE_BREAK.sub("\n", text))
    if body.endswith("\n"):
        body = body[:-1]
    marks = "`" * max(3, longest_backtick_run(body) + 1)
    return [marks + info, *(body.split("\n") if body else []), marks]


def code_span(text: str) -> str:
    """Inline code holding `text` (one line): delimited by a longer backtick run."""
    flat = visible(" ".join(text.split()))
    marks = "`" * (longest_backtick_run(flat) + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{marks}{pad}{flat}{pad}{marks}"


def cell_code(text: str) -> str:
    """Inline code for a table cell: a GFM table splits cells at every unescaped pipe,
    even inside a code span, and drops the backslash of an escaped one."""
    return code_span(text).replace("|", "\\|")


def row(*cells: str) -> str:
    """A table row from cells already made safe (with `cell` or our own syntax)."""
    return "| " + " | ".join(c or " " for c in cells) + " |"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """A GFM table; every row must have as many cells as there are headers."""
    lines = [row(*headers), "|" + "|".join("---" for _ in headers) + "|"]
    for cells in rows:
        if len(cells) != len(headers):
            raise ValueError(f"row has {len(cells)} cells, table has {len(headers)}")
        lines.append(row(*cells))
    return lines
