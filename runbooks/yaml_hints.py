"""PyYAML's indentation errors in plain words: the key at fault and the fix.

`expected <block end>, but found '<block mapping start>'` (one space short on a step's
`title`) and `found character '\\t' that cannot start any token` (a tab) kept their place
but named no key and no fix (ux_review17 #9).
"""

from __future__ import annotations

import re

_KEY = re.compile(r"^(\s*)(?:-\s+)?([A-Za-z_][\w.-]*)\s*:")


def indentation_hint(text: str, problem: str, line: int) -> str:
    """`; indent with spaces ...` or `; 'title' is indented ...` for the syntax error
    `problem` at `line` (1-based), or "" when its words are not the known ones."""
    lines = text.split("\n")
    if "'\\t' that cannot start any token" in problem:
        return "; a tab indents this line: indent with spaces (YAML takes no tabs)"
    if not problem.startswith("expected <block end>") or not 0 < line <= len(lines):
        return ""
    here = _KEY.match(lines[line - 1])
    if here is None:
        return ""
    for number in range(line - 1, 0, -1):
        above = _KEY.match(lines[number - 1])
        if above is None or lines[number - 1].lstrip().startswith("#"):
            continue
        col, above_col = len(here.group(1)) + 1, above.start(2) + 1
        if above_col != col:
            return (
                f"; '{here.group(2)}' starts at column {col}, not at column {above_col} as "
                f"'{above.group(2)}' on line {number} above: indent it as the keys it goes with"
            )
        return ""
    return ""
