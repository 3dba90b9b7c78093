"""Control characters never get into a runbook: typed into the file or written as a YAML
escape, in YAML and in Markdown, each is refused at FILE:LINE:COL of the character."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from runbooks import Problem, load_runbook
from runbooks.printable import describe
from tests.cli_helpers import Cli
from tests.runbooks.conftest import WriteFile

Problems = Callable[..., list[Problem]]

REFUSED = [*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F, *range(0x80, 0xA0)]
"""C0 without tab and newline, DEL, C1."""
NAMED_ESCAPES = {0x00: "\\0", 0x07: "\\a", 0x08: "\\b", 0x0B: "\\v", 0x0C: "\\f", 0x0D: "\\r"}
NAMED_ESCAPES |= {0x1B: "\\e", 0x85: "\\N"}

YAML = """\
runbook: x
title: Rollback
phases:
  - id: decide
    title: Decide
    steps:
      - id: assess
        title: Assess
        guidance: {value}
"""
"""The guidance value is on line 9, from column 19."""

MARKDOWN = "# Rollback\n\n## Decide (T+0 to T+5 minutes)\n\n- [ ] Assess {value}\n"
"""The task text is on line 5, from column 7."""


def escapes(code: int) -> list[str]:
    forms = [f"\\x{code:02x}", f"\\u{code:04X}", f"\\U{code:08x}"]
    return [*forms, NAMED_ESCAPES[code]] if code in NAMED_ESCAPES else forms


def only(found: list[Problem]) -> Problem:
    assert len(found) == 1, "\n".join(str(p) for p in found)
    return found[0]


@pytest.mark.parametrize("code", REFUSED, ids=lambda code: f"U+{code:04X}")
def test_yaml_escape_is_refused_at_its_backslash(problems: Problems, code: int) -> None:
    for escape in escapes(code):
        problem = only(problems(YAML.format(value=f'"ok {escape} then"')))
        # `guidance: "ok \` - the backslash is the 23rd character of line 9
        assert (problem.line, problem.col) == (9, 23), (escape, str(problem))
        assert problem.message == (
            f"control character {describe(chr(code))} in a string (written '{escape}'); "
            "runbook text is shown to people and must be printable"
        )


def test_escape_after_an_earlier_line_break_is_placed_on_its_own_line(problems: Problems) -> None:
    text = YAML.format(value='"first line\n          \\\\e is text, \\e is not"')
    problem = only(problems(text))
    assert (problem.line, problem.col) == (10, 24)
    assert "U+001B (ESC)" in problem.message


@pytest.mark.parametrize("code", [c for c in REFUSED if c not in (0x00, 0x0D)], ids=hex)
def test_raw_control_character_in_yaml_is_refused_where_it_is(
    problems: Problems, code: int
) -> None:
    problem = only(problems(YAML.format(value=f"ok {chr(code)} then")))
    assert (problem.line, problem.col) == (9, 22)
    assert problem.message == (
        f"control character {describe(chr(code))} in the file; "
        "runbook text is shown to people and must be printable"
    )


@pytest.mark.parametrize("code", [c for c in REFUSED if c not in (0x00, 0x0D)], ids=hex)
def test_raw_control_character_in_markdown_is_refused_where_it_is(
    problems: Problems, code: int
) -> None:
    problem = only(problems(MARKDOWN.format(value=f"now{chr(code)}"), "checklist.md"))
    assert (problem.line, problem.col) == (5, 17)
    assert problem.message.startswith(f"control character {describe(chr(code))} in the file")


def test_control_character_in_a_comment_is_refused_too(problems: Problems) -> None:
    problem = only(problems("# a comment \x1b[2J\n" + YAML.format(value="ok")))
    assert (problem.line, problem.col) == (1, 13)


@pytest.mark.parametrize("name", ["runbook.yaml", "runbook.md"])
def test_nul_anywhere_is_refused(problems: Problems, name: str) -> None:
    text = YAML.format(value="ok") if name.endswith("yaml") else MARKDOWN.format(value="")
    problem = only(problems(text.replace("Assess", "Ass\0ess"), name))
    assert problem.message == "not a text file (NUL byte)"
    assert problem.line == (8 if name.endswith("yaml") else 5)


def test_lone_carriage_return_is_refused_but_crlf_line_ends_are_read(
    problems: Problems, write: WriteFile
) -> None:
    crlf = YAML.format(value="ok").replace("\n", "\r\n")
    assert problems(crlf) == []
    problem = only(problems(YAML.format(value="ok\rthen")))
    assert (problem.line, problem.col) == (9, 21)
    assert "U+000D (CR)" in problem.message


@pytest.mark.parametrize("char", ["\u2028", "\u2029"])
def test_unicode_line_separators_are_refused(problems: Problems, char: str) -> None:
    """PyYAML counts them as line breaks and editors do not: they would shift every line."""
    problem = only(problems(YAML.format(value=f"ok {char} then")))
    assert (problem.line, problem.col) == (9, 22)
    assert describe(char) in problem.message


def test_tab_and_newline_are_kept_where_text_may_hold_them(write: WriteFile) -> None:
    """A tab typed inside quotes, and `\\t` / `\\n` escapes where a field may wrap."""
    text = YAML.format(value='"one\\ttwo\\nthree"').replace("title: Assess", 'title: "A\tB"')
    runbook = load_runbook(write(text))
    step = runbook.phases[0].steps[0]
    assert step.guidance == "one\ttwo\nthree"
    assert step.title == "A\tB"
    markdown = load_runbook(write(MARKDOWN.format(value="\tnow"), "checklist.md"))
    assert markdown.phases[0].steps[0].title.split() == ["Assess", "now"]


@pytest.mark.parametrize(
    ("field", "line", "col"),
    [("title: Assess", 8, 23), ("id: assess", 7, 20), ("owner: ops", 9, 20)],
)
def test_line_break_is_refused_in_a_one_line_field(
    problems: Problems, field: str, line: int, col: int
) -> None:
    key, value = field.split(": ")
    text = YAML.format(value="ok").replace(field, f'{key}: "{value}\\nmore"')
    if key == "owner":
        text = text.replace("        guidance: ok", f'        {key}: "{value}\\nmore"')
    problem = only(problems(text))
    assert (problem.line, problem.col) == (line, col)
    assert problem.message == f"'{key}' must be one line (no line break)"


def test_line_break_in_a_key_is_refused(problems: Problems) -> None:
    text = YAML.format(value="ok").replace("runbook: x", 'runbook: x\n"tem\\nplates": {}')
    problem = only(problems(text))
    assert (problem.line, problem.col) == (2, 5)
    assert problem.message.startswith("line break in a key (written '\\n')")


def test_values_quoted_in_messages_are_shown_as_escapes(problems: Problems) -> None:
    text = YAML.format(value="ok").replace("title: Assess", 'title: Assess\n        kind: "a\\tb"')
    problem = only(problems(text))
    assert problem.message.startswith("invalid step kind 'a\\tb'")
    assert "\t" not in str(problem)


def test_problem_lines_are_printable_whatever_they_quote() -> None:
    problem = Problem("run\nbook.yaml", 1, 1, "bad 'x\x1b[2J\ny\x9b'")
    assert str(problem) == "run\\nbook.yaml:1:1: bad 'x\\x1b[2J\\ny\\x9b'"


def test_cli_validate_prints_one_printable_line(tmp_path: Path) -> None:
    path = tmp_path / "rollback.yaml"
    path.write_text(YAML.format(value='"\\e]0;owned\\a"'), encoding="utf-8")
    result = Cli(tmp_path / "lastgood.db").run("validate", str(path))
    assert result.code == 2
    assert result.out == ""
    assert result.err == (
        f"{path}:9:20: control character U+001B (ESC) in a string (written '\\e'); "
        "runbook text is shown to people and must be printable\n"
    )


def test_a_huge_value_quoted_in_a_problem_is_cut(problems: Problems) -> None:
    text = YAML.format(value="ok").replace(
        "title: Rollback", 'title: Rollback\nroles: ["' + "y" * 3000 + '"]'
    )
    problem = only(problems(text))
    assert problem.message.startswith("invalid role 'yyyy")
    assert problem.message.endswith("... (2563 more characters)")
    assert len(problem.message) < 600


BIDI = [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]
"""The bidirectional embeddings, overrides and isolates (as `incident.core.text` shows)."""

COMMAND_YAML = """\
runbook: x
title: Rollback
phases:
  - id: decide
    title: Decide
    steps:
      - id: roll
        title: Roll back
        kind: command
        command: {value}
        verify: {{command: {verify}}}
