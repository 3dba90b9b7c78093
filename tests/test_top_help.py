"""`lastgood --help` without argparse (`tui.cli.top_help`) prints what argparse prints.

The top level's help is answered before the command line loads, from a file of the
verbs' names and help. These tests hold that file equal to the verb table, the text
equal to argparse's at every width it answers for, and its wrapping equal to
`textwrap`'s for any text; and show, as a user runs it, that the installed command
loads nothing else for it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from incident.app.verbs import VERBS
from tests.cli_helpers import ROOT, lastgood_command
from tui.cli import top_help
from tui.cli.parser import build_parser

REGENERATE = "python -m tui.cli.top_help"


def test_the_summaries_file_is_the_verb_tables() -> None:
    with open(top_help.SUMMARIES_FILE, encoding="utf-8") as handle:
        written = handle.read()
    assert written == top_help.summaries_text(VERBS), f"stale: run `{REGENERATE}`"
    assert [name for name, _ in top_help.read_summaries()] == [verb.name for verb in VERBS]


def argparse_help(columns: int, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("COLUMNS", str(columns))
    return build_parser().format_help()


def test_the_help_is_argparse_s_at_every_width_it_answers_for(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    summaries = top_help.read_summaries()
    answered = []
    for columns in range(1, 301):
        text = top_help.top_level_help(summaries, columns)
        if text is not None:
            assert text == argparse_help(columns, monkeypatch), f"at {columns} columns"
            answered.append(columns)
    # argparse wraps the usage line under 70 columns: those are its to write.
    assert answered == list(range(70, 301))


def test_the_top_level_words_are_the_parser_s(monkeypatch: pytest.MonkeyPatch) -> None:
    text = argparse_help(200, monkeypatch)
    for words in (top_help.DESCRIPTION, top_help.EPILOG, top_help.DB_HELP, top_help.AS_HELP):
        assert words in text
    assert text.startswith(top_help.USAGE + "\n")


words = st.text(alphabet="ab-_1.,'(\u00a0\u00e9", min_size=1, max_size=14)
texts = st.lists(
    st.tuples(words, st.sampled_from([" ", "  ", "\t", "\n "])), min_size=1, max_size=30
).map(lambda pairs: "".join(word + space for word, space in pairs))


@given(texts, st.integers(min_value=1, max_value=60))
def test_wrapping_is_textwrap_s_or_left_to_it(text: str, width: int) -> None:
    """argparse joins ASCII whitespace into one space and hands the text to
    `textwrap.wrap`; a no-break space is part of a word to both."""
    joined = re.sub(r"\s+", " ", text, flags=re.ASCII).strip()
    lines = top_help.wrapped(text, width)
    if lines is not None:
        assert lines == textwrap.wrap(joined, width)
    else:  # only for a word textwrap would break inside, read as a dash, or drop
        words_ = joined.split(" ")
        assert any("--" in word[1:] or not word.strip() for word in words_) or any(
            len(piece) > width for word in words_ for piece in top_help._hyphen_pieces(word)
        )


def test_wrapping_answers_for_help_texts_of_the_table_s_kind() -> None:
    """Words shorter than the line, hyphens only between letters: what verbs' help is."""
    text = "Follow an incident live from another terminal, read-only, post-mortem."
    for width in range(12, 80):
        assert top_help.wrapped(text, width) == textwrap.wrap(text, width)


def test_the_installed_command_prints_it_as_argparse_does(tmp_path: Path) -> None:
    """`lastgood --help` (answered early) and `lastgood --db X --help` (argparse) agree,
    wide and too narrow for the early answer."""
    for columns in ("120", "80", "50"):
        env = {**os.environ, "COLUMNS": columns}
        early, through_argparse = (
            subprocess.run(
                [*lastgood_command(), *args],
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
                check=True,
                cwd=tmp_path,
            ).stdout
            for args in (["--help"], ["--db", str(tmp_path / "x.db"), "--help"])
        )
        assert early == through_argparse
        assert early.startswith("usage: lastgood")


LOADED_FOR_HELP = """
import atexit, sys
sys.argv = ["lastgood", sys.argv[1]]
atexit.register(lambda: sys.stderr.write("\\n".join(sorted(sys.modules))))
from tui.cli.entry import run
run()
"""


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_loads_no_parser_no_table_and_no_patterns(flag: str) -> None:
    """What the early answer is for: none of argparse, the verb table, `re`, `enum`,
    `collections` or `typing` loads. Without `site` (`-S`), whose editable-install
    finder loads `re` and `enum` into every process of this checkout's virtualenv."""
    done = subprocess.run(
        [sys.executable, "-S", "-c", LOADED_FOR_HELP, flag],
        env={**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "100"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.startswith("usage: lastgood")
    loaded = set(done.stderr.splitlines())
    ours = {name for name in loaded if name.split(".")[0] in ("incident", "store", "tui")}
    assert ours == {"tui", "tui.cli", "tui.cli.entry", "tui.cli.stdout", "tui.cli.top_help"}
    unwanted = {"argparse", "re", "enum", "gettext", "textwrap", "typing", "collections"}
    assert loaded & unwanted == set()
