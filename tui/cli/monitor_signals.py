"""What stops `lastgood monitor` from outside, and what holds its polls back: Ctrl-C or
SIGTERM (a second one leaves what waits), its standard input closing (the screen that
started it gone), and the byte the coordinator's screen sets while it draws a key.

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

from tui.cli.errors import CliError
from tui.cli.monitor_lines import emit
from tui.cli.store_thread import SampleWriter
from tui.net.gate import Gate


def stop_on_signals(stop: asyncio.Event, writer: SampleWriter) -> None:
    """Ctrl-C (SIGINT) or SIGTERM stops polling and waits for the samples polled to be
    recorded, saying how many wait; a second one leaves them (cancels the monitor)."""
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

    for number in (signal.SIGINT, signal.SIGTERM):
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
