"""Make user text safe inside a Markdown document.

Notes, reasons and messages are written under stress and pasted from anywhere;
whatever they contain must stay text and never become headings, tables or HTML.
Only characters that can start Markdown or HTML syntax are escaped, so versions
and sentences stay readable in the raw file.
"""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")
_BLOCK_START = re.compile(r"^([#+\-=>]|\d+[.)])")


def inline(text: str) -> str:
    """One line of literal text: Markdown and HTML characters escaped, newlines folded."""
    flattened = " ".join(text.split())
    escaped = _SPECIAL.sub(r"\\\1", flattened)
    return _BLOCK_START.sub(lambda m: "\\" + m.group(0), escaped)


def cell(text: str) -> str:
    """Literal text for a table cell: as `inline`, which also escapes pipes."""
    return inline(text) or " "
