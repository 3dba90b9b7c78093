"""What a handler reads from the command line, and the plain command lines read without argparse.

`lastgood status ID` is what scripts and pipelines run most. Loading argparse and
building its parser from the verb table cost `status` about 3 ms of its 64 (with
`python -c pass` at 23 ms; `docs/PERFORMANCE.md`, "Command line"), and `lastgood
start` some 0.3 MiB before its first frame. A command line of plain words has one
reading, so it is read here by rule: a verb without positional parameters (`status`,
`list`, `start`, `declare`, ...), its options by their exact names, each value
read by the parameter's kind as argparse would read it, the incident's id where
the verb takes one, and `--db`/`--as` with a value, anywhere. Anything else (help,
`--version`, an abbreviated or short option, a value that looks like an option or
does not read, a word too many or too few) goes to argparse, which also says what is
wrong with it. `tests/test_cli_arguments.py` holds both readings equal wherever
this one answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import SimpleNamespace

from incident.app.params import Kind, Param
from incident.app.verb import Scope, Verb
from incident.app.verbs import BY_NAME

TYPE_CHECKING = False  # `typing` waits until the arguments are parsed (`incident.app.params`)
if TYPE_CHECKING:
    from datetime import datetime

Arguments = SimpleNamespace
"""A command line read: `command`, the verb's parameters by name, `id`, and `db` and
`as_name` when given. argparse's reading is converted to it (`tui.cli.parser`), so
every handler gets the same kind of object whichever way its words were read."""

INCIDENT_ID_PREFIX = "INC-"
"""How every incident ID begins (`incident.commands.lifecycle.new_incident_id`), and
no verb: a word starting so where the verb goes is an ID for `start`
(`tui.cli.parser.implied_start`), and one that does not, where an ID goes, is no ID
(`tui.cli.forgotten_id`)."""

EVERY_VERB = {"--db": "db", "--as": "as_name"}
"""The options every verb takes, each with a value, and where the value is kept."""

ID_IN_ORDER = {"start": "incident"}
"""Verbs of no one incident's scope that also take an incident's ID in order, as every
verb on an incident does: `start ID` is `start --incident ID`. The ID is kept in the
option's parameter; both given, they must name the same incident."""


ID_OR_FLAG = {"monitor": "open"}
"""Verbs whose ID a flag may stand in for: `monitor --open` watches every open incident
rather than one; given neither, or both, the verb refuses (`tui.cli.launch`)."""


def same_incident(verb: str, values: dict[str, object], given: str) -> str | None:
    """`values` with the ID given in order kept where `verb`'s option keeps it; the
    refusal, when the option names another incident."""
    name = ID_IN_ORDER[verb]
    option = values.get(name)
    if option is not None and option != given:
        spelling = BY_NAME[verb].param(name).option
        return f"'{given}' and {spelling} '{option}' name two incidents: give one"
    values[name] = given
    return None


def machine_now() -> datetime:
    """The command line's clock, this machine's, as every verb's `SystemClock`: what a
    refused time's example is read from (`Param.parse` asks only then, so the clock's
    module is not loaded to parse arguments)."""
    from incident.core.clock import SystemClock

    return SystemClock().now()


def reads_by_rule(verb: Verb) -> bool:
    """Whether `verb`'s command lines can be read here: it has only `--options`."""
    return not any(param.positional for param in verb.params)


def _plain(word: str) -> bool:
    """A word argparse takes as a value wherever it stands: not empty, not option-like."""
    return word != "" and not word.startswith("-")


def default_value(param: Param) -> object:
    """The value when `param` is not given: argparse reads a text default as if given."""
    if param.kind is Kind.FLAG:
        return False
    if isinstance(param.default, str):
        return param.parse(param.default, machine_now)
    return param.default


def _read(param: Param, text: str) -> object:
    """`text` read as `param`'s value; ValueError when argparse would refuse it."""
    value = param.parse(text, machine_now)
    if param.kind is Kind.CHOICE and param.choices and value not in param.choices:
        raise ValueError(f"{value!r} is not one of {param.choices}")
    return value


def plain_arguments(words: Sequence[str]) -> Arguments | None:
    """`words` read by rule, or None when they are for argparse to read (or refuse)."""
    values: dict[str, object] = {}
    verb: Verb | None = None
    options: dict[str, Param] = {}
    positionals: list[str] = []
    given: set[str] = set()
    seen: set[str] = set()
    """Each option given, once: one given twice is for argparse to refuse."""
    index = 0
    while index < len(words):
        word = words[index]
        name, equals, text = word.partition("=")
        param = options.get(name)
        if name in EVERY_VERB or (param is not None and param.kind is not Kind.FLAG):
            if not equals:
                index += 1
                if index == len(words):
                    return None
                text = words[index]
            if not _plain(text) or name in seen:
                return None
            seen.add(name)
            if param is None:
                values[EVERY_VERB[name]] = text
            else:
                try:
                    values[param.name] = _read(param, text)
                except ValueError:
                    return None
                given.add(param.name)
        elif verb is None:
            verb = BY_NAME.get(word)
            if verb is None or not reads_by_rule(verb):
                return None
            options = {param.option: param for param in verb.params}
            values["command"] = verb.name
            values.update({param.name: default_value(param) for param in verb.params})
        elif word in options:  # a flag, named alone
            values[options[word].name] = True
        elif _plain(word):
            positionals.append(word)
        else:
            return None
        index += 1
    if verb is None or any(param.required and param.name not in given for param in verb.params):
        return None
    in_order = verb.name in ID_IN_ORDER and len(positionals) == 1
    if in_order and same_incident(verb.name, values, positionals.pop()) is not None:
        return None  # argparse says what is wrong
    if len(positionals) != (verb.scope is not Scope.GLOBAL):
        if not (verb.id_optional and not positionals):
            return None
        values["id"] = None  # the only open incident (`Verb.id_optional`)
    if positionals:
        values["id"] = positionals[0]
    return Arguments(**values)
