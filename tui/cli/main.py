"""`lastgood`: the command line, for coordinators, scripts and pipelines.

Every error is one line on stderr and a non-zero exit (2 for usage and input
errors, 1 for a failed `verify`, 3 when `run` ran the step's command but could not
record it, 75 when the record cannot be reached now: `tui.cli.errors.TRY_AGAIN`);
never a traceback. A reader that closes stdout
early (`lastgood list | head -1`) ends the command quietly with exit 141, the
status of a tool killed by SIGPIPE (see `tui.cli.edges`).
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Sequence

from incident.core.text import visible
from tui.cli.arguments import plain_arguments
from tui.cli.dispatch import dispatch
from tui.cli.edges import guarded
from tui.cli.errors import CliError
from tui.cli.shown_stream import show_control_characters


def command(argv: Sequence[str] | None) -> int:
    """Read `argv`, run its verb and give its exit status, the collector paused while
    the command starts (see `dispatch`), and as it was found at the end."""
    collecting = gc.isenabled()
    gc.disable()  # start-up makes objects to keep, not garbage: see `dispatch`
    try:
        show_control_characters()
        words = list(sys.argv[1:] if argv is None else argv)
        args = plain_arguments(words)
        if args is None:  # help, --version, an error to explain, or more than plain words
            from tui.cli.parser import parsed_arguments

            args = parsed_arguments(words)
        try:
            return dispatch(args)
        except CliError as error:
            # One line, whatever the error quotes: a step ID typed with a newline in it
            # must not start a second line, nor a CR overwrite the first.
            print(f"lastgood {args.command}: {visible(str(error))}", file=sys.stderr)
            return error.exit_code
        except KeyboardInterrupt:
            print(f"lastgood {args.command}: interrupted", file=sys.stderr)
            return 130
    finally:
        if collecting:
            gc.enable()


@guarded
def main(argv: Sequence[str] | None = None) -> int:
    """`lastgood` in a process that goes on afterwards (a test, a caller in Python):
    what `dispatch` froze is thawed, to be collected as usual."""
    try:
        return command(argv)
    finally:
        gc.unfreeze()
