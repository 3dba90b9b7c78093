"""The `lastgood` argument parser, built from the verb table.

Each verb of `incident.app.verbs.VERBS` becomes a subcommand: its parameters become
arguments in order or `--options`, with the table's help text, and each value is
read by the parameter kind's parser, so a bad minute count gets the same words here
as in the TUI. Errors are one line: `lastgood check: error: ... (see --help)`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, NoReturn

from incident.app.params import Kind, Param
from incident.app.verb import Scope, Verb
from incident.app.verbs import VERBS
from tui.cli.edges import VersionAction

if TYPE_CHECKING:
    from _typeshed import SupportsWrite


class OneLineParser(argparse.ArgumentParser):
    """argparse, but its errors are one line: `lastgood check: error: ...`."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        """argparse drops a failed write; a closed pipe must reach `edges.guarded` (141)."""
        if message:
            (file or sys.stderr).write(message)


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="the event database (default: $LASTGOOD_DB, else the XDG data directory)",
    )


def _as_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as",
        dest="as_name",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="who is acting, for the record (default: $LASTGOOD_USER, else git's "
        "user.name, else the login)",
    )


def _type(param: Param) -> Callable[[str], object]:
    """argparse's `type=`: the parameter kind's parser, its ValueError a usage error."""

    def convert(text: str) -> object:
        try:
            return param.parse(text)
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
            options["nargs"] = "+"
        elif not param.required:
            options["nargs"] = "?"
        parser.add_argument(param.name, **options)  # type: ignore[arg-type]
        return
    names = [param.short, param.option] if param.short else [param.option]
    parser.add_argument(*names, dest=param.name, required=param.required, **options)  # type: ignore[arg-type]


def _add_verb(
    sub: argparse._SubParsersAction[OneLineParser], verb: Verb, common: OneLineParser
) -> None:
    parser = sub.add_parser(verb.name, help=verb.help, description=verb.help, parents=[common])
    if verb.scope is not Scope.GLOBAL:
        parser.add_argument("id", metavar="ID", help="the incident")
    for param in verb.params:
        _add(parser, param)


def build_parser() -> OneLineParser:
    common = OneLineParser(add_help=False)
    _db_option(common)
    _as_option(common)
    parser = OneLineParser(
        prog="lastgood",
        description="A terminal companion for emergency production rollbacks.",
        epilog="Run 'lastgood COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action=VersionAction)
    _db_option(parser)
    _as_option(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)
    for verb in VERBS:
        _add_verb(sub, verb, common)
    return parser
