"""Fuzzing the loaders with Hypothesis: damaged copies of the real runbooks.

Byte flips, insertions, deletions and line swaps of `runbooks/rollback.yaml` and of
the Markdown examples, random bytes, and structural mutations (YAML blocks
deleted, duplicated, moved and re-indented, values replaced by other types,
escapes, anchors and aliases, keys renamed; Markdown headings, checkboxes,
windows and ids changed). Whatever the input, loading gives a `Runbook` or raises
`RunbookError`, never anything else and never the loader's "internal error"; and
every problem is located: FILE:LINE:COL inside the file it names. A runbook that
loads holds no control character in any of its strings.

Derandomized (the seed comes from each test's name) and without an example
database, so CI sees the same 2,400 files every run of its deep pass
(LASTGOOD_TEST_DEPTH=deep, `tests/depth.py`); the README's test command checks the
first 1,200 of them.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from runbooks import BUNDLED_DIR, Problem, RunbookError, load_runbook, runbook_to_data
from runbooks.model import Runbook
from runbooks.printable import forbidden_in_strings
from tests.depth import examples

EXAMPLES = BUNDLED_DIR / "examples"
ROLLBACK = (BUNDLED_DIR / "rollback.yaml").read_bytes()
MARKDOWN = [(EXAMPLES / name).read_bytes() for name in sorted(p.name for p in EXAMPLES.iterdir())]

TOKENS = [
    *(bytes([c]) for c in b":-{}[]&*!|>#'\"\t\n\\%?~,"),
    *(b"- ", b"&a ", b"*a", b"!!python/object ", b"!x ", b"<<: ", b"? ", b"---\n", b"..."),
    *(b"%YAML 1.1\n", b"null", b"yes", b"on", b"1e999", b".nan", b"-5", b"0x1F", b"{issue"),
    *(b"${X", b"- [ ", b"## ", b"T+5-3", b"(optional)", b"{#", b"```", b"\xef\xbb\xbf"),
    *(b"\xff", b"\x00", b"\xc3", b"\x1b", b"\x7f", b"\r", b"\xc2\x9b", b"\xe2\x80\xa8"),
    *(b'"\\e[2J"', b'"\\x1b"', b'"\\u009b"', b'"\\N"', b'"\\uD800"', b'"\\UFFFFFFFF"'),
]
VALUES = [
    "[]", "{}", "null", "~", "''", "-1", "0", "1e999", ".nan", "yes", "on", "0x10",
    "2026-01-01", "[0, 5]", "[5, 0]", "[0, null]", "{a: 1}", "[a, [b]]", "!!binary aGk=",
    "!!python/name:os.system", "!local x", "*nowhere", "&v value", '"\\e[31mred"',
    '"\\x9b2J"', '"a\\nb"', '"\\uD800"', '"\\U0010FFFF"', '"\\UFFFFFFFF"', "|\n  two\n  lines",
    ">-\n  folded", "'${X'", '"{nope}"', '"step:nope"', "phase:verify", "http://", "ops",
    "check", "approval", "database", "verification", "x" * 300,
]  # fmt: skip
KEYS = [
    "runbook", "title", "id", "kind", "steps", "phases", "window", "owner", "approver",
    "template", "probe", "patterns", "steps_from", "on", "to", "mode", "send", "targets",
    "probes", "triggers", "database_tiers", "templates", "roles", "<<", "tilte", "true", "",
]  # fmt: skip
LINES = [
    "steps_from: rollback-checklist.md",
    "steps_from: {file: deployment-plan.md, section: Verification}",
    "steps_from: missing.md",
    "anchor: &x {id: a, title: b}",
    "<<: *x",
    "- {id: extra, title: Extra, kind: database}",
    "- id: decide",
    "notify: {send: {update: {on: 'step:nope', mode: auto}}}",
    "? complex",
    "title: !!binary aGk=",
]
HEADINGS = ["#", "##", "###", "", "####"]
WINDOWS = [
    "(T+0 to T+5 minutes)", "(T+30 to T+5 minutes)", "(T+5-5)", "T+45+", "(T+)",
    "(T+99999999 to T+1)", "(T+5 \u2013 T+30 minutes)", "",
]  # fmt: skip
CHECKBOXES = ["- [ ]", "- [x]", "- []", "- [ x]", "* [ ]", "1. [ ]", "- [", "-[ ]", "- [ ]  "]
SUFFIXES = [" {#dup}", " {#bad id!}", " (optional)", " {#dup} (optional)", " **", ""]


def fuzz_settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# --- mutations ------------------------------------------------------------------------


@st.composite
def byte_damage(draw: st.DrawFn, source: bytes) -> bytes:
    """1-6 byte-level changes: flips, insertions, deletions, line swaps and copies."""
    out = bytearray(source)
    for _ in range(draw(st.integers(1, 6))):
        action = draw(st.sampled_from(["flip", "insert", "delete", "swap", "copy", "cut"]))
        at = draw(st.integers(0, max(0, len(out) - 1)))
        if action == "flip" and out:
            out[at] = draw(st.integers(0, 255))
        elif action == "insert":
            out[at:at] = draw(st.sampled_from(TOKENS))
        elif action == "delete":
            del out[at : at + draw(st.integers(1, 40))]
        elif action == "cut":
            del out[at:]
        else:
            lines = bytes(out).split(b"\n")
            i, j = (draw(st.integers(0, len(lines) - 1)) for _ in range(2))
            if action == "swap":
                lines[i], lines[j] = lines[j], lines[i]
            else:
                lines.insert(j, lines[i])
            out = bytearray(b"\n".join(lines))
    return bytes(out)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _block(lines: list[str], start: int) -> int:
    """End (exclusive) of the YAML block starting at `start`: it and deeper lines."""
    end = start + 1
    while end < len(lines) and (
        not lines[end].strip() or _indent(lines[end]) > _indent(lines[start])
    ):
        end += 1
    return end


_KEY_LINE = re.compile(r"^(\s*(?:- )?)([\w<-]+):(.*)$")


@st.composite
def yaml_structure(draw: st.DrawFn) -> bytes:
    """1-4 structural edits of rollback.yaml: blocks, values, keys, anchors, lines."""
    lines = ROLLBACK.decode("utf-8").split("\n")
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(lines) - 1))
        end = _block(lines, at)
        action = draw(
            st.sampled_from(["value", "key", "delete", "copy", "move", "indent", "line", "alias"])
        )
        key_line = _KEY_LINE.match(lines[at])
        if action == "value" and key_line:
            value = draw(st.sampled_from(VALUES)).replace(
                "\n", "\n" + " " * (_indent(lines[at]) + 2)
            )
            lines[at:end] = [f"{key_line[1]}{key_line[2]}: {value}"]
        elif action == "key" and key_line:
            lines[at] = f"{key_line[1]}{draw(st.sampled_from(KEYS))}:{key_line[3]}"
        elif action == "delete":
            del lines[at:end]
        elif action == "copy":
            lines[end:end] = lines[at:end]
        elif action == "move":
            block, to = lines[at:end], draw(st.integers(0, len(lines) - 1))
            del lines[at:end]
            lines[to:to] = block
        elif action == "indent":
            shift = draw(st.sampled_from([-4, -2, 2, 4]))
            for index in range(at, end):
                lines[index] = " " * max(0, _indent(lines[index]) + shift) + lines[index].lstrip(
                    " "
                )
        elif action == "line":
            lines.insert(at, " " * _indent(lines[at]) + draw(st.sampled_from(LINES)))
        elif action == "alias" and key_line:
            lines[at] = f"{key_line[1]}{key_line[2]}: &a{key_line[3]}"
            other = draw(st.integers(0, len(lines) - 1))
            if (target := _KEY_LINE.match(lines[other])) is not None:
                lines[other : _block(lines, other)] = [f"{target[1]}{target[2]}: *a"]
    return "\n".join(lines).encode("utf-8")


@st.composite
def markdown_structure(draw: st.DrawFn, source: bytes) -> bytes:
    """1-4 edits of a Markdown checklist: headings, checkboxes, windows, ids, lines."""
    lines = source.decode("utf-8").split("\n")
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(lines) - 1))
        line = lines[at]
        action = draw(st.sampled_from(["heading", "box", "window", "suffix", "fence", "move"]))
        if action == "heading" and line.startswith("#"):
            lines[at] = draw(st.sampled_from(HEADINGS)) + " " + line.lstrip("#").strip()
        elif action == "box" and "[" in line:
            lines[at] = re.sub(r"^\s*[-*\d.]*\s*\[.?\]?", draw(st.sampled_from(CHECKBOXES)), line)
        elif action == "window" and line.startswith("#"):
            lines[at] = re.sub(r"\(T\+.*\)|$", draw(st.sampled_from(WINDOWS)), line, count=1)
        elif action == "suffix":
            lines[at] = line + draw(st.sampled_from(SUFFIXES))
        elif action == "fence":
            lines.insert(at, "```")
        else:
            lines.insert(draw(st.integers(0, len(lines))), lines.pop(at))
    return "\n".join(lines).encode("utf-8")


# --- checking -------------------------------------------------------------------------


def located(problem: Problem, files: dict[str, bytes]) -> bool:
    """Whether the problem's FILE:LINE:COL is inside the file it names."""
    data = files.get(problem.file)
    if data is None:
        return False
    lines = data.split(b"\n")
    if not 1 <= problem.line <= len(lines):
        return False
    return 1 <= problem.col <= len(lines[problem.line - 1].decode("utf-8", "replace")) + 1


