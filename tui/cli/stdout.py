"""stdout at a `lastgood` process's edge: kept buffered, written in any locale, and let
go when its reader leaves.

Apart from `tui.cli.edges` so that `lastgood --help`, answered before the command
line loads (`tui.cli.entry`), ends a closed pipe the same way with the standard
library's `codecs`, `io` and `os` alone.
"""

from __future__ import annotations

import codecs
import io
import os
import sys

TYPE_CHECKING = False  # `typing` waits until the arguments are parsed (see `incident.app.params`)

if TYPE_CHECKING:
    from typing import TextIO

CLOSED_PIPE_EXIT = 141
"""The status of a tool killed by SIGPIPE (128 + 13), what `cat | head -1` gives too."""


ESCAPED = "backslashreplace"
"""How a stream that cannot encode a character writes it: as its code (`caf\\xe9`)."""


def is_utf8(stream: object) -> bool:
    """Whether `stream` writes UTF-8; one with no encoding of its own (a `StringIO`)
    takes any text, as UTF-8 does."""
    encoding = getattr(stream, "encoding", None)
    return not encoding or codecs.lookup(encoding).name == "utf-8"


def _raises(stream: io.TextIOWrapper) -> bool:
    """Whether `stream` would raise on a character its encoding lacks (an ASCII
    stdout: `LC_ALL=C PYTHONUTF8=0`, where Python's `surrogateescape` raises too)."""
    return not is_utf8(stream) and stream.errors in ("strict", "surrogateescape")


class BufferedStdout:
    """A buffered stdout even under `python -u` / $PYTHONUNBUFFERED, while in `with`,
    and stdout and stderr that never raise on what their encoding lacks.

    Unbuffered, stdout is a text layer straight on the file, which drops the rest
    of a partial write (a reader closing mid-export) without an error; a buffered
    writer finishes the write or raises BrokenPipeError. Line buffering keeps
    what `-u` is for: each line shows as soon as it is printed. (A class, not a
    `contextlib` generator: `contextlib` brings `collections` and `functools`.)

    A stdout whose encoding is not UTF-8 (ASCII, when the locale is C and Python's
    UTF-8 mode is off) writes a character it cannot encode as its code, as stderr
    does already, instead of a traceback halfway through a report; JSON avoids the
    question by escaping what such a stream lacks (`tui.cli.shown_stream.json_for_stdout`).
    """

    def __init__(self) -> None:
        self._original = sys.stdout
        self._buffered: TextIO | None = None
        self._raising: list[tuple[io.TextIOWrapper, str | None]] = []

    def __enter__(self) -> None:
        for stream in (sys.stdout, sys.stderr):
            if isinstance(stream, io.TextIOWrapper) and _raises(stream):
                self._raising.append((stream, stream.errors))
                stream.reconfigure(errors=ESCAPED)
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
        for stream, errors in self._raising:  # a caller in Python gets them back as they were
            if not stream.closed:
                stream.reconfigure(errors=errors)


def discard_output() -> None:
    """Point stdout and stderr at /dev/null: what is still buffered must not raise again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    for fd in (1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)
