"""An option given twice on one command line is refused, naming it.

argparse keeps the last value of an option given twice without a word: `skip
--reason first --reason second` recorded `second`. `Once` notes each option a command
line gives on argparse's namespace (`GIVEN`) and the first given again (`TWICE`);
`tui.cli.parser` refuses it from the verb's parser, and finds a top-level `--as` or
`--db` given again after the verb.
"""

from __future__ import annotations

import argparse

TYPE_CHECKING = False  # `typing` waits until the arguments are parsed (see `incident.app.params`)
if TYPE_CHECKING:
    from typing import Any

GIVEN = "_options_given"
"""Where `Once` keeps the options a command line gave (by destination), on argparse's
namespace; `parsed_arguments` takes it off."""
TWICE = "_option_given_twice"
"""Where `Once` keeps the first option given twice, for the verb's parser to refuse."""


class Once(argparse.Action):
    """An option with a value, which may be given once: given twice, argparse kept the
    last without a word (`--reason first --reason second` recorded `second`). The
    option is noted, and `parsed_arguments` refuses it from the verb's parser (a top-level
    `--as` given again after the verb is found by `VerbCommands`)."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        given: dict[str, str] = vars(namespace).setdefault(GIVEN, {})
        if self.dest in given:
            vars(namespace).setdefault(TWICE, given[self.dest])
        given[self.dest] = max(self.option_strings, key=len)
        setattr(namespace, self.dest, values)
