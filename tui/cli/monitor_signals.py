"""What stops `lastgood monitor` from outside, and what holds its polls back: Ctrl-C,
SIGTERM or SIGHUP (a second one leaves what waits), its standard input closing (the
screen that started it gone), its standard output closing (the reader of a pipe gone),
and the byte the coordinator's screen sets while it draws a key.

Apart from the monitor's loop (`tui.cli.monitor`): these change with the platform
and the parent process, the loop with what is polled and recorded.
"""

from __future__ import annotations

import asyncio
import contextlib
import mmap
import os
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any, TextIO

from tui.cli.errors import CliError
from tui.cli.monitor_lines import emit
from tui.cli.store_thread import SampleWriter
from tui.net.gate import Gate

STOPPING_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
"""Ctrl-C, a service manager's stop, and the hang-up of a terminal closed (an SSH
session dropped) or of a `kill -HUP` from a log-rotation habit: by their default
action the last ended the monitor at once, with no stop line and its queued batches
unrecorded."""


def stop_on_signals(stop: asyncio.Event, writer: SampleWriter) -> None:
    """Ctrl-C (SIGINT), SIGTERM or SIGHUP stops polling and waits for the samples polled
    to be recorded, saying how many wait; a second one leaves them (cancels the
    monitor)."""
    loop = asyncio.get_running_loop()
    main = asyncio.current_task()
    heard: list[int] = []

    def on_signal() -> None:
        heard.append(1)
        if len(heard) > 1:
            if main is not None:
                main.cancel()
            return
        stop.set()
        batches, samples = writer.backlog()
        if batches:
            emit(
                f"stopping: recording the {batches} batch(es) of samples ({samples} samples) "
                "still queued; a second Ctrl-C (or SIGTERM) leaves them",
                sys.stderr,
            )

    for number in STOPPING_SIGNALS:
        with contextlib.suppress(NotImplementedError, RuntimeError):  # not on this platform
            loop.add_signal_handler(number, on_signal)


def keys_gate(fd: int) -> Gate:
    """The gate over the byte the coordinator's screen shares at `fd`: one byte of a
    file it passed down, non-zero while it draws a key (`tui/app/probe_child.py`)."""
    try:
        shared = mmap.mmap(fd, 1, access=mmap.ACCESS_READ)
    except (OSError, ValueError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        raise CliError(f"--keys-first {fd}: no shared byte there ({reason})") from None
    return Gate(lambda: shared[0] != 0)


def stop_at_eof(stop: asyncio.Event) -> None:
    """Set `stop` once standard input is closed (read on a thread of its own)."""
    loop = asyncio.get_running_loop()

    def wait_for_eof() -> None:
        # `os.read`, not `sys.stdin.buffer`: a thread blocked in a buffered read holds
        # its lock, and the interpreter aborts if it is still held at exit.
        try:
            while os.read(0, 4096):
                pass
        except OSError:  # no stdin at all: as good as closed
            pass
        loop.call_soon_threadsafe(stop.set)

    threading.Thread(target=wait_for_eof, name="lastgood-eof", daemon=True).start()


class ClosedOutput:
    """While in `with`, stdout and stderr whose reader leaving stops the monitor cleanly.

    With stdout a pipe whose reader died (`| head -2`, a `| logger` that exited), the
    next line printed raised BrokenPipeError, which ended the process with exit 141
    and neither the queued batches recorded nor the stop line said. Now the first
    such write points the stream at /dev/null, says so on stderr, and calls
    `when_closed` (set to stop the monitor), which then ends as for SIGTERM; `closed`
    tells the exit status. A closed stderr is let go the same way, without a word.
    """

    def __init__(self) -> None:
        self.closed = False
        """Whether stdout's reader left."""
        self.when_closed: Callable[[], None] = lambda: None
        """Called once, from whichever thread wrote, as stdout's reader leaves."""
        self._saved: tuple[TextIO, TextIO] | None = None

    def __enter__(self) -> ClosedOutput:
        self._saved = (sys.stdout, sys.stderr)
        sys.stdout = _Guarded(sys.stdout, 1, self._stdout_gone)
        sys.stderr = _Guarded(sys.stderr, 2, lambda: None)
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._saved is not None:
            sys.stdout, sys.stderr = self._saved

    def _stdout_gone(self) -> None:
        if self.closed:
            return
        self.closed = True
        # Written here, not by `emit`: this runs inside its write, under its lock.
        sys.stderr.write("stopping: standard output was closed (its reader left)\n")
        sys.stderr.flush()
        self.when_closed()


class _Guarded:
    """A text stream whose broken pipe points its file descriptor at /dev/null and
    calls `gone`, instead of raising: what it still buffers is then written there."""

    def __init__(self, stream: TextIO, fd: int, gone: Callable[[], None]) -> None:
        self._stream = stream
        self._fd = fd
        self._gone = gone

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            self._let_go()
            return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            self._let_go()

    def _let_go(self) -> None:
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, self._fd)
        finally:
            os.close(devnull)
        with contextlib.suppress(BrokenPipeError, OSError):
            self._stream.flush()  # what it held goes to /dev/null now
        self._gone()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)
