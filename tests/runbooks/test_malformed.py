"""The malformed-runbook corpus: every file yields one precise problem, never a traceback.

Each committed file states what it must produce on its first line, as
`# expect: LINE:COL: message-substring` (YAML) or `<!-- expect: ... -->`
(Markdown). Files that cannot hold a comment (binary, empty) are in EXPECTED
below; files that must not be committed (huge, missing, a directory) are made
at test time.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from runbooks import Problem, RunbookError, load_runbook, validate_runbook_file
from runbooks.limits import MAX_ALIAS_NODES, MAX_BYTES, MAX_EXPANDED_CHARS, MAX_NODES

CORPUS = Path(__file__).parent / "malformed"
_EXPECT = re.compile(r"^(?:# expect: |<!-- expect: )(\d+):(\d+): (.+?)(?: -->)?$")

EXPECTED: dict[str, tuple[int, int, str]] = {
    "binary-garbage.yaml": (1, 1, "not a text file (invalid UTF-8 at byte 0)"),
    "invalid-utf8.yaml": (2, 11, "not a text file (invalid UTF-8 at byte 21)"),  # not 1:1
    "nul-bytes.yaml": (2, 17, "not a text file (NUL byte)"),
    "control-character.yaml": (2, 18, "control character U+0007 (BEL) in the file; runbook"),
    "zero-bytes.yaml": (1, 1, "empty runbook"),
    "zero-bytes.md": (1, 1, "empty runbook"),
}
"""Expectations for files where a comment line is impossible."""


def expectation(path: Path) -> tuple[int, int, str]:
    if path.name in EXPECTED:
        return EXPECTED[path.name]
    first_line = path.read_bytes().split(b"\n", 1)[0].decode("utf-8")
    match = _EXPECT.match(first_line)
    assert match, f"{path.name} must start with an '# expect: LINE:COL: message' comment"
    return int(match[1]), int(match[2]), match[3]


def corpus() -> list[Path]:
    return sorted(path for path in CORPUS.iterdir() if path.is_file())


def assert_reports(path: Path, line: int, col: int, text: str) -> list[Problem]:
    found = validate_runbook_file(path)
    shown = "\n".join(str(p) for p in found)
    assert any(p.line == line and p.col == col and text in p.message for p in found), (
        f"expected {line}:{col}: {text!r} in:\n{shown}"
    )
    for problem in found:
        assert str(problem).startswith(f"{path}:{problem.line}:{problem.col}: ")
        assert "internal error" not in problem.message
        assert "\n" not in str(problem)
    with pytest.raises(RunbookError) as raised:
        load_runbook(path)
    assert raised.value.problems == tuple(found)
    return found


def test_corpus_is_large_and_covers_both_formats() -> None:
    files = corpus()
    assert len(files) >= 35
    assert any(p.suffix == ".md" for p in files)
    assert set(EXPECTED) <= {p.name for p in files}


@pytest.mark.parametrize("path", corpus(), ids=lambda p: p.name)
def test_malformed_file_gives_its_problem(path: Path) -> None:
    line, col, text = expectation(path)
    found = assert_reports(path, line, col, text)
    assert len(found) == 1, "each corpus file holds exactly one mistake"


def test_huge_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    line = b"# " + b"x" * 78 + b"\n"
    path.write_bytes(b"runbook: huge\n" + line * (MAX_BYTES // len(line) + 1))
    size = path.stat().st_size
    assert size > MAX_BYTES
    assert_reports(path, 1, 1, f"file too large: {size} bytes (limit 1 MiB)")


def test_file_of_exactly_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "limit.yaml"
    path.write_bytes(b"#" * (MAX_BYTES - 1) + b"\n")
    assert [p.message for p in validate_runbook_file(path)] == ["empty runbook"]


def test_binary_markdown_file(tmp_path: Path) -> None:
    """Made at test time: ruff reads committed .md files and stops at invalid UTF-8."""
    path = tmp_path / "binary.md"
    path.write_bytes(b"\x00\x01\x02\xff\xfe# not markdown\n")
    assert_reports(path, 1, 4, "not a text file (invalid UTF-8 at byte 3)")


def test_invalid_utf8_is_placed_at_its_line_and_character(tmp_path: Path) -> None:
    """It was always 1:1; the column counts characters (`é` is one), after a BOM."""
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"\xef\xbb\xbfrunbook: x\ntitle: \xc3\xa9t\xe9\n")
    assert_reports(path, 2, 10, "not a text file (invalid UTF-8 at byte 24)")


def test_missing_file(tmp_path: Path) -> None:
    assert_reports(tmp_path / "nope.yaml", 1, 1, "cannot read runbook: No such file or directory")


def test_missing_markdown_file(tmp_path: Path) -> None:
    assert_reports(tmp_path / "nope.md", 1, 1, "cannot read runbook: No such file or directory")


def test_directory(tmp_path: Path) -> None:
    directory = tmp_path / "runbook.yaml"
    directory.mkdir()
    assert_reports(directory, 1, 1, "cannot read runbook: Is a directory")


def test_not_a_regular_file(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    assert_reports(fifo, 1, 1, "cannot read runbook: not a regular file")


def test_path_with_nul_character() -> None:
    found = validate_runbook_file("bad\0name.yaml")
    assert len(found) == 1
    assert found[0].line == 1 and found[0].col == 1
    assert found[0].message.startswith("cannot read runbook:")


def test_deep_nesting_beyond_the_parser_stack(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("runbook: x\ndescription: " + "[" * 5000 + "]" * 5000 + "\n")
    found = validate_runbook_file(path)
    assert len(found) == 1
    assert "nested too deeply" in found[0].message


def test_read_error_reports_the_os_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Permission errors cannot be provoked as root, so the open call fails on purpose."""
    from runbooks import source_text

    path = tmp_path / "secret.yaml"
    path.write_text("runbook: x\n")

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(source_text, "open", refuse, raising=False)
    assert_reports(path, 1, 1, "cannot read runbook: Permission denied")


