"""`lastgood`: the command line, for coordinators, scripts and pipelines.

Every error is one line on stderr and a non-zero exit (2 for usage and input
errors, 1 for a failed `verify`); never a traceback. A reader that closes stdout
early (`lastgood list | head -1`) ends the command quietly with exit 141, the
status of a tool killed by SIGPIPE (see `tui.cli.edges`).
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Sequence

from tui.cli.dispatch import dispatch
from tui.cli.edges import guarded
from tui.cli.errors import CliError
from tui.cli.parser import build_parser, implied_start
from tui.cli.shown_stream import show_control_characters


@guarded
def main(argv: Sequence[str] | None = None) -> int:
    collecting = gc.isenabled()
    gc.disable()  # start-up makes objects to keep, not garbage: see `dispatch`
    try:
        show_control_characters()
        parser = build_parser()
        args = parser.parse_args(implied_start(list(argv if argv is not None else sys.argv[1:])))
        if args.command is None:
            args = parser.parse_args([*(argv if argv is not None else sys.argv[1:]), "start"])
        try:
            return dispatch(args)
        except CliError as error:
            print(f"lastgood {args.command}: {error}", file=sys.stderr)
            return error.exit_code
        except KeyboardInterrupt:
            print(f"lastgood {args.command}: interrupted", file=sys.stderr)
            return 130
    finally:
        gc.unfreeze()  # what `dispatch` froze, for a caller that goes on (a test)
        if collecting:
            gc.enable()


def run() -> None:
    sys.exit(main(None))


if __name__ == "__main__":
    run()
