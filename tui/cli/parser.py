"""The `lastgood` argument parser, built from the verb table.

Each verb of `incident.app.verbs.VERBS` becomes a subcommand: its parameters become
arguments in order or `--options`, with the table's help text, and each value is
read by the parameter kind's parser, so a bad minute count gets the same words here
as in the TUI. Errors are one line: `lastgood check: error: ... (see --help)`; an
incident's ID left out is said as such (`tui.cli.forgotten_id`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable, Sequence

from incident.app.params import Kind, Param
from incident.app.verb import ONLY_OPEN, Scope, Verb
from incident.app.verbs import VERBS
from incident.core.text import visible
from tui.cli.arguments import (
    EVERY_VERB,
    ID_IN_ORDER,
    ID_OR_FLAG,
    INCIDENT_ID_PREFIX,
    Arguments,
    machine_now,
    same_incident,
)
from tui.cli.edges import package_version
from tui.cli.help_notes import EPILOGS
from tui.cli.once import GIVEN, TWICE, Once
from tui.cli.top_help import (
    AS_HELP,
    DB_HELP,
    DESCRIPTION,
    EPILOG,
    SCRATCH_DB_HELP,
    VERSION_HELP,
    terminal_columns,
)

TYPE_CHECKING = False  # `typing` waits until the arguments are parsed (see `incident.app.params`)

if TYPE_CHECKING:
    from typing import Any, NoReturn

    from _typeshed import SupportsWrite


class HelpFormatter(argparse.HelpFormatter):
    """argparse's help layout, wrapped to `terminal_columns()`."""

    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 24,
        width: int | None = None,
    ) -> None:
        columns = terminal_columns() - 2 if width is None else width
        super().__init__(prog, indent_increment, max_help_position, columns)


SAID_OTHERWISE = {"follow": "attach", "open": "start", "new": "declare"}
"""Words people reach for that name a verb by what it does (`attach` opens the follow
view), too far from its name for a spelling guess."""


class OneLineParser(argparse.ArgumentParser):
    """argparse, but its errors are one line: `lastgood check: error: ...`."""

    verb: Verb | None = None
    """The verb this parser reads the arguments of (None: the top level)."""
    before: Sequence[str] = ()
    """The words typed before the verb (`--db PATH`), for a command given back."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)
        self._words: list[str] = []
        self._read = argparse.Namespace()

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        """argparse's reading, the words and what was read of them kept for `error`."""
        self._words = list(sys.argv[1:] if args is None else args)
        self._read = argparse.Namespace() if namespace is None else namespace
        return super().parse_known_args(self._words, self._read)

    def error(self, message: str) -> NoReturn:
        if self.verb is not None:
            from tui.cli.forgotten_id import forgotten_id  # only a refusal needs it

            read = vars(self._read)
            message = forgotten_id(self.verb, message, read, self._words, self.before) or message
        self.exit(2, f"{self.prog}: error: {visible(message)} (see --help)\n")

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        """A word that is no verb: `unknown verb 'chek' (did you mean 'check'?)`, not
        argparse's list of every verb."""
        if isinstance(action, VerbCommands) and value not in action.choices:
            import difflib  # here: only a mistyped verb needs a guess

            close = [SAID_OTHERWISE[value]] if value in SAID_OTHERWISE else []
            close = close or difflib.get_close_matches(value, action.choices, n=1)
            guess = f" (did you mean '{close[0]}'?)" if close else ""
            self.error(f"unknown verb '{value}'{guess}")
        super()._check_value(action, value)

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        """argparse drops a failed write; a closed pipe must reach `edges.guarded` (141)."""
        if message:
            (file or sys.stderr).write(message)


_SCRATCH_DB_VERBS = frozenset({"demo", "drill"})
"""Verbs that record into a scratch database of their own when none is named."""

NO_RECORD_VERBS = frozenset({"init", "migrate", "validate"})
"""Verbs that never open the record `--db` or $LASTGOOD_DB names: they read and write
runbook files, or (`migrate`) name both databases with `--from` and `--to`."""

NO_ACTOR_VERBS = NO_RECORD_VERBS | {
    "attach",
    "brief",
    "deliver",
    "ics",
    "list",
    "monitor",
    "replay",
    "score",
    "serve",
    "status",
    "timeline",
    "verify",
}
"""Verbs that never record who runs them (`--as`, $LASTGOOD_USER): they record nothing,
or record as lastgood itself (`deliver`'s outcomes, `monitor`'s samples and messages).
`export` and `changes` stay out: `export --check-step` and `changes --incident` record.

Their `lastgood VERB --help` leaves out the option that does nothing for them; given,
it is still accepted, as before the verb or in $LASTGOOD_DB and $LASTGOOD_USER, so a
wrapper that passes `--db`/`--as` to every command keeps working."""


