"""YAML text to PyYAML's nodes, bounded, and on libyaml's events wherever it reads
the text as PyYAML's Python parser does.

The nodes carry their marks, which `runbooks.yaml_nodes` turns into positions. The
composer refuses more nodes or deeper nesting than a runbook could need, and brackets
nested too deep are refused before either parser reads on (`bracket_depth_passes`), so
a hostile file costs a bounded amount of time and stack.

PyYAML's scanner and parser in Python took 33 ms of the bundled runbook's 36 ms to
compose: every `declare`, `init` and `validate` paid them. libyaml's, in C
(`CParser`, shipped in PyYAML's wheels), feed the same composer the same events in 3
ms. A text libyaml refuses, anything it raises but a bound passed (which the Python
parser would pass at the same node, only slower), and a text holding what it reads
otherwise (`on_libyaml`) is composed by the Python parser, so every problem is told
in the words and at the place it always was (`tests/runbooks/test_yaml_fast_path.py`
holds the two to the same nodes).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Protocol

import yaml
from yaml.composer import Composer
from yaml.nodes import Node
from yaml.resolver import Resolver

from runbooks.limits import MAX_DEPTH, MAX_NODES


class Limit(Exception):
    """A problem found while composing (a bound passed, a bad escape), with its place."""

    def __init__(self, message: str, line: int, col: int) -> None:
        super().__init__(message)
        self.message, self.line, self.col = message, line, col


class _Bounds(Composer):
    """Refuses to compose more nodes or deeper nesting than a runbook could need, so a
    hostile file costs a bounded amount of time and stack."""

    node_count = 0
    node_depth = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        self.node_count += 1
        if self.node_count > MAX_NODES:
            mark = self.peek_event().start_mark  # type: ignore[attr-defined]
            raise Limit(TOO_MANY, mark.line + 1, mark.column + 1)
        if self.node_depth > MAX_DEPTH:
            mark = self.peek_event().start_mark  # type: ignore[attr-defined]
            raise Limit(TOO_DEEP, mark.line + 1, mark.column + 1)
        self.node_depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.node_depth -= 1


class _BoundedLoader(_Bounds, yaml.SafeLoader):
    """PyYAML's SafeLoader, bounded: scanned and parsed in Python.

    Its scanner refuses a flow collection (`[`, `{`) nested deeper than `MAX_DEPTH`
    where it reads the bracket. The composer's bound comes too late for flow nesting:
    a `[` may begin a key (`[a]: b`), so the scanner reads on, up to 1,024 characters,
    before the parser has the first bracket's token, each token costing one look at
    every bracket still open (half a million looks for a line of `[`)."""

    def fetch_flow_collection_start(self, TokenClass: type) -> None:
        # A node inside this collection has at least the open flow collections, the
        # block collections (one indentation each) and this one above it.
        if self.flow_level + len(self.indents) > MAX_DEPTH:
            mark = self.get_mark()
            raise Limit(TOO_DEEP, mark.line + 1, mark.column + 1)
        super().fetch_flow_collection_start(TokenClass)


class _Loader(Protocol):
    def get_single_node(self) -> Node | None: ...
    def dispose(self) -> None: ...


try:
    from yaml._yaml import CParser
except ImportError:  # a PyYAML built without libyaml: the Python parser alone
    _FastLoader: Callable[[str], _Loader] | None = None
else:

    class _CLoader(_Bounds, CParser, Resolver):
        """The same composer on libyaml's events (its own composer, in C, is not used:
        it would skip the bounds)."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            Resolver.__init__(self)
            Composer.__init__(self)

        def get_single_node(self) -> Node | None:
            return Composer.get_single_node(self)

    _FastLoader = _CLoader


TOO_MANY = f"document has more than {MAX_NODES} YAML nodes, too many for a runbook"
TOO_DEEP = f"YAML is nested too deeply (limit {MAX_DEPTH} levels)"

BAD_ESCAPE = "YAML syntax error: escape is not a Unicode character (at most \\U0010FFFF)"


_READ_OTHERWISE = re.compile(
    r"[\t\r\x85\u2028\u2029\ufeff]"  # a tab (after an anchor, say), a BOM, other line breaks
    r"|[|>][-+0-9]*#"  # a comment straight after a block scalar's header
    r"|[\[{][^\[\]{}]*\?"  # a `?` in a flow collection (after its last bracket: linear)
    r"|:\s*[\]},]"  # an empty value in one (libyaml places it a column on)
    r"|(?:^|[\s,\[{])!",  # a tag
    re.MULTILINE,
)
"""What libyaml reads otherwise than the Python parser (accepting what it refuses, or
placing a node elsewhere), found by `tests/runbooks/test_yaml_fast_path.py`."""


def on_libyaml(text: str) -> bool:
    """Whether `text` is composed on libyaml's events where PyYAML has them: a text
    ending in a line break (where the end of input is not, libyaml places an empty value
    on the next line) and free of `_READ_OTHERWISE`, as runbooks are."""
    return text.endswith("\n") and not _READ_OTHERWISE.search(text)


def bracket_depth_passes(text: str, depth: int = MAX_DEPTH) -> bool:
    """Whether `[` and `{` stand more than `depth` deep in `text`, counting every bracket
    (in strings and comments too) and no closing one below none open.

    Read in one pass, before anything slower: a text that passes goes straight to the
    Python parser, whose scanner stops at the first bracket too deep (`_BoundedLoader`)
    having read no further. One that does not is nested no deeper in flow unless a
    closing bracket in a string or comment hides it, and then libyaml's or the
    composer's bound stops it. A line of 100,000 `[` kept `_READ_OTHERWISE` (as it was)
    busy for 24 s, trying each bracket to the end of the text."""
    if text.count("[") + text.count("{") <= depth:
        return False
    open_now = 0
    for bracket in _NOT_BRACKETS.sub("", text):
        if bracket in "[{":
            open_now += 1
            if open_now > depth:
                return True
        elif open_now:
            open_now -= 1
    return False


_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")


def compose(text: str) -> Node | None:
    """`yaml.compose` with the bounded loader; a bad escape becomes a located `Limit`.

    Flow collections nested too deep are refused before libyaml or `on_libyaml` reads
    the text (`bracket_depth_passes`)."""
    if _FastLoader is not None and not bracket_depth_passes(text) and on_libyaml(text):
        fast = _FastLoader(text)
        try:
            return fast.get_single_node()
        except Limit:  # a bound passed: at the same node either way, and not read twice
            raise
        except Exception:  # told again below, as the Python parser tells it
            pass
        finally:
            fast.dispose()
    return compose_in_python(text)


def compose_in_python(text: str) -> Node | None:
    """The Python parser's nodes, or its error: the reference the fast path is held to."""
    loader = _BoundedLoader(text)
    try:
        return loader.get_single_node()
    except (ValueError, OverflowError) as exc:  # PyYAML's chr() on "\\UFFFFFFFF"
        mark = loader.get_mark()
        raise Limit(BAD_ESCAPE, mark.line + 1, _escape_col(mark)) from exc
    finally:
        loader.dispose()


def _escape_col(mark: yaml.Mark) -> int:
    """The column of the backslash of a `\\xNN`/`\\uNNNN`/`\\UNNNNNNNN` escape whose
    digits the scanner stopped at (two characters back), at least 1."""
    return max(1, mark.column - 1)
