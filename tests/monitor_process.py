"""`lastgood monitor` running as a user runs it, read line by line as it speaks.

Several tests start a monitor, wait on what it prints, stop it and read the rest;
each wrote the same `Popen`, readers and kill-if-left-running.
"""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from tests.cli_helpers import Cli, lastgood_command

WAIT_S = 30


class Lines:
    """What a stream says, line by line, as it says it (read on a thread of its own)."""

    def __init__(self, stream: IO[str]) -> None:
        self.lines: list[str] = []
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self.lines.append(line.rstrip("\n"))

    def has(self, text: str) -> bool:
        return any(text in line for line in self.lines)

    def joined(self) -> str:
        self._thread.join(timeout=WAIT_S)
        return "\n".join(self.lines)


@contextmanager
def running_monitor(
    cli: Cli, incident_id: str, *options: str
) -> Iterator[tuple[subprocess.Popen[str], Lines, Lines]]:
    """`lastgood monitor ID OPTIONS...`, its stdout and stderr as `Lines`; killed if the
    test left it running."""
    process = subprocess.Popen(
        [*lastgood_command(), "monitor", incident_id, *options],
        env=cli.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stderr is not None
    try:
        yield process, Lines(process.stdout), Lines(process.stderr)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
