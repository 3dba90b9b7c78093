"""A quoted string left unclosed: the error stays where YAML gave up, and says where the
string opened.

`op: ">` on line 40 of the bundled runbook took in the lines below it up to the next
quote, and the one problem said only `54:13: ... expected <block end>, but found
'<scalar>'`, fourteen lines below the mistake. It still says that, on one line, and
adds `a quoted string opened at 40:9 may be unclosed`; only when the text shows it, so
well-formed runbooks, strings written over several lines on purpose and every other
syntax error get no such hint.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from runbooks import BUNDLED_DIR, validate_runbook_file
from runbooks.problems import Problem
from runbooks.yaml_loader import parse_yaml_runbook
from tests.depth import examples
from tests.runbooks.conftest import Problems, WriteFile, messages
from tests.runbooks.test_fuzz import fuzz_settings

ROLLBACK = (BUNDLED_DIR / "rollback.yaml").read_text(encoding="utf-8")
HINT = "may be unclosed"


def unclosed_at_line_40() -> str:
    lines = ROLLBACK.split("\n")
    assert lines[39] == '    op: ">"'
    lines[39] = '    op: ">'
    return "\n".join(lines)


def test_the_bundled_runbook_with_a_quote_left_open_says_where_it_opened(write: WriteFile):
    path = write(unclosed_at_line_40(), "unclosed.yaml")
    assert [str(problem) for problem in validate_runbook_file(path)] == [
        f"{path}:54:13: YAML syntax error: expected <block end>, but found '<scalar>' "
        "(while parsing a block mapping started at line 36); "
        "a quoted string opened at 40:9 may be unclosed"
    ]


UNCLOSED = [
    pytest.param(
        "runbook: x\ntitle: 'X\nphases:\n  - id: a\n    title: 'A'\n",
        "5:13: YAML syntax error: expected <block end>, but found '<scalar>' (while parsing a "
        "block mapping started at line 1); a quoted string opened at 2:8 may be unclosed",
        id="single-quoted",
    ),
    pytest.param(
        'runbook: x\ntriggers:\n  - {id: a, op: ">, threshold: 1}\n  - {id: b, title: "B"}\n',
        "4:21: YAML syntax error: expected ',' or '}', but got '<scalar>' (while parsing a flow "
        "mapping started at line 3); a quoted string opened at 3:17 may be unclosed",
        id="in-a-flow-mapping",
    ),
    pytest.param(
        'runbook: x\ntitle: "X\nphases:\n  - id: a\n',
        "5:1: YAML syntax error: found unexpected end of stream (while scanning a quoted scalar "
        "started at line 2); a quoted string opened at 2:8 may be unclosed",
        id="to-the-end-of-the-file",
    ),
    pytest.param(
        'runbook: x\ntitle: "X\ncommand: C:\\windows\n',
        "3:13: YAML syntax error: found unknown escape character 'w' (while scanning a "
        "double-quoted scalar started at line 2); a quoted string opened at 2:8 may be unclosed",
        id="a-backslash-it-took-in",
    ),
    pytest.param(
        'roles:\n  - ">\n  - sre\n  - "dba"\n',
        "4:6: YAML syntax error: expected <block end>, but found '<scalar>' (while parsing a "
        "block collection started at line 2); a quoted string opened at 2:5 may be unclosed",
        id="a-list-entry",
    ),
]


@pytest.mark.parametrize(("text", "said"), UNCLOSED)
def test_a_quote_left_open_is_pointed_at(problems: Problems, text: str, said: str):
    assert messages(problems(text)) == [said]


NOT_UNCLOSED = [
    pytest.param(
        'runbook: x\ntitle: "Emergency rollback\n',
        "3:1: YAML syntax error: found unexpected end of stream (while scanning a quoted scalar "
        "started at line 2)",
        id="nothing-taken-in",  # the error already names the line it opened on
    ),
    pytest.param(
        'runbook: x\ntitle: "Emergency\n  rollback"\nphases: [a\n',
        "5:1: YAML syntax error: expected ',' or ']', but got '<stream end>' (while parsing a "
        "flow sequence started at line 4)",
        id="a-string-over-two-lines-then-an-unclosed-list",
    ),
    pytest.param(
        'runbook: x\ntitle: "Emergency\nnote: rollback"\nphases: [a\n',
        "5:1: YAML syntax error: expected ',' or ']', but got '<stream end>' (while parsing a "
        "flow sequence started at line 4)",
        id="a-string-whose-second-line-reads-as-a-key-then-another-error",
    ),
    pytest.param(
        'runbook: x\ntitle: "Emergency\n  rollback"now\n',
        "3:12: YAML syntax error: expected <block end>, but found '<scalar>' (while parsing a "
        "block mapping started at line 1)",
        id="text-after-a-string-over-two-lines",  # no line of it reads as a key
    ),
    pytest.param(
        'runbook: x\ntitle: "Emergency\nnote: rollback" now\n',
        "3:17: YAML syntax error: expected <block end>, but found '<scalar>' (while parsing a "
        "block mapping started at line 1)",
        id="text-after-a-string-whose-second-line-reads-as-a-key",  # a space between
    ),
    pytest.param(
        'runbook: x\ntitle: "Emergency rollback" now\n',
        "2:29: YAML syntax error: expected <block end>, but found '<scalar>' (while parsing a "
        "block mapping started at line 1)",
        id="text-after-a-closed-string",
    ),
    pytest.param(
        "runbook: x\nroles: [ops, leadership\ntitle: X\n",
        "3:6: YAML syntax error: expected ',' or ']', but got ':' (while parsing a flow sequence "
        "started at line 2)",
        id="an-unclosed-list",
    ),
    pytest.param(
        'runbook: x\ntitle: X\n  description: "indented under a scalar"\n',
        "3:14: YAML syntax error: mapping values are not allowed here",
        id="bad-indentation",
    ),
]


@pytest.mark.parametrize(("text", "said"), NOT_UNCLOSED)
def test_other_syntax_errors_get_no_hint(problems: Problems, text: str, said: str):
    assert messages(problems(text)) == [said]


# --- well-formed runbooks ---------------------------------------------------------------

WORDS = st.text(st.sampled_from("abc XY-:#'\"\\,[]{}&*!|>?%@`."), min_size=1, max_size=12)
"""Text of YAML's indicators, for the strings' lines."""
LINE = WORDS.map(str.strip).filter(lambda line: line and not line.startswith(("---", "...")))
"""A line's text: not blank, not a document marker."""