def _db_option(parser: argparse.ArgumentParser, help_text: str = DB_HELP) -> None:
    parser.add_argument(
        "--db",
        action=Once,
        metavar="PATH",
        default=argparse.SUPPRESS,
        help=help_text,
    )


def _as_option(parser: argparse.ArgumentParser, help_text: str = AS_HELP) -> None:
    parser.add_argument(
        "--as",
        action=Once,
        dest="as_name",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help=help_text,
    )


def _type(param: Param) -> Callable[[str], object]:
    """argparse's `type=`: the parameter kind's parser, its ValueError a usage error."""

    def convert(text: str) -> object:
        try:
            return param.parse(text, machine_now)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    return convert


def _add(parser: argparse.ArgumentParser, param: Param) -> None:
    help_text = param.help
    if param.kind is Kind.FLAG:
        parser.add_argument(param.option, dest=param.name, action="store_true", help=help_text)
        return
    options: dict[str, object] = {"help": help_text, "type": _type(param)}
    if param.metavar or param.positional:
        options["metavar"] = param.metavar or param.name.upper()
    if param.choices and param.kind is Kind.CHOICE:
        options["choices"] = param.choices
    if param.default is not None:
        options["default"] = param.default
    if param.positional:
        if param.name == "files":
            options["nargs"] = "+" if param.required else "*"
        elif not param.required:
            options["nargs"] = "?"
        parser.add_argument(param.name, **options)  # type: ignore[arg-type]
        return
    names = [param.short, param.option] if param.short else [param.option]
    parser.add_argument(
        *names,
        action=Once,
        dest=param.name,
        required=param.required,
        **options,  # type: ignore[arg-type]
    )


def _fill(parser: argparse.ArgumentParser, verb: Verb) -> None:
    if verb.name in NO_RECORD_VERBS:
        _db_option(parser, argparse.SUPPRESS)  # accepted, not offered (`NO_ACTOR_VERBS`)
    else:
        _db_option(parser, SCRATCH_DB_HELP if verb.name in _SCRATCH_DB_VERBS else DB_HELP)
    _as_option(parser, argparse.SUPPRESS if verb.name in NO_ACTOR_VERBS else AS_HELP)
    if verb.id_optional:
        parser.add_argument("id", metavar="ID", nargs="?", default=None, help=ONLY_OPEN)
    elif verb.name in ID_OR_FLAG:
        flag = verb.param(ID_OR_FLAG[verb.name]).option
        parser.add_argument(
            "id", metavar="ID", nargs="?", default=None, help=f"the incident (or {flag})"
        )
    elif verb.scope is not Scope.GLOBAL:
        parser.add_argument("id", metavar="ID", help="the incident")
    elif verb.name in ID_IN_ORDER:
        option = verb.param(ID_IN_ORDER[verb.name]).option
        parser.add_argument(
            "id", metavar="ID", nargs="?", default=None, help=f"open this incident (as {option} ID)"
        )
    for param in verb.params:
        _add(parser, param)


if TYPE_CHECKING:
    _Commands = argparse._SubParsersAction[OneLineParser]
else:  # generic only to the type checker
    _Commands = argparse._SubParsersAction


class VerbCommands(_Commands):
    """The COMMAND argument: every verb listed in `--help`, each parser built when chosen.

    Building all 36 verbs' parsers took longer than the rest of `lastgood --help`,
    and a command needs only its own; `lastgood VERB --help` builds that one.
    `choices` names every verb, in the table's order.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._verbs: dict[str, Verb] = {}

    def add_verbs(self, verbs: Iterable[Verb]) -> None:
        for verb in verbs:
            self._verbs[verb.name] = verb
            self._choices_actions.append(self._ChoicesPseudoAction(verb.name, (), verb.help))
        # Names, for argparse's check of the word given; the parsers are in
        # `_name_parser_map` once built.
        self.choices = tuple(self._verbs)  # type: ignore[assignment]

    def parser_for(self, name: str) -> OneLineParser:
        """The verb's parser, built the first time it is asked for."""
        if name not in self._name_parser_map:
            verb = self._verbs[name]
            parser = self.add_parser(name, description=verb.help, epilog=EPILOGS.get(name))
            parser.verb = verb
            _fill(parser, verb)
        return self._name_parser_map[name]

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        chosen = self.parser_for(values[0])
        if isinstance(parser, OneLineParser):  # the verb and every word after it are `values`
            chosen.before = parser._words[: len(parser._words) - len(values)]
        before: dict[str, str] = vars(namespace).pop(GIVEN, {})
        super().__call__(parser, namespace, values, option_string)
        # The verb's own reading, copied over the top level's (`--as A note ID --as B`).
        after: dict[str, str] = vars(namespace).pop(GIVEN, {})
        again = [option for dest, option in before.items() if dest in after]
        if again:
            vars(namespace).setdefault(TWICE, again[0])
        vars(namespace)[GIVEN] = {**before, **after}