class Fuzz:
    """One directory of files to load; counts what came out."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        for example in EXAMPLES.iterdir():  # what `steps_from` lines may name
            shutil.copy(example, directory / example.name)
        self.outcomes = {"valid": 0, "refused": 0}

    def check(self, name: str, data: bytes) -> None:
        path = self.directory / name
        path.write_bytes(data)
        files = {str(p): p.read_bytes() for p in self.directory.iterdir()}
        try:
            runbook = load_runbook(path)
        except RunbookError as error:
            assert error.problems, "a RunbookError names at least one problem"
            for problem in error.problems:
                assert "internal error" not in problem.message, str(problem)
                assert located(problem, files), f"not inside the file: {problem}"
                assert "\n" not in str(problem)
            self.outcomes["refused"] += 1
        else:
            assert isinstance(runbook, Runbook)
            for text in strings(runbook_to_data(runbook)):
                assert not forbidden_in_strings().search(text), repr(text)
            self.outcomes["valid"] += 1


def strings(data: object) -> list[str]:
    """Every string in plain data, keys included."""
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [text for key, value in data.items() for text in [*strings(key), *strings(value)]]
    if isinstance(data, list | tuple):
        return [text for item in data for text in strings(item)]
    return []


def run(
    fuzz: Fuzz, examples: int, name: Callable[[bytes], str], strategy: st.SearchStrategy[bytes]
) -> None:
    @fuzz_settings(examples)
    @given(strategy)
    def each(data: bytes) -> None:
        fuzz.check(name(data), data)

    each()
    assert sum(fuzz.outcomes.values()) >= examples


# Each test's floors are the same shares of its examples at either depth (tests/depth.py).


def test_byte_damage_to_the_yaml_runbook(tmp_path: Path) -> None:
    fuzz, n = Fuzz(tmp_path), examples(600)
    run(fuzz, n, lambda _: "rollback.yaml", byte_damage(ROLLBACK))
    assert fuzz.outcomes["refused"] > n // 2 and fuzz.outcomes["valid"] > n // 20, fuzz.outcomes


def test_structural_damage_to_the_yaml_runbook(tmp_path: Path) -> None:
    fuzz, n = Fuzz(tmp_path), examples(600)
    run(fuzz, n, lambda _: "rollback.yaml", yaml_structure())
    assert fuzz.outcomes["refused"] > n // 2 and fuzz.outcomes["valid"] > n // 20, fuzz.outcomes


def test_damage_to_the_markdown_runbooks(tmp_path: Path) -> None:
    fuzz, n = Fuzz(tmp_path), examples(1000)
    sources = st.sampled_from(MARKDOWN)
    damaged = sources.flatmap(lambda s: st.one_of(byte_damage(s), markdown_structure(s)))
    run(fuzz, n, lambda _: "checklist.md", damaged)
    floors = (n * 3 // 10, n * 3 // 100)
    assert fuzz.outcomes["refused"] > floors[0] and fuzz.outcomes["valid"] > floors[1], (
        fuzz.outcomes
    )


def test_random_bytes(tmp_path: Path) -> None:
    fuzz = Fuzz(tmp_path)
    names = ["random.yaml", "random.md"]
    run(fuzz, examples(200), lambda data: names[len(data) % 2], st.binary(max_size=4096))
