"""YAML text to plain data, keeping the source position of every key and value.

The text is composed with PyYAML's `SafeLoader` into nodes (which carry their
marks) and converted here by hand, so that nothing but standard YAML types is
ever built, duplicate keys are refused, and alias bombs and self-referencing
aliases stop at a bound instead of exhausting memory or the stack (the composing,
bounded, is `runbooks.yaml_compose`).
"""

from __future__ import annotations

import re

import yaml
from msgspec import Struct
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.scanner import Scanner

from runbooks.data_path import INVALID, DataPath, Positions
from runbooks.limits import MAX_ALIAS_NODES, MAX_DEPTH, MAX_EXPANDED_CHARS
from runbooks.printable import (
    control_message,
    forbidden_in_commands,
    forbidden_in_strings,
    is_command,
)
from runbooks.problems import Problem
from runbooks.source_text import line_col
from runbooks.yaml_compose import TOO_DEEP, Limit, compose
from runbooks.yaml_hints import indentation_hint
from runbooks.yaml_unclosed import unclosed_quote

_STANDARD = "tag:yaml.org,2002:"
_STR = _STANDARD + "str"
_INT = _STANDARD + "int"
_FLOAT = _STANDARD + "float"
_BOOL = _STANDARD + "bool"
_NULL = _STANDARD + "null"
_TIMESTAMP = _STANDARD + "timestamp"
_MAP = _STANDARD + "map"
_SEQ = _STANDARD + "seq"
_MERGE = _STANDARD + "merge"
_SCALAR_TAGS = frozenset({_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP, _MERGE})


class ParsedYaml(Struct):
    data: object
    """Plain data (dicts, lists, str, int, float, bool, None, INVALID); None if empty."""
    positions: Positions
    problems: list[Problem]
    empty: bool = False


class _Abort(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_STANDARD) if tag.startswith(_STANDARD) else tag


_TOO_LONG = f"document expands to more than {MAX_EXPANDED_CHARS} characters of text (alias bomb?)"
_TOO_REPEATED = f"aliases add more than {MAX_ALIAS_NODES} nodes to the document (alias bomb?)"


def parse_yaml(text: str, file: str) -> ParsedYaml:
    """Compose and convert `text`; syntax errors become problems at their mark."""
    positions = Positions()
    try:
        root = compose(text)
    except Limit as limit:
        return ParsedYaml(None, positions, [Problem(file, limit.line, limit.col, limit.message)])
    except yaml.MarkedYAMLError as exc:
        return ParsedYaml(None, positions, [_syntax_problem(file, text, exc)])
    except yaml.reader.ReaderError as exc:
        line, col = line_col(text, max(0, min(exc.position, len(text))))
        return ParsedYaml(None, positions, [Problem(file, line, col, f"YAML error: {exc.reason}")])
    except yaml.YAMLError as exc:
        message = " ".join(str(exc).split())
        return ParsedYaml(None, positions, [Problem(file, 1, 1, f"YAML error: {message}")])
    except RecursionError:  # not expected past the depth bound, but never a traceback
        return ParsedYaml(None, positions, [Problem(file, 1, 1, TOO_DEEP)])
    if root is None:
        return ParsedYaml(None, positions, [], empty=True)
    converter = _Converter(file, text, positions)
    try:
        data = converter.convert(root, (), 0)
    except _Abort as abort:
        return ParsedYaml(None, positions, [abort.problem])
    return ParsedYaml(data, positions, list(dict.fromkeys(converter.problems)))


def _syntax_problem(file: str, text: str, exc: yaml.MarkedYAMLError) -> Problem:
    """PyYAML's error at its mark, in its words; and where a quoted string that ran on
    to it opened, when the text shows one left unclosed (`runbooks.yaml_unclosed`)."""
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    message = "YAML syntax error: " + " ".join(str(exc.problem or exc.context or exc).split())
    if exc.problem and exc.context:
        context = " ".join(exc.context.split())
        context_mark = exc.context_mark
        if context_mark is not None and context_mark.line + 1 != line:
            context += f" started at line {context_mark.line + 1}"
        message += f" ({context})"
    message += indentation_hint(text, str(exc.problem or ""), line)
    opened = unclosed_quote(text, exc)
    if opened is not None:
        message += f"; a quoted string opened at {opened[0]}:{opened[1]} may be unclosed"
    return Problem(file, line, col, message)


