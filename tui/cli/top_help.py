"""`lastgood --help`, printed without argparse or the verb table.

`--help` is what a person types first and what scripts run to see the tool is
there. Through argparse it costs 2.7 times what starting Python costs in an
installed virtualenv: argparse brings `re`, `enum`, `gettext` and `textwrap`, and
the parser is built from the verb table (`docs/PERFORMANCE.md`). Answered here, it
reads the verbs' names and one-line help from `verb_summaries.txt`, written from the
table by `python -m tui.cli.top_help`, and lays them out as argparse does, so the
two are the same text: `tests/test_top_help.py` holds them equal at every width
this answers for, and the file equal to the table. A terminal too narrow for the
usage line on one line, or a word too long for its column, is left to argparse.

The top level's own words (description, options, epilog) are defined here and
given to the parser (`tui.cli.parser`), so each is written once.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # `typing` waits until the arguments are parsed (see `incident.app.params`)

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from incident.app.verb import Verb

DESCRIPTION = "A terminal companion for emergency production rollbacks."
EPILOG = "Run 'lastgood COMMAND --help' for a command's options."
DB_HELP = "the event database (default: $LASTGOOD_DB, else the XDG data directory)"
SCRATCH_DB_HELP = "the event database (default: $LASTGOOD_DB, else a scratch database it names)"
"""`--db` of the verbs that, given none, record into a scratch database (`demo`, `drill`)."""
AS_HELP = (
    "who is acting, for the record (default: $LASTGOOD_USER, else git's user.name, else the login)"
)
VERSION_HELP = "print the version and exit"

USAGE = "usage: lastgood [-h] [--version] [--db PATH] [--as NAME] COMMAND ..."
"""argparse's usage line for the top level, as long as it fits on one line."""
_OPTIONS = (
    ("-h, --help", "show this help message and exit"),  # argparse's own words
    ("--version", VERSION_HELP),
    ("--db PATH", DB_HELP),
    ("--as NAME", AS_HELP),
)
_SECTION_INDENT = 2
_VERB_INDENT = 4
_MAX_HELP_POSITION = 24
_NARROWEST_HELP = 11
"""argparse wraps help to at least this many columns, whatever the terminal."""

SUMMARIES_FILE = os.path.join(os.path.dirname(__file__), "verb_summaries.txt")


def terminal_columns() -> int:
    """The width help is wrapped to, as `shutil.get_terminal_size` finds it: $COLUMNS,
    else the terminal on stdout, else 80.

    argparse asks shutil, whose import (with bz2, lzma and zlib) costs `--help` as
    much as building its parser; this is the same rule without it.
    """
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns > 0:
        return columns
    stdout = sys.__stdout__
    if stdout is None:
        return 80
    try:
        return os.get_terminal_size(stdout.fileno()).columns or 80
    except (ValueError, OSError):
        return 80


def summaries_text(verbs: Iterable[Verb]) -> str:
    """What `verb_summaries.txt` holds: each verb's name and help, a tab between."""
    return "".join(f"{verb.name}\t{' '.join(_words(verb.help))}\n" for verb in verbs)


def read_summaries() -> list[tuple[str, str]]:
    summaries = []
    with open(SUMMARIES_FILE, encoding="utf-8") as handle:
        for line in handle:
            name, _, help_text = line.rstrip("\n").partition("\t")
            summaries.append((name, help_text))
    return summaries


def top_level_help(verbs: Sequence[tuple[str, str]], columns: int) -> str | None:
    """The top level's help at `columns`, as argparse writes it; None where argparse
    would wrap the usage line or break a word, which is left to it."""
    width = columns - 2  # argparse keeps two columns free
    if len(USAGE) > width:
        return None
    longest = max(len(invocation) for invocation, _ in (("COMMAND", ""), *_OPTIONS, *verbs))
    # argparse measures every entry, a verb's too, at its section's indent.
    help_position = min(longest + _SECTION_INDENT + 2, min(_MAX_HELP_POSITION, max(width - 20, 4)))
    help_width = max(width - help_position, _NARROWEST_HELP)
    parts = [f"{USAGE}\n\n"]
    if (description := wrapped(DESCRIPTION, width)) is None:
        return None
    parts.append("".join(f"{line}\n" for line in description))
    verb_lines = _entries(verbs, _VERB_INDENT, help_position, help_width)
    option_lines = _entries(_OPTIONS, _SECTION_INDENT, help_position, help_width)
    if verb_lines is None or option_lines is None:
        return None
    parts.append(f"\npositional arguments:\n{' ' * _SECTION_INDENT}COMMAND\n{verb_lines}")
    parts.append(f"\noptions:\n{option_lines}")
    if (epilog := wrapped(EPILOG, width)) is None:
        return None
    parts.append("\n" + "".join(f"{line}\n" for line in epilog))
    return "".join(parts)


