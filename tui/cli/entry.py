"""The installed `lastgood` command, and `python -m tui.cli`: a process of its own.

`lastgood --help` is answered here, before the command line loads: from
`tui.cli.top_help`, with nothing imported but that module and `tui.cli.stdout`.
Through argparse and the verb table it cost 2.7 times what starting Python costs in
an installed virtualenv (`bench/cli_startup.py`). Everything else, `VERB --help`
included, goes to the command line (`tui.cli.main`).
"""

from __future__ import annotations

import sys

TOP_LEVEL_HELP = (["--help"], ["-h"])


def run() -> None:
    """`lastgood` as its own process.

    What loading made stays frozen (`dispatch`) until the process ends, so the
    collection Python makes as it exits does not walk it: thawed, it took 7 ms of
    `status`'s 61 (`docs/PERFORMANCE.md`). What a verb makes after its handler
    starts is collected at exit as always. The screens (`start` and the others)
    freeze their own heap while they run and give it back as they close
    (`tui.app.heap`); what a collection froze after that, as the app winds down,
    is left frozen too. Nothing is lost by it: the record is written and closed,
    and stdout flushed, before the handler returns (`guarded`).
    """
    if sys.argv[1:] in TOP_LEVEL_HELP and _printed_top_level_help():
        sys.exit(0)
    from tui.cli.edges import guarded
    from tui.cli.main import command

    sys.exit(guarded(command)(None))


def _printed_top_level_help() -> bool:
    """Whether the help was printed here; a reader that left ends the process (141)."""
    from tui.cli.stdout import CLOSED_PIPE_EXIT, BufferedStdout, discard_output
    from tui.cli.top_help import print_top_level_help

    try:
        with BufferedStdout():
            return print_top_level_help()
    except BrokenPipeError:
        discard_output()
        sys.exit(CLOSED_PIPE_EXIT)