def _pos(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


_ESCAPE = re.compile(r"\\(?:x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.DOTALL)


def _decode_escape(escape: str) -> str:
    """What PyYAML makes of one double-quoted escape (nothing for an escaped line break)."""
    code = escape[1]
    if code in Scanner.ESCAPE_CODES:
        return chr(int(escape[2:], 16))
    return Scanner.ESCAPE_REPLACEMENTS.get(code, "")


def _forbidden_at(text: str, node: ScalarNode, char: str) -> tuple[int, int, str]:
    """Where `char` (found in the node's value) is written in `text`, and how.

    Raw control characters are refused before parsing, so in a value one can only
    come from a double-quoted escape: the first escape that decodes to `char` is it.
    A bidirectional control may also be typed as it is (only commands refuse it): the
    first one, escaped or typed, is it.
    Only the node's own span is scanned, so this costs no more than reading it.
    """
    start, end = node.start_mark.index, node.end_mark.index
    typed = -1 if char == "\n" else text.find(char, start, end)  # a line break: its escape
    if node.style == '"':
        for match in _ESCAPE.finditer(text, start, typed if typed >= 0 else end):
            if _decode_escape(match.group()) == char:
                return (*_line_col(text, node, match.start()), f" (written '{match.group()}')")
    if typed >= 0:
        return (*_line_col(text, node, typed), "")
    line, col = _pos(node)
    return line, col, ""


def _line_col(text: str, node: ScalarNode, at: int) -> tuple[int, int]:
    """The line and column of `text[at]`, inside `node`'s span."""
    start = node.start_mark.index
    line = node.start_mark.line + text.count("\n", start, at)
    newline = text.rfind("\n", start, at)
    col = at - newline if newline >= 0 else node.start_mark.column + at - start + 1
    return line + 1, col


class _Converter:
    def __init__(self, file: str, text: str, positions: Positions) -> None:
        self.file = file
        self.text = text
        self.positions = positions
        self.problems: list[Problem] = []
        self.seen: set[int] = set()
        self.repeated = 0
        self.expanded = 0
        self.active: set[int] = set()
        self.constructor = SafeConstructor()

    def problem(self, node: Node, message: str) -> None:
        line, col = _pos(node)
        self.problems.append(Problem(self.file, line, col, message))

    def visit(self, node: Node, depth: int) -> None:
        if id(node) not in self.seen:  # the nodes as written are bounded as they are composed
            self.seen.add(id(node))
        else:  # one that an alias repeats
            self.repeated += 1
            if self.repeated > MAX_ALIAS_NODES:
                line, col = _pos(node)
                raise _Abort(Problem(self.file, line, col, _TOO_REPEATED))
        if depth > MAX_DEPTH:
            line, col = _pos(node)
            raise _Abort(Problem(self.file, line, col, TOO_DEEP))
        if id(node) in self.active:
            line, col = _pos(node)
            raise _Abort(Problem(self.file, line, col, "recursive alias: a node contains itself"))
        if isinstance(node, ScalarNode):
            self.expanded += len(node.value)
            if self.expanded > MAX_EXPANDED_CHARS:
                line, col = _pos(node)
                raise _Abort(Problem(self.file, line, col, _TOO_LONG))

    def convert(self, node: Node, path: DataPath, depth: int) -> object:
        self.visit(node, depth)
        self.positions.values[path] = _pos(node)
        if isinstance(node, ScalarNode):
            return self.scalar(node, path)
        expected = _SEQ if isinstance(node, SequenceNode) else _MAP
        if node.tag != expected:
            self.problem(node, f"unsupported YAML tag '{short_tag(node.tag)}'")
            return INVALID
        self.active.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                return [
                    self.convert(child, (*path, index), depth + 1)
                    for index, child in enumerate(node.value)
                ]
            assert isinstance(node, MappingNode)
            return self.mapping(node, path, depth)
        finally:
            self.active.discard(id(node))

    def printable(self, node: ScalarNode, *, key: bool = False, command: bool = False) -> bool:
        """Whether the scalar's text holds no forbidden character (keys: no line break
        either; commands: no bidirectional control); otherwise the first one is reported
        where it is written."""
        value = str(node.value)
        found = (forbidden_in_commands() if command else forbidden_in_strings()).search(value)
        if found is not None:
            char = found.group()
            where = "in a key" if key else ("in a command" if command else "in a string")
        elif key and "\n" in value:
            char, where = "\n", ""
        else:
            return True
        line, col, written = _forbidden_at(self.text, node, char)
        if where:
            message = control_message(char, where + written)
        else:
            message = f"line break in a key{written}; a key is a name and must be one line"
        self.problems.append(Problem(self.file, line, col, message))
        return False

    def scalar(self, node: ScalarNode, path: DataPath) -> object:
        tag = node.tag
        if tag in (_STR, _TIMESTAMP, _MERGE):
            if not self.printable(node, command=is_command(path)):
                return INVALID
            if "\n" in node.value:
                self.positions.breaks[path] = _forbidden_at(self.text, node, "\n")[:2]
            return str(node.value)
        if tag == _NULL:
            return None
        if tag not in _SCALAR_TAGS:
            self.problem(node, f"unsupported YAML tag '{short_tag(tag)}'")
            return INVALID
        try:
            if tag == _BOOL:
                value: object = self.constructor.construct_yaml_bool(node)
            elif tag == _INT:
                value = self.constructor.construct_yaml_int(node)
            else:
                value = self.constructor.construct_yaml_float(node)
        except Exception:  # a scalar YAML's resolver misjudged, such as `0b_`: keep the text
            return str(node.value)
        self.positions.raw[path] = str(node.value)
        return value

    def mapping(self, node: MappingNode, path: DataPath, depth: int) -> dict[str, object]:
        result: dict[str, object] = {}
        merges: list[Node] = []
        explicit: list[tuple[str, ScalarNode, Node]] = []
        first: dict[str, ScalarNode] = {}
        for key_node, value_node in node.value:
            self.visit(key_node, depth + 1)
            if isinstance(key_node, ScalarNode) and key_node.tag == _MERGE:
                merges.append(value_node)
                continue
            if not isinstance(key_node, ScalarNode):
                self.problem(key_node, "mapping keys must be plain scalars")
                continue
            if key_node.tag not in _SCALAR_TAGS:
                self.problem(key_node, f"unsupported YAML tag '{short_tag(key_node.tag)}'")
                continue
            if not self.printable(key_node, key=True):
                continue
            key = str(key_node.value)
            if key in first:
                earlier = first[key].start_mark.line + 1
                self.problem(key_node, f"duplicate key '{key}' (first at line {earlier})")
                continue
            first[key] = key_node
            explicit.append((key, key_node, value_node))
        for merge in reversed(merges):
            for source in reversed(self.merge_sources(merge, depth)):
                self.visit(source, depth + 1)
                self.active.add(id(source))
                try:
                    result.update(self.mapping(source, path, depth + 1))
                finally:
                    self.active.discard(id(source))
        for key, key_node, value_node in explicit:
            self.positions.keys[(*path, key)] = _pos(key_node)
            result[key] = self.convert(value_node, (*path, key), depth + 1)
        return result

    def merge_sources(self, merge: Node, depth: int) -> list[MappingNode]:
        if isinstance(merge, MappingNode) and merge.tag == _MAP:
            return [merge]
        if isinstance(merge, SequenceNode):
            sources = [item for item in merge.value if isinstance(item, MappingNode)]
            if len(sources) == len(merge.value):
                return sources
        self.problem(merge, "a '<<' merge needs a mapping or a list of mappings")
        return []
