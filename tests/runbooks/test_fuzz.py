"""Fuzzing without hypothesis: random bytes and random damage to real runbooks.

Whatever the input, loading returns a Runbook or raises RunbookError with
problems placed in the file; nothing else escapes, and no problem is an
"internal error" (the loader's last-resort guard).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from runbooks import BUNDLED_DIR, Problem, RunbookError, load_runbook, validate_runbook_file
from runbooks.model import Runbook

ROLLBACK = (BUNDLED_DIR / "rollback.yaml").read_bytes()
CHECKLIST = (BUNDLED_DIR / "examples" / "rollback-checklist.md").read_bytes()
YAML_BITS = [
    b":",
    b"- ",
    b"{",
    b"}",
    b"[",
    b"]",
    b"&a ",
    b"*a",
    b"!!python/object ",
    b"!x ",
    b"<<: ",
    b"|",
    b">",
    b"#",
    b"'",
    b'"',
    b"\t",
    b"\n",
    b"  ",
    b"? ",
    b"%YAML 1.1\n",
    b"---\n",
    b"...",
    b"null",
    b"~",
    b"yes",
    b"1e999",
    b".nan",
    b"-5",
    b"0x1F",
    b"{issue",
    b"${X",
    b"\\",
    b"\xff",
    b"\x00",
    b"\xc3",
    b"\xe2\x80\x93",
    b"- [ ",
    b"## ",
    b"T+5-3",
    b"(optional)",
    b"{#",
]


def mutate(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        if not out:
            out.extend(rng.choice(YAML_BITS))
            continue
        where = rng.randrange(len(out))
        action = rng.randrange(7)
        if action == 0:  # delete a span
            del out[where : where + rng.randint(1, 40)]
        elif action == 1:  # insert something YAML or Markdown cares about
            out[where:where] = rng.choice(YAML_BITS)
        elif action == 2:  # flip a byte
            out[where] = rng.randrange(256)
        elif action == 3:  # duplicate a line
            lines = bytes(out).split(b"\n")
            index = rng.randrange(len(lines))
            lines.insert(index, lines[index])
            out = bytearray(b"\n".join(lines))
        elif action == 4:  # swap two lines
            lines = bytes(out).split(b"\n")
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
            out = bytearray(b"\n".join(lines))
        elif action == 5:  # truncate
            del out[where:]
        else:  # change indentation of a line
            lines = bytes(out).split(b"\n")
            index = rng.randrange(len(lines))
            lines[index] = b" " * rng.randrange(9) + lines[index].lstrip()
            out = bytearray(b"\n".join(lines))
    return bytes(out)


def check(path: Path) -> list[Problem]:
    found = validate_runbook_file(path)
    for problem in found:
        assert isinstance(problem, Problem)
        assert problem.line >= 1 and problem.col >= 1
        assert "internal error" not in problem.message, str(problem)
        assert "\n" not in problem.message
    try:
        runbook = load_runbook(path)
    except RunbookError as error:
        assert error.problems == tuple(found) and found
    else:
        assert isinstance(runbook, Runbook) and not found
    return found


def cases() -> list[tuple[str, bytes]]:
    rng = random.Random(0x1A57_600D)
    out: list[tuple[str, bytes]] = []
    for index in range(100):
        size = rng.choice([0, 1, 2, 8, 64, 512, 4096])
        out.append((f"random-{index}.yaml", bytes(rng.randrange(256) for _ in range(size))))
    for index in range(140):
        out.append((f"rollback-{index}.yaml", mutate(ROLLBACK, rng)))
    for index in range(60):
        out.append((f"checklist-{index}.md", mutate(CHECKLIST, rng)))
    return out


CASES = cases()


def test_case_count() -> None:
    assert len(CASES) >= 300


@pytest.mark.parametrize(("name", "data"), CASES, ids=[name for name, _ in CASES])
def test_fuzzed_input_never_escapes(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    check(path)


def test_mutations_find_problems_and_survivors() -> None:
    """The mutator is strong enough to break files, and gentle enough to leave some valid."""
    rng = random.Random(7)
    outcomes = set()
    for _ in range(60):
        data = mutate(ROLLBACK, rng)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        from runbooks.yaml_loader import parse_yaml_runbook

        runbook, problems = parse_yaml_runbook(text, "fuzz.yaml", BUNDLED_DIR)
        outcomes.add(runbook is not None)
        assert (runbook is None) == bool(problems)
    assert outcomes == {True, False}