@st.composite
def quoted(draw: st.DrawFn, indent: int) -> str:
    """A string written in quotes, maybe over several lines, each line after the first
    indented from 0 to `indent + 2` spaces and maybe reading as a key or a list entry."""
    first = draw(LINE)
    more = draw(st.lists(st.tuples(st.integers(0, indent + 2), LINE), max_size=3))
    lines = [first]
    for spaces, line in more:
        lines.append(" " * spaces + draw(st.sampled_from(["", "key: ", "- "])) + line)
    if draw(st.booleans()):
        escaped = [line.replace("\\", "\\\\").replace('"', '\\"') for line in lines]
        return '"' + "\n".join(escaped) + '"'
    return "'" + "\n".join(line.replace("'", "''") for line in lines) + "'"


@st.composite
def well_formed(draw: st.DrawFn) -> str:
    """A runbook whose title, summary and step titles are quoted strings."""
    title = draw(quoted(0))
    summary = draw(quoted(4))
    steps = [
        f"      - id: step-{index}\n        title: {draw(quoted(8))}\n"
        for index in range(draw(st.integers(1, 3)))
    ]
    return (
        f"runbook: drawn\ntitle: {title}\nphases:\n  - id: decide\n    title: Decide\n"
        f"    summary: {summary}\n    steps:\n{''.join(steps)}"
    )


OTHER_ERRORS = [
    "\n]",
    "\n- item",
    '\ntail: "closed" extra',
    "\nx: y: z",
    "\n---\nrunbook: y",
    "\nroles: [ops, sre",
    "\ntail: {a: 1",
    "\n  misindented: 1",
    "\ntail: a\n   b: c",
    "\ntail: [a, b]]",
    " extra",
    " ]",
    " # a comment\n- item",
]
"""Syntax errors of other kinds, on lines of their own after the runbook or after the last
step's title (which may be a quoted string over several lines)."""


def yaml_problems(text: str) -> list[Problem]:
    return parse_yaml_runbook(text, "drawn.yaml", BUNDLED_DIR)[1]


@fuzz_settings(examples(200))
@given(well_formed(), st.sampled_from(OTHER_ERRORS))
def test_well_formed_runbooks_never_get_the_hint(text: str, error: str):
    """Quoted strings over several lines, with lines that read as keys or list entries,
    load; and a syntax error of another kind after them, or just after the last one's
    closing quote, gets no hint."""
    assert yaml_problems(text) == [], text
    found = yaml_problems(text.removesuffix("\n") + error + "\n")
    assert [p.message.startswith("YAML syntax error: ") for p in found] == [True], found
    assert HINT not in found[0].message, found[0]
