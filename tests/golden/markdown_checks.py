"""Reading a generated document back with a CommonMark parser (markdown-it-py).

The documents are checked as a reader's tool would see them: which headings exist,
how many rows and cells each table has, what ends up in fenced blocks, and whether
anything became HTML.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

GOLDEN = Path(__file__).resolve().parent
UPDATE_ENV = "LASTGOOD_UPDATE_GOLDEN"


def parser() -> MarkdownIt:
    """CommonMark with GitHub's extensions: tables, strikethrough and extended autolinks
    (a bare URL in text becomes a link, as on GitHub), so a command's URL that is not
    in a code span shows up as a link here too."""
    return MarkdownIt("gfm-like")


def tokens(text: str) -> list[Token]:
    return parser().parse(text)


def render(text: str) -> str:
    return parser().render(text)


def inline_text(token: Token) -> str:
    """The text a reader sees in an inline token (escapes resolved, markup dropped)."""
    parts = []
    for child in token.children or []:
        if child.type in ("text", "text_special", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


def links(found: list[Token]) -> list[str]:
    """Every link's target, autolinks and extended autolinks included."""
    return [
        str(child.attrs.get("href", ""))
        for token in found
        for child in token.children or []
        if child.type == "link_open"
    ]


def code_spans(found: list[Token]) -> list[str]:
    return [
        child.content
        for token in found
        for child in token.children or []
        if child.type == "code_inline"
    ]


def section_items(found: list[Token], title: str) -> list[Token]:
    """The inline token of each top-level list item in the `##` section `title`."""
    items: list[Token] = []
    inside = False
    depth = 0
    for position, token in enumerate(found):
        if token.type == "heading_open":
            if token.tag == "h2":
                inside = found[position + 1].content == title
            elif inside:
                inside = token.tag > "h2"
        elif inside and token.type == "list_item_open":
            depth += 1
        elif inside and token.type == "list_item_close":
            depth -= 1
        elif inside and depth == 1 and token.type == "inline":
            items.append(token)
    return items


def headings(found: list[Token]) -> list[tuple[int, str]]:
    result = []
    for position, token in enumerate(found):
        if token.type == "heading_open":
            result.append((int(token.tag[1]), inline_text(found[position + 1])))
    return result


def tables(found: list[Token]) -> list[list[list[str]]]:
    """Each table as rows (header first) of cell texts."""
    result: list[list[list[str]]] = []
    rows: list[list[str]] = []
    row: list[str] = []
    for position, token in enumerate(found):
        if token.type == "table_open":
            rows = []
        elif token.type == "tr_open":
            row = []
        elif token.type in ("th_open", "td_open"):
            row.append(inline_text(found[position + 1]))
        elif token.type == "tr_close":
            rows.append(row)
        elif token.type == "table_close":
            result.append(rows)
    return result


def fences(found: list[Token], info: str = "text") -> list[str]:
    return [t.content for t in found if t.type == "fence" and t.info == info]


def html_tokens(found: list[Token]) -> list[str]:
    kinds = []
    for token in found:
        for item in [token, *(token.children or [])]:
            if item.type in ("html_block", "html_inline"):
                kinds.append(f"{item.type}: {item.content!r}")
    return kinds


def raw_table_cell_counts(text: str) -> list[list[int]]:
    """Cells per row as a GFM table splitter counts them in the source (outside fences).

    markdown-it drops surplus cells silently, so this catches an injected pipe that
    the token stream would hide.
    """
    counts: list[list[int]] = []
    current: list[int] = []
    fence: str | None = None
    for line in text.split("\n"):
        opening = re.match(r"^(`{3,})", line)
        if fence is None and opening:
            fence = opening.group(1)
            continue
        if fence is not None:
            if re.fullmatch(rf"{fence}`*\s*", line):
                fence = None
            continue
        if line.startswith("|"):
            cells = re.split(r"(?<!\\)\|", line.strip())
            current.append(len(cells) - 2)
        elif current:
            counts.append(current)
            current = []
    if current:
        counts.append(current)
    return counts


def escape_html(text: str) -> str:
    """As markdown-it escapes text content."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def check_golden(name: str, text: str) -> None:
    """Compare with `tests/golden/NAME`; rewrite it only when LASTGOOD_UPDATE_GOLDEN=1."""
    path = GOLDEN / name
    if os.environ.get(UPDATE_ENV) == "1":
        with open(path, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        return
    assert path.exists(), f"{path} is missing: create it with {UPDATE_ENV}=1, then review it"
    with open(path, encoding="utf-8", newline="") as handle:
        expected = handle.read()
    assert text == expected, (
        f"{name} differs from the golden file; if the change is intended, rerun with "
        f"{UPDATE_ENV}=1 and review the diff"
    )
