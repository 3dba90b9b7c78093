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
that does not exist and showed its backslashes. An address is a link exactly where
GFM links the text as typed: one with a scheme (`http://`, `https://`) or starting
`www.` (which GFM links to `http://www...`); one without either (`example.com/x`) is
text, and its escapes show it as typed. A link holding a character that would be
escaped is written so that it goes where the text says and shows the text as typed:
with a scheme as an autolink, `<https://...>`, literal by definition; a `www.` one
as the link GFM makes of it, `[www.example.com/a\\_b](<http://www.example.com/a_b>)`.
(One where nothing needs escaping is left as it was.) A `|` is part of an address, as
GFM reads it; in a table cell it is written `\\|`, which GFM reads as `|` before it
parses the cell, inside a link too, where elsewhere the backslash would be kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from incident.core.text import one_line, visible_block

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")
_HEADING_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&#])")
_ADDRESS_START = r"(?:(?i:https?://)|(?<![^\s*_~(])www\.)"
"""Where GFM starts a link in text: a scheme, or `www.` at the start of a word (after
a space, `*`, `_`, `~` or `(`), lower case."""
_URL = re.compile(_ADDRESS_START + r"[^\s<>`\"\\]+")
"""A web address: up to a character no address holds (a quote, a backtick, a space)."""
_URL_ESCAPED = re.compile(_ADDRESS_START + r"[^\s<>`\"\\]*?[*_\[\]~&#|]")
"""An address holding a character that `_SPECIAL` or `_HEADING_SPECIAL` escapes."""
_WWW_DOMAIN = re.compile(r"www\.[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*")
_DESTINATION_SPECIAL = re.compile(r"([&|])")
_URL_TRAILING = ".,:;!?'\"*_~"
_OPENING = {")": "(", "]": "["}
_BLOCK_START = re.compile(r"^([#+\-=>])")
_BLOCK_CHARS = "#+-=>"
_ORDERED_START = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
_BACKTICK_RUN = re.compile(r"`+")


def _escape(text: str, special: re.Pattern[str] = _SPECIAL, *, in_table: bool = False) -> str:
    flat = one_line(text)
    if ("://" not in flat and "www." not in flat) or not _URL_ESCAPED.search(flat):
        return special.sub(r"\\\1", flat)  # most text: no address to keep
    out: list[str] = []
    start = 0
    for match in _URL.finditer(flat):
        url = _url_trimmed(match.group())
        if not special.search(url) or not _is_link(url):
            continue  # plain already (GFM links it as it stands), or no link at all
        link = _link(url, special, in_table=in_table)
        out += [special.sub(r"\\\1", flat[start : match.start()]), link]
        start = match.start() + len(url)
    out.append(special.sub(r"\\\1", flat[start:]))
    return "".join(out)


def _is_link(url: str) -> bool:
    """Whether GFM links `url` (trimmed): a scheme and more, or `www.` and a domain
    without an underscore in its last two parts."""
    if not url.startswith("www."):
        return len(url) > len("https://")
    domain = _WWW_DOMAIN.match(url)
    return domain is not None and "_" not in "".join(domain.group().split(".")[-2:])


def _link(url: str, special: re.Pattern[str], *, in_table: bool) -> str:
    """`url` as a link that goes where it says and shows it as typed (see above)."""
    pipe = "\\|" if in_table else "|"
    if not url.startswith("www."):
        return "<" + url.replace("|", pipe) + ">"
    destination = _DESTINATION_SPECIAL.sub(lambda m: "\\&" if m[1] == "&" else pipe, url)
    return "[" + special.sub(r"\\\1", url) + "](<http://" + destination + ">)"


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
    """One line of literal text: Markdown and HTML characters escaped, line breaks
    shown (`incident.core.text.one_line`).

    Safe at the start of a line too (`_block_safe`, written out: this is called for
    every line of a report).
    """
    escaped = _escape(text)
    first = escaped[:1]
    if first and first in _BLOCK_CHARS:
        return _BLOCK_START.sub(r"\\\1", escaped)
    return _ORDERED_START.sub(r"\1\\\2", escaped) if first.isdecimal() else escaped


def cell(text: str) -> str:
    """Literal text for a table cell: line breaks shown, pipes and inline syntax escaped
    (inside a web address too, which GFM reads whole)."""
    return _escape(text, in_table=True) or " "


def heading(text: str) -> str:
    """Literal text for a heading: as `inline`, with every `#` escaped, so a trailing
    run of them is not taken for the heading's closing sequence (and a leading one is
    escaped once: `\\\\#` showed a backslash)."""
    return _block_safe(_escape(text, _HEADING_SPECIAL))


def is_multiline(text: str) -> bool:
    """Whether `text` has a line break (a newline, CRLF among them; a lone CR is not one:
    it is shown as ␍)."""
    return "\n" in text


def longest_backtick_run(text: str) -> int:
    return max((len(run) for run in _BACKTICK_RUN.findall(text)), default=0)


def fence(text: str, info: str = "text") -> list[str]:
    """A fenced code block holding `text` exactly, line breaks and all.

    The fence is longer than any backtick run in the text, so no line of it can close
    the block; the caller puts a blank line before and after.
    """
    body = visible_block(text)  # a lone CR shown as ␍, never a line break (ux_review16 #16)
    if body.endswith("\n"):
        body = body[:-1]
    marks = "`" * max(3, longest_backtick_run(body) + 1)
    return [marks + info, *(body.split("\n") if body else []), marks]


def code_span(text: str) -> str:
    """Inline code holding `text` (one line): delimited by a longer backtick run."""
    flat = one_line(text)
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
