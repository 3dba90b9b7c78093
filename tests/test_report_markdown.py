"""The escaping helpers on their own: whatever the text, it stays text."""

from __future__ import annotations

import pytest

from incident.core.text import visible, visible_block
from incident.reports.markdown import cell, code_span, fence, heading, inline, table
from tests.golden.incidents import NASTY, NASTY_LINES
from tests.golden.markdown_checks import (
    fences,
    headings,
    html_tokens,
    inline_text,
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
    assert inline_text(found[4]) == visible(" ".join(text.split()))


def test_versions_are_left_readable():
    assert inline("2.4.1") == "2.4.1"
    assert cell("2.4.1") == "2.4.1"
    assert inline("1. ordered") == "1\\. ordered"


@pytest.mark.parametrize("text", LINE_STARTS)
def test_cells_stay_in_their_column(text):
    source = "\n".join(table(["A", "B", "C"], [["x", cell(text), "y"]]))
    (parsed,) = tables(tokens(source))
    assert parsed == [["A", "B", "C"], ["x", visible(" ".join(text.split())), "y"]]


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
    expected = visible_block(text.replace("\r\n", "\n").replace("\r", "\n"))
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
