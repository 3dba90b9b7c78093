"""Make user text safe inside a Markdown document.

Notes, reasons and messages are written under stress and pasted from anywhere;
whatever they contain must stay text and never become headings, tables or HTML.
Only characters that can start Markdown or HTML syntax are escaped, so versions
and sentences stay readable in the raw file. Text whose lines matter (a message
as sent, a multi-line note) goes in a fenced block longer than any backtick run
inside it, so nothing in it can close the fence. Control characters are shown,
never written raw (`incident.core.text`): `cat report.md` must not obey them.

A web address in the text is the exception: GFM links a bare one as it stands in the
file, backslashes and all, so `https://grafana/d?a=1\\&b=2` escaped linked to a page
that does not exist and showed its backslashes. One holding a character that would be
escaped is written as an autolink, `<https://...>`, which is literal by definition
(as the same text is when nothing in it needs escaping: that is left as it was).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from incident.core.text import visible, visible_block

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")
_HEADING_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&#])")
_URL = re.compile(r"https?://[^\s<>|`\"\\]+", re.IGNORECASE)
"""A web address: up to a character no address holds (a quote, a backtick, a space)."""
_URL_ESCAPED = re.compile(r"https?://[^\s<>|`\"\\]*?[*_\[\]~&#]", re.IGNORECASE)
"""An address holding a character that `_SPECIAL` or `_HEADING_SPECIAL` escapes."""
_URL_TRAILING = ".,:;!?'\"*_~"
_OPENING = {")": "(", "]": "["}
_BLOCK_START = re.compile(r"^([#+\-=>])")
_BLOCK_CHARS = "#+-=>"
_ORDERED_START = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
_BACKTICK_RUN = re.compile(r"`+")
_LINE_BREAK = re.compile(r"\r\n?")


def _escape(text: str, special: re.Pattern[str] = _SPECIAL) -> str:
    flat = visible(" ".join(text.split()))
    if "://" not in flat or not _URL_ESCAPED.search(flat):  # most text: no address to keep
        return special.sub(r"\\\1", flat)
    out: list[str] = []
    start = 0
    for match in _URL.finditer(flat):
        url = _url_trimmed(match.group())
        if not special.search(url) or len(url) <= len("https://"):
            continue  # plain already: GFM links it as it stands
        out += [special.sub(r"\\\1", flat[start : match.start()]), f"<{url}>"]
        start = match.start() + len(url)
    out.append(special.sub(r"\\\1", flat[start:]))
    return "".join(out)


def _url_trimmed(url: str) -> str:
    """A web address without what GFM leaves out of one: trailing punctuation, and a
    closing bracket it did not open (`(see https://x/y)`)."""
    while url and (url[-1] in _URL_TRAILING or _unopened(url, url[-1])):
        url = url[:-1]
    return url


def _unopened(url: str, last: str) -> bool:
    opening = _OPENING.get(last)
    return opening is not None and url.count(opening) < url.count(last)


def _block_safe(escaped: str) -> str:
    """`escaped` safe at the start of a line: `#`, `-`, `+`, `=`, `>` and `1. ` cannot
    open a block (a version such as `2.4.1` is left alone: it cannot start a list)."""
    first = escaped[:1]  # both patterns look at the start only: most text is left alone
    if first and first in _BLOCK_CHARS:
        return _BLOCK_START.sub(r"\\\1", escaped)
    return _ORDERED_START.sub(r"\1\\\2", escaped) if first.isdecimal() else escaped


def inline(text: str) -> str:
    """One line of literal text: Markdown and HTML characters escaped, newlines folded.

    Safe at the start of a line too (`_block_safe`, written out: this is called for
    every line of a report).
    """
    escaped = _escape(text)
    first = escaped[:1]
    if first and first in _BLOCK_CHARS:
        return _BLOCK_START.sub(r"\\\1", escaped)
    return _ORDERED_START.sub(r"\1\\\2", escaped) if first.isdecimal() else escaped


def cell(text: str) -> str:
    """Literal text for a table cell: newlines folded, pipes and inline syntax escaped."""
    return _escape(text) or " "


def heading(text: str) -> str:
    """Literal text for a heading: as `inline`, with every `#` escaped, so a trailing
    run of them is not taken for the heading's closing sequence (and a leading one is
    escaped once: `\\\\#` showed a backslash)."""
    return _block_safe(_escape(text, _HEADING_SPECIAL))


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