def _entries(
    entries: Iterable[tuple[str, str]], indent: int, help_position: int, help_width: int
) -> str | None:
    """A section's entries; None if a help text is argparse's to lay out."""
    shown = []
    for invocation, help_text in entries:
        if not (lines := wrapped(help_text, help_width)):
            return None
        shown.append(_entry(indent, invocation, lines, help_position))
    return "".join(shown)


def _entry(indent: int, invocation: str, lines: list[str], help_position: int) -> str:
    """One option or verb: its help beside it, or under it when it is too long."""
    room = help_position - indent - 2
    if len(invocation) <= room:
        head = f"{' ' * indent}{invocation.ljust(room)}  {lines[0]}\n"
    else:
        head = f"{' ' * indent}{invocation}\n{' ' * help_position}{lines[0]}\n"
    return head + "".join(f"{' ' * help_position}{line}\n" for line in lines[1:])


def wrapped(text: str, width: int) -> list[str] | None:
    """`text` in lines of at most `width`, as argparse wraps help (`textwrap.wrap`,
    which breaks at spaces and after a hyphen inside a word); None for what textwrap
    would do otherwise: break a word longer than the line, read a double hyphen
    inside a word as a dash, or drop a word of spaces other than ASCII's."""
    chunks: list[str] = []
    for word in _words(text):
        if "--" in word[1:] or not word.strip():  # a word of other spaces is dropped
            return None
        chunks.extend(_hyphen_pieces(word))
        chunks.append(" ")
    if not chunks:
        return []
    if any(len(chunk) > width for chunk in chunks):
        return None
    lines: list[str] = []
    line: list[str] = []
    length = 0
    for chunk in chunks[:-1]:
        if length + len(chunk) > width:
            lines.append("".join(line).rstrip(" "))
            line, length = [], 0
            if chunk == " ":
                continue
        line.append(chunk)
        length += len(chunk)
    lines.append("".join(line).rstrip(" "))
    return lines


def _words(text: str) -> list[str]:
    """`text` split at ASCII whitespace, as argparse does before it wraps: a no-break
    space stays inside its word, unless it ends the text."""
    for space in "\t\n\r\f\v":
        text = text.replace(space, " ")
    return [word for word in text.strip().split(" ") if word]


def _hyphen_pieces(word: str) -> list[str]:
    """`word` cut after each hyphen textwrap may break at: one with two letters (or a
    letter, a hyphen and a letter) before it, and a letter, perhaps a hyphen, and a
    letter after it."""
    pieces: list[str] = []
    start = 0
    for at, character in enumerate(word):
        if character != "-" or at < 2:
            continue
        before = _letter(word[at - 1]) and (
            _letter(word[at - 2]) or (at >= 3 and word[at - 2] == "-" and _letter(word[at - 3]))
        )
        after = word[at + 1 : at + 4]
        follows = (
            len(after) >= 2
            and _letter(after[0])
            and (_letter(after[1]) or (after[1] == "-" and len(after) == 3 and _letter(after[2])))
        )
        if before and follows:
            pieces.append(word[start : at + 1])
            start = at + 1
    pieces.append(word[start:])
    return pieces


def _letter(character: str) -> bool:
    """What textwrap's patterns count as a letter: a word character that is no digit."""
    return (character.isalnum() or character == "_") and not character.isdecimal()


def print_top_level_help() -> bool:
    """Print the help and say so; False, having printed nothing, where it is argparse's."""
    try:
        summaries = read_summaries()
    except OSError:
        return False
    text = top_level_help(summaries, terminal_columns())
    if text is None:
        return False
    sys.stdout.write(text)
    sys.stdout.flush()
    return True


if __name__ == "__main__":
    from incident.app.verbs import VERBS

    with open(SUMMARIES_FILE, "w", encoding="utf-8") as out:
        out.write(summaries_text(VERBS))
    print(f"wrote {SUMMARIES_FILE}")
