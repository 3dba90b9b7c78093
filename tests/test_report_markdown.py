"""The escaping helpers on their own: whatever the text, it stays text."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from incident.core.text import visible, visible_block
from incident.reports.markdown import cell, code_span, fence, heading, inline, table
from tests.golden.incidents import NASTY, NASTY_LINES, flat
from tests.golden.markdown_checks import (
    fences,
    headings,
    html_tokens,
    inline_text,
    links,
    tables,
    tokens,
)

LINE_STARTS = [
    "# heading",
    "###### six",
    "- bullet",
    "+ plus",
    "* star",
    "1. ordered",
    "12) ordered",
    "> quote",
    "---",
    "===",
    "***",
    "<div>html</div>",
    "<!-- comment -->",
    "```fence",
    "~~~fence",
    "    indented code",
    "| a | b |",
    "[ref]: http://example.com",
    "\\",
    NASTY,
    NASTY_LINES,
]


@pytest.mark.parametrize("text", LINE_STARTS)
def test_inline_text_is_one_paragraph_even_at_the_start_of_a_line(text):
    # a line before it, so a setext underline would have something to underline
    found = tokens("Before\n\n" + inline(text) + "\n")
    kinds = [t.type for t in found]
    assert kinds == [
        "paragraph_open",
        "inline",
        "paragraph_close",
        "paragraph_open",
        "inline",
        "paragraph_close",
    ], (text, inline(text))
    assert inline_text(found[4]) == visible(flat(text))


def test_versions_are_left_readable():
    assert inline("2.4.1") == "2.4.1"
    assert cell("2.4.1") == "2.4.1"
    assert inline("1. ordered") == "1\\. ordered"


@pytest.mark.parametrize("text", LINE_STARTS)
def test_cells_stay_in_their_column(text):
    source = "\n".join(table(["A", "B", "C"], [["x", cell(text), "y"]]))
    (parsed,) = tables(tokens(source))
    assert parsed == [["A", "B", "C"], ["x", visible(flat(text)), "y"]]


def test_empty_cell_keeps_the_row_shape():
    assert cell("") == " "
    (parsed,) = tables(tokens("\n".join(table(["A", "B"], [[cell(""), "x"]]))))
    assert parsed[1] == ["", "x"]


def test_table_refuses_a_row_of_the_wrong_width():
    with pytest.raises(ValueError):
        table(["A", "B"], [["only one"]])


@pytest.mark.parametrize(
    "text",
    [
        NASTY_LINES,
        "```",
        "````\n```\n`````",
        "ends without newline",
        "ends with newline\n",
        "\n\nleading blank lines",
        "crlf\r\nline\rbreaks",
        "",
    ],
)
def test_fence_holds_text_exactly(text):
    source = "\n".join(["before", "", *fence(text), "", "after"]) + "\n"
    found = tokens(source)
    # CRLF is a line break; a lone CR a control, shown as ␍ (ux_review16 #16)
    expected = visible_block(text.replace("\r\n", "\n"))
    expected = expected[:-1] if expected.endswith("\n") else expected
    assert fences(found) == [expected + "\n" if expected else ""]
    assert html_tokens(found) == []
    assert inline_text(found[-2]) == "after"


def test_heading_keeps_trailing_hashes_as_text():
    found = tokens("# " + heading("Checkout broken ##") + "\n")
    assert headings(found) == [(1, "Checkout broken ##")]


@pytest.mark.parametrize("text", ["plain", "a `tick`", "``two``", "`edge`", "pipe | x"])
def test_code_span_holds_its_text(text):
    found = tokens(code_span(text) + "\n")
    (child,) = found[1].children or []
    assert child.type == "code_inline" and child.content == text


@pytest.mark.parametrize("text", ["# heading", "#1 checkout", "## two ##", "+ plus #"])
def test_heading_shows_a_leading_hash_once(text):
    # a leading `#` was escaped twice (`\\#`): the heading showed a backslash
    assert headings(tokens("# " + heading(text) + "\n")) == [(1, text)]


ADDRESSES = [
    ("https://grafana.example/d/x?var-env=prod&from=now-1h", "", ""),
    ("https://wiki.example/Checkout_rollback", "see ", "."),
    ("https://wiki.example/Foo_(bar)", "(", ")"),
    ("https://x.example/a*b~c[1]", "", ", then"),
    ("https://x.example/#frag_1", "# ", ""),
    ("http://example.com", "<", ">"),
    ("https://x.example/a_b", "`curl -fsS ", "` exited 0"),
    ("https://x.example/a_b", '"', '"'),
]


def written_and_read(where: str, text: str) -> tuple[list[Token], str]:
    """`text` written as inline text, a table cell or a heading, and read back by a
    Markdown parser: its tokens, and the text a reader sees."""
    if where == "inline":
        found = tokens("Before\n\n" + inline(text) + "\n")
        return found, inline_text(found[4])
    if where == "heading":
        found = tokens("# " + heading(text) + "\n")
        (_, shown) = headings(found)[0]
        return found, shown
    found = tokens("\n".join(table(["A", "B", "C"], [["x", cell(text), "y"]])))
    (parsed,) = tables(found)
    assert [parsed[1][0], parsed[1][2]] == ["x", "y"]
    return found, parsed[1][1]


@pytest.mark.parametrize(("address", "before", "after"), ADDRESSES)
@pytest.mark.parametrize("where", ["inline", "cell", "heading"])
def test_a_web_address_links_where_it_says_and_shows_as_typed(where, address, before, after):
    """GFM links a bare address as it stands in the file: an escaped `&` or `_` in it
    made a link to `...%5C&...`, a page that does not exist, shown with backslashes."""
    text = before + address + after
    found, shown = written_and_read(where, text)
    assert shown == text
    assert [unquote(link) for link in links(found)] == [address]  # `[` is sent as %5B
    assert html_tokens(found) == []


LINKED_AS_GFM_LINKS_THEM = [
    ("www.example.com/runbook_v2", "see ", ".", "http://www.example.com/runbook_v2"),
    ("www.example.com/q?a=1&b=2", "(", ")", "http://www.example.com/q?a=1&b=2"),
    ("www.example.com/*draft*", "", "", "http://www.example.com/*draft"),
    ("https://x.example/a|b", "", " then", "https://x.example/a|b"),
    ("https://x.example/a_b|c", "see ", "", "https://x.example/a_b|c"),
    ("www.example.com/a|b_c", "", ", then", "http://www.example.com/a|b_c"),
]


@pytest.mark.parametrize(("address", "before", "after", "target"), LINKED_AS_GFM_LINKS_THEM)
@pytest.mark.parametrize("where", ["inline", "cell", "heading"])
def test_a_www_address_or_one_with_a_pipe_links_as_gfm_links_the_text(
    where, address, before, after, target
):
    """`www.example.com/runbook\\_v2` linked to `.../runbook` (or, on GitHub, to
    `.../runbook%5C_v2`), and `https://x/a\\|b` kept its backslash outside a table. A
    `www.` address is linked as GFM links it as typed (to `http://www...`); a `|` in
    an address is part of it, escaped only in a table cell, where GFM reads `\\|` as
    `|` before the cell's link."""
    text = before + address + after
    found, shown = written_and_read(where, text)
    assert shown == text
    assert [unquote(link) for link in links(found)] == [target]
    assert html_tokens(found) == []


@pytest.mark.parametrize(
    "text",
    ["see example.com/x_y", "example.com/a|b", "xwww.example.com/a_b", "www.a_b.com/x_y"],
)
def test_text_that_gfm_does_not_link_is_no_link(text):
    """No link is made where GFM makes none of the text as typed: an address without
    a scheme or a `www.` at a word's start, or with an underscore in its domain's last
    two parts. (markdown-it's fuzzy links, which GFM has not, are turned off here.)"""
    gfm = MarkdownIt("gfm-like")
    gfm.linkify.set({"fuzzy_link": False})
    for source in (inline(text), "\n".join(table(["A", "B"], [[cell(text), "y"]]))):
        found = gfm.parse(source + "\n")
        assert links(found) == [], source
        assert "](" not in source and "<" not in source
    assert inline_text(gfm.parse(inline(text) + "\n")[1]) == text