def test_huge_document_stops_composing_at_the_node_bound(tmp_path: Path) -> None:
    """Under 1 MiB but half a million nodes: refused without composing them all (nor
    composing them again with the Python parser), at the node past the bound."""
    path = tmp_path / "many.yaml"
    path.write_text("runbook: x\ndescription: [" + "1," * 500_000 + "1]\n")
    assert path.stat().st_size <= MAX_BYTES
    found = validate_runbook_file(path)
    col = len("description: [") + 2 * (MAX_NODES - 5) + 1  # 5 nodes before the list's items
    assert [str(p) for p in found] == [
        f"{path}:2:{col}: document has more than {MAX_NODES} YAML nodes, too many for a runbook"
    ]


def test_a_big_runbook_without_aliases_is_no_alias_bomb(tmp_path: Path) -> None:
    """25,000 one-line steps (under 1 MiB, 125,000 nodes) were refused as "document
    expands to more than 100000 nodes (alias bomb?)"; they are read."""
    path = tmp_path / "big.yaml"
    steps = "".join(f"      - {{id: s{n}, title: S{n}}}\n" for n in range(25_000))
    path.write_text(
        f"runbook: big\ntitle: Big\nphases:\n  - id: a\n    title: A\n    steps:\n{steps}"
    )
    assert path.stat().st_size <= MAX_BYTES
    assert len(load_runbook(path).steps()) == 25_000


def test_aliases_are_bounded_by_the_nodes_they_add(tmp_path: Path) -> None:
    """A few lines that repeat a node 100,001 times are refused at the node repeated."""
    path = tmp_path / "repeats.yaml"
    path.write_text(
        "runbook: x\ntitle: X\nroles: &r [a, b, c, d, e, f, g, h, i, j]\n"
        f"description: [{', '.join(['*r'] * 10_000)}]\n"
    )
    found = validate_runbook_file(path)
    assert [str(p) for p in found] == [
        f"{path}:3:39: aliases add more than {MAX_ALIAS_NODES} nodes to the document (alias bomb?)"
    ]


def test_long_string_aliased_many_times_is_refused_at_the_anchor(tmp_path: Path) -> None:
    """Under 1 MiB and 90,000 nodes, but 36 GB of text once the aliases are expanded:
    refused without checking (or quoting in a problem) that text 90,000 times."""
    path = tmp_path / "laughs.yaml"
    long = "x" * 400_000
    path.write_text(
        f'runbook: x\ndescription: &a "{long}"\nroles: [{", ".join(["*a"] * 90_000)}]\n'
    )
    assert path.stat().st_size <= MAX_BYTES
    found = validate_runbook_file(path)
    assert [str(p) for p in found] == [
        f"{path}:2:14: document expands to more than {MAX_EXPANDED_CHARS} characters of text "
        "(alias bomb?)"
    ]


def test_both_parsers_stop_at_the_same_node(monkeypatch: pytest.MonkeyPatch) -> None:
    """The node bound passed on libyaml's events is told, not composed again in Python
    (which took 9 s for a 1 MiB file): at the node the Python parser stops at too."""
    from runbooks import yaml_compose

    monkeypatch.setattr(yaml_compose, "MAX_NODES", 40)
    text = "runbook: x\nphases:\n" + "".join(f"  - {{id: p{n}, title: P}}\n" for n in range(20))
    assert yaml_compose.on_libyaml(text)
    with pytest.raises(yaml_compose.Limit) as slow:
        yaml_compose.compose_in_python(text)

    def again(_text: str) -> None:
        raise AssertionError("composed again by the Python parser")

    monkeypatch.setattr(yaml_compose, "compose_in_python", again)
    with pytest.raises(yaml_compose.Limit) as fast:
        yaml_compose.compose(text)
    assert (fast.value.line, fast.value.col) == (slow.value.line, slow.value.col) == (10, 5)