"""
"""The command is on line 10 from column 18, the verify command on line 11 from 27."""


@pytest.mark.parametrize("code", BIDI, ids=lambda code: f"U+{code:04X}")
def test_a_bidirectional_control_in_a_command_is_refused_where_it_is(
    problems: Problems, code: int
) -> None:
    """`echo ok <RLO># ; rm -rf /tmp/x` reads in review as something other than it runs
    ("Trojan Source"): typed or escaped, in a step's command or its verify command."""
    char = chr(code)
    typed = problems(COMMAND_YAML.format(value=f"echo ok {char}# ; rm x", verify="'true'"))
    escaped = problems(COMMAND_YAML.format(value="'true'", verify=f'"true \\u{code:04x}"'))
    assert [(p.line, p.col, p.message) for p in typed + escaped] == [
        (10, 26, f"bidirectional control U+{code:04X} in a command: "
         "it would show the command in another order than it runs"),
        (11, 33, f"bidirectional control U+{code:04X} in a command (written '\\u{code:04x}'): "
         "it would show the command in another order than it runs"),
    ]  # fmt: skip


INVISIBLE = [0x200B, 0x2060, 0xFEFF, 0xE0041]
"""A zero-width space, a word joiner, a byte-order mark, a tag character."""


@pytest.mark.parametrize("code", INVISIBLE, ids=lambda code: f"U+{code:04X}")
def test_an_invisible_character_in_a_command_is_refused_where_it_is(
    problems: Problems, code: int
) -> None:
    """`rm -rf /tmp/x<ZWSP>` or a tag-spelt argument: in review the command reads as
    something other than what the shell is given, typed or escaped alike."""
    char = chr(code)
    escape = f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
    typed = problems(COMMAND_YAML.format(value=f"echo ok{char} ; rm x", verify="'true'"))
    escaped = problems(COMMAND_YAML.format(value="'true'", verify=f'"true {escape}"'))
    reason = "a reviewer reading the command would not see it"
    assert [(p.line, p.col, p.message) for p in typed + escaped] == [
        (10, 25, f"invisible character U+{code:04X} in a command: {reason}"),
        (11, 33, f"invisible character U+{code:04X} in a command (written '{escape}'): {reason}"),
    ]


def test_bidirectional_text_elsewhere_is_kept(write: WriteFile) -> None:
    """A title or guidance may hold right-to-left text: shown escaped, never refused."""
    text = YAML.format(value='"\\u2067\u05e9\u05dc\u05d5\u05dd\\u2069"').replace(
        "title: Assess", "title: Assess \u202eright to left"
    )
    step = load_runbook(write(text)).step("assess")
    assert step is not None and step.title.endswith("\u202eright to left")
