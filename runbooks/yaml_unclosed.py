"""Where a YAML syntax error's likely cause lies above it: a quoted string left unclosed.

`op: ">` (its closing quote forgotten) makes the lines below it, up to the next quote,
one string; PyYAML gives up far below, where that string ends and text it cannot place
follows (`expected <block end>, but found '<scalar>'`), or at the end of the file. The
error says what YAML saw, where it saw it; `unclosed_quote` adds where the string
opened, and only when the text shows it:

- the quoted string opens on a line above the error and is not closed on that line;
- it runs on to the error: the parser's error is at the very character after its closing
  quote (which was meant to open the next string: `"Best case...`), or the scanner's
  lies inside it (the end of the file, a document separator, or a `\\` of the lines it
  took in read as an escape);
- a line it took in reads as YAML's structure, not as a string's text: a key (`name:`)
  or a list entry (`- `) indented no deeper than the line the quote opened on.

A string written over several lines on purpose, and every other syntax error, gets
nothing (`tests/runbooks/test_unclosed_quote.py`).
"""

from __future__ import annotations

import re

import yaml
from yaml.tokens import ScalarToken

_STRUCTURE = re.compile(r"( *)(?:-(?:\s|$)|[\w.-]+ *:(?:\s|$))")
"""A line that begins a list entry or a key, after its indentation."""

_QUOTES = ('"', "'")


def unclosed_quote(text: str, error: yaml.MarkedYAMLError) -> tuple[int, int] | None:
    """The 1-based line and column of the quote that opened a string which, by the text,
    was left unclosed and ran on to `error`; None without that evidence."""
    at = error.problem_mark
    if at is None:
        return None
    opened = _opened_in_error(error) or _ending_at(text, at)
    if opened is None or opened.line >= at.line:
        return None
    lines = text.split("\n", at.line + 1)[: at.line + 1]
    indent = len(lines[opened.line]) - len(lines[opened.line].lstrip(" "))
    for line in lines[opened.line + 1 :]:
        structure = _STRUCTURE.match(line)
        if structure is not None and len(structure.group(1)) <= indent:
            return opened.line + 1, opened.column + 1
    return None


def _opened_in_error(error: yaml.MarkedYAMLError) -> yaml.Mark | None:
    """Where the quoted string the scanner was reading when it failed opened."""
    context = error.context or ""
    if context.startswith("while scanning a") and context.endswith("quoted scalar"):
        return error.context_mark
    return None


def _ending_at(text: str, at: yaml.Mark) -> yaml.Mark | None:
    """Where the quoted string that spans lines and ends just before `at` opened.

    The text is scanned again by PyYAML's scanner, up to the end of that line: only when
    a quote stands just before the error, so an error elsewhere costs nothing."""
    if at.index == 0 or text[at.index - 1] not in _QUOTES:
        return None
    line_end = text.find("\n", at.index)
    prefix = text if line_end < 0 else text[: line_end + 1]
    try:
        for token in yaml.scan(prefix, Loader=yaml.SafeLoader):
            start: yaml.Mark = token.start_mark
            end: yaml.Mark = token.end_mark
            if start.index >= at.index:
                return None
            quoted = isinstance(token, ScalarToken) and token.style in _QUOTES
            if quoted and start.line < end.line and end.index == at.index:
                return start
    except yaml.YAMLError:
        return None
    return None
