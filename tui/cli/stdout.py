"""stdout at a `lastgood` process's edge: kept buffered, and let go when its reader leaves.

Apart from `tui.cli.edges` so that `lastgood --help`, answered before the command
line loads (`tui.cli.entry`), ends a closed pipe the same way with the standard
library's `io` and `os` alone.
"""

from __future__ import annotations

import io
import os
import sys

TYPE_CHECKING = False  # `typing` waits until the arguments are parsed (see `incident.app.params`)

if TYPE_CHECKING:
    from typing import TextIO

CLOSED_PIPE_EXIT = 141
"""The status of a tool killed by SIGPIPE (128 + 13), what `cat | head -1` gives too."""


class BufferedStdout:
    """A buffered stdout even under `python -u` / $PYTHONUNBUFFERED, while in `with`.

    Unbuffered, stdout is a text layer straight on the file, which drops the rest
    of a partial write (a reader closing mid-export) without an error; a buffered
    writer finishes the write or raises BrokenPipeError. Line buffering keeps
    what `-u` is for: each line shows as soon as it is printed. (A class, not a
    `contextlib` generator: `contextlib` brings `collections` and `functools`.)
    """

    def __init__(self) -> None:
        self._original = sys.stdout
        self._buffered: TextIO | None = None

    def __enter__(self) -> None:
        original = self._original
        if not isinstance(getattr(original, "buffer", None), io.RawIOBase):
            return
        # Closed on leaving; the file descriptor stays open.
        self._buffered = open(
            original.fileno(),
            "w",
            buffering=1,  # line-buffered
            encoding=original.encoding,
            errors=original.errors,
            closefd=False,
        )
        sys.stdout = self._buffered

    def __exit__(self, *exc_info: object) -> None:
        if self._buffered is not None:
            sys.stdout = self._original
            self._buffered.close()


def discard_output() -> None:
    """Point stdout and stderr at /dev/null: what is still buffered must not raise again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    for fd in (1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)
