"""libyaml's parser gives the composer the document PyYAML's Python parser gives it.

`runbooks.yaml_compose` composes on libyaml's events and, whenever libyaml refuses a
text (or anything at all goes wrong), composes it again on the Python parser's, which
tells the problem. So wherever libyaml accepts a text, the nodes must be the Python
parser's: the same kinds, tags, values, styles and marks (where each starts, and the index
where it ends); and no text the Python parser refuses may be accepted by libyaml. Checked
on the fuzzers' damaged runbooks, on text made of YAML's awkward characters, and on
every bundled runbook.
"""

from __future__ import annotations

import re

import yaml
from hypothesis import given
from hypothesis import strategies as st
from yaml.nodes import MappingNode, Node, ScalarNode

from runbooks import BUNDLED_DIR, yaml_compose
from runbooks.source_text import decode_source
from runbooks.yaml_compose import compose_in_python
from runbooks.yaml_nodes import parse_yaml
from tests.depth import examples
from tests.runbooks.test_fuzz import ROLLBACK, byte_damage, fuzz_settings, yaml_structure
from tests.runbooks.test_unclosed_quote import HINT, UNCLOSED, unclosed_at_line_40

Flat = list[tuple[object, ...]]


def flat(node: Node | None) -> Flat:
    """Every node in document order, with everything the converter reads of it."""
    if node is None:
        return []
    start, end = node.start_mark, node.end_mark
    # A plain scalar's style is None from the Python parser and "" from libyaml, and an
    # indentless sequence's flow style None or False: the converter reads only whether
    # a scalar was double-quoted.
    style = node.style == '"' if isinstance(node, ScalarNode) else None
    row = (type(node).__name__, node.tag, style, start.line, start.column, start.index)
    own = (end.index,)  # where a node ends is read only as an index (`_forbidden_at`)
    if isinstance(node, ScalarNode):
        return [(*row, *own, node.value)]
    children: list[Node] = (
        [part for pair in node.value for part in pair]
        if isinstance(node, MappingNode)
        else list(node.value)
    )
    return [(*row, *own, len(children)), *(item for child in children for item in flat(child))]


def fast_nodes(text: str) -> Flat | None:
    """libyaml's composition, or None where it is not used or refuses (the Python parser
    then composes the text, or tells why not)."""
    if not yaml_compose.on_libyaml(text):
        return None
    assert yaml_compose._FastLoader is not None
    loader = yaml_compose._FastLoader(text)
    try:
        return flat(loader.get_single_node())
    except Exception:
        return None


def python_nodes(text: str) -> Flat | None:
    try:
        return flat(compose_in_python(text))
    except Exception:
        return None


def agree(text: str) -> bool:
    """Whether libyaml accepted `text` (the nodes are checked to be the Python parser's)."""
    fast = fast_nodes(text)
    if fast is None:
        return False
    python = python_nodes(text)
    assert python is not None, f"libyaml accepted what the Python parser refuses: {text!r}"
    assert fast == python, text
    return True


def test_libyaml_is_there_so_the_fast_path_is_what_these_tests_check() -> None:
    assert yaml.__with_libyaml__
    assert yaml_compose._FastLoader is not None


def test_every_bundled_runbook_is_composed_alike() -> None:
    texts = [path.read_text(encoding="utf-8") for path in sorted(BUNDLED_DIR.rglob("*.yaml"))]
    assert texts
    assert all(agree(text) for text in texts)


def check_damaged(data: bytes, accepted: list[bool]) -> None:
    text, _ = decode_source(data, "rollback.yaml")
    if text is not None:
        accepted.append(agree(text))


def test_damaged_runbooks_are_composed_alike_or_told_by_the_python_parser() -> None:
    accepted: list[bool] = []
    damaged = st.one_of(byte_damage(ROLLBACK), yaml_structure())

    @fuzz_settings(examples(600))
    @given(damaged)
    def each(data: bytes) -> None:
        check_damaged(data, accepted)

    each()
    assert accepted.count(True) > len(accepted) // 4, "libyaml accepted too few to compare"


AWKWARD = [
    *("\r\n", "\r", "\x85", "\u2028", "\u2029", "\ufeff", "\t", " ", "\n", "\\"),
    *("- ", ": ", "? ", "#", "&a ", "*a", "!!str ", "!x ", "<<: ", "|", ">", "|-", ">+"),
    *('"', "'", '"\\x41"', '"\\u00e9"', '"\\N"', '"\\_"', '"\\L"', '"\\P"', '"\\e"', '"\\ "'),
    *("[", "]", "{", "}", ",", "a", "ß", "数", "\U0001f600", "1", "0x1F", "1e3", "~"),
    *("---\n", "...\n", "%YAML 1.1\n", "%TAG ! tag:x,2026:\n", "k", "v"),
]


@fuzz_settings(examples(600))
@given(st.lists(st.sampled_from(AWKWARD), max_size=40).map("".join), st.sampled_from(["", "\n"]))
def test_text_of_awkward_characters_is_composed_alike_or_told_by_the_python_parser(
    text: str, end: str
) -> None:
    agree(text + end)


def test_a_syntax_error_is_told_in_the_same_words_with_libyaml_or_without(monkeypatch):
    """libyaml refuses a quote left unclosed, and the Python parser tells it: the problem,
    and where the quote opened, are the same as from a PyYAML built without libyaml."""
    texts = [unclosed_at_line_40(), *(case.values[0] for case in UNCLOSED)]
    assert all(yaml_compose.on_libyaml(text) and fast_nodes(text) is None for text in texts)
    told = [parse_yaml(text, "unclosed.yaml").problems for text in texts]
    assert all(len(problems) == 1 and HINT in problems[0].message for problems in told)
    monkeypatch.setattr(yaml_compose, "_FastLoader", None)
    assert [parse_yaml(text, "unclosed.yaml").problems for text in texts] == told


_QUESTION_IN_FLOW_BEFORE = re.compile(r"[\[{][^\]}]*\?")
"""What `_READ_OTHERWISE` looked for as a `?` in a flow collection before: it tried
each bracket to the next closing one, minutes for a line of `[`."""


@fuzz_settings(examples(600))
@given(st.text(alphabet="[]{}?a: \n", max_size=60))
def test_a_question_mark_in_a_flow_collection_is_found_as_before(text: str) -> None:
    """A `?` with an opening bracket before it and no closing one between is one with no
    bracket at all between it and the last opening one before it."""
    now = re.search(r"[\[{][^\[\]{}]*\?", text)
    assert (now is not None) == (_QUESTION_IN_FLOW_BEFORE.search(text) is not None)
    assert yaml_compose._READ_OTHERWISE.pattern.count(r"[\[{][^\[\]{}]*\?") == 1
