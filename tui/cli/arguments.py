"""What a handler reads from the command line, and the plain command lines read without argparse.

`lastgood status ID` is what scripts and pipelines run most. Loading argparse and
building its parser from the verb table cost `status` about 10 ms of its 64 (with
`python -c pass` at 23 ms; `docs/PERFORMANCE.md`, "Command line"). A command line of
plain words has one reading, so it is read here by rule: a verb whose parameters are
all flags (`status`, `brief`, `list`, ...), its flags by their exact names, the
incident's id where the verb takes one, and `--db`/`--as` with a value, anywhere.
Anything else (help, `--version`, an abbreviated option, a value that looks like an
option, a word too many or too few) goes to argparse, which also says what is wrong
with it. `tests/test_cli_arguments.py` holds both readings equal wherever this one
answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import SimpleNamespace

from incident.app.params import Kind
from incident.app.verb import Scope, Verb
from incident.app.verbs import BY_NAME

Arguments = SimpleNamespace
"""A command line read: `command`, the verb's parameters by name, `id`, and `db` and
`as_name` when given. argparse's reading is converted to it (`tui.cli.parser`), so
every handler gets the same kind of object whichever way its words were read."""

VALUE_OPTIONS = {"--db": "db", "--as": "as_name"}
"""The options every verb takes, each with a value, and where the value is kept."""


def reads_by_rule(verb: Verb) -> bool:
    """Whether `verb`'s command lines can be read here: all its parameters are flags."""
    return all(param.kind is Kind.FLAG and not param.positional for param in verb.params)


def _plain(word: str) -> bool:
    """A word argparse takes as a value wherever it stands: not empty, not option-like."""
    return word != "" and not word.startswith("-")


def plain_arguments(words: Sequence[str]) -> Arguments | None:
    """`words` read by rule, or None when they are for argparse to read (or refuse)."""
    values: dict[str, object] = {}
    verb: Verb | None = None
    flags: dict[str, str] = {}
    positionals: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        option, equals, value = word.partition("=")
        if option in VALUE_OPTIONS:
            if not equals:
                index += 1
                if index == len(words):
                    return None
                value = words[index]
            if not _plain(value):
                return None
            values[VALUE_OPTIONS[option]] = value
        elif verb is None:
            verb = BY_NAME.get(word)
            if verb is None or not reads_by_rule(verb):
                return None
            flags = {param.option: param.name for param in verb.params}
            values["command"] = verb.name
            values.update(dict.fromkeys(flags.values(), False))
        elif word in flags:
            values[flags[word]] = True
        elif _plain(word):
            positionals.append(word)
        else:
            return None
        index += 1
    if verb is None or len(positionals) != (verb.scope is not Scope.GLOBAL):
        return None
    if positionals:
        values["id"] = positionals[0]
    return Arguments(**values)