TOP_LEVEL_VALUES = tuple(EVERY_VERB)
TOP_LEVEL_FLAGS = ("-h", "--help", "--version")


def implied_start(words: list[str]) -> list[str]:
    """`words` with `start` put in when they name no verb but give an option or an ID.

    Bare `lastgood` means `lastgood start`, so `lastgood --no-probes` and
    `lastgood --db PATH --incident ID` are start's options, and `lastgood ID` is
    `lastgood start ID`. The top-level options (--db, --as, --help, --version) are
    passed over to find the first other word: an option means start, as does an
    incident's ID; another word is the verb, left for argparse to check.
    """
    index = 0
    while index < len(words):
        word = words[index]
        if word in TOP_LEVEL_VALUES:
            index += 2
        elif word in TOP_LEVEL_FLAGS or word.startswith(tuple(f"{o}=" for o in TOP_LEVEL_VALUES)):
            index += 1
        elif word.startswith("-") and word != "--":
            return ["start", *words]
        elif word.startswith(INCIDENT_ID_PREFIX):
            return [*words[:index], "start", *words[index:]]
        else:
            return words
    return words


class VersionAction(argparse.Action):
    """`--version`: prints `lastgood X.Y.Z` on stdout; the version is looked up only then."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(
            option_strings,
            dest=argparse.SUPPRESS,
            default=argparse.SUPPRESS,
            nargs=0,
            help=VERSION_HELP,
        )

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        print(f"lastgood {package_version()}")
        parser.exit()


def build_parser() -> OneLineParser:
    parser = OneLineParser(
        prog="lastgood",
        description=DESCRIPTION,
        epilog=EPILOG,
    )
    parser.add_argument("--version", action=VersionAction)
    _db_option(parser)
    _as_option(parser)
    commands = parser.add_subparsers(
        action=VerbCommands, dest="command", metavar="COMMAND", parser_class=OneLineParser
    )
    assert isinstance(commands, VerbCommands)
    commands.add_verbs(VERBS)
    return parser


def parsed_arguments(words: list[str]) -> Arguments:
    """`words` read by argparse: help, `--version` and a refusal end here (SystemExit).

    Bare `lastgood`, or only top-level options, means `lastgood start`.
    """
    parser = build_parser()
    args, unknown = parser.parse_known_args(implied_start(words))
    if args.command is None:
        args, unknown = parser.parse_known_args([*words, "start"])
    if unknown:  # said by the verb's parser: `lastgood check: error: …`, as its other errors
        _commands(parser).parser_for(args.command).error(
            f"unrecognized arguments: {' '.join(unknown)}"
        )
    values = vars(args)
    values.pop(GIVEN, None)
    if twice := values.pop(TWICE, None):
        _commands(parser).parser_for(args.command).error(f"{twice} is given twice: give it once")
    given = values.pop("id") if args.command in ID_IN_ORDER else None
    if given is not None and (refusal := same_incident(args.command, values, given)):
        _commands(parser).parser_for(args.command).error(refusal)
    incident = values.get("id")
    if isinstance(incident, str) and not incident.upper().startswith(INCIDENT_ID_PREFIX):
        from tui.cli.forgotten_id import misplaced_id  # only a refusal needs it

        verb = _commands(parser).parser_for(args.command).verb
        if verb is not None and (refusal := misplaced_id(verb, values, words)):
            _commands(parser).parser_for(args.command).error(refusal)
    return Arguments(**values)


def _commands(parser: argparse.ArgumentParser) -> VerbCommands:
    return next(action for action in parser._actions if isinstance(action, VerbCommands))
