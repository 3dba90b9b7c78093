"""Running a command step and reading back that it took, the same way in every face.

The CLI waits on `asyncio.run(...)`; the TUI awaits the same coroutine in a worker,
so its screen keeps drawing while a rollout finishes. What the run did is recorded
by `incident.app.command_runs`.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable

from msgspec import Struct

from incident.app.command_output import command_environment
from incident.app.command_runs import OUTPUT_TAIL_CHARS, SECRET_ROOM_CHARS
from incident.core.clock import Clock
from incident.core.text import counted
from incident.health.command_check import judge
from runbooks.model import CommandCheck

Shell = Callable[[str], Awaitable[tuple[int, bytes]]]
"""Runs a shell command, stderr merged into stdout: (exit code, output)."""
Sleep = Callable[[float], Awaitable[None]]

KEPT_BYTES = 4 * (OUTPUT_TAIL_CHARS + SECRET_ROOM_CHARS) + 3
"""What of a step command's output is kept while it runs: the bytes of the characters
shown and recorded (`command_runs.shown_output`) with the room for a secret across the cut,
at UTF-8's longest (4 bytes a character), and 3 for a character cut at the start.
Decoded, the tail's last characters are those of the whole output: UTF-8 finds its
step again within 3 bytes of a cut."""

CHUNK_BYTES = 64 * 1024
"""How much is read from the command's pipe at a time."""


class OutputTail:
    """The last `keep` bytes of a stream, read a chunk at a time (all of it: None).

    A rollback command that prints gigabytes (`kubectl logs -f` by mistake, a `set -x`
    loop) held all of it, about three bytes a byte once decoded, to record its last
    2,000 characters; now memory stays near `keep` whatever it prints."""

    def __init__(self, keep: int | None = KEPT_BYTES) -> None:
        self._keep = keep
        self._kept = bytearray()

    def add(self, chunk: bytes) -> None:
        """Take in the next bytes the command printed."""
        keep = self._keep
        self._kept += chunk if keep is None else chunk[-keep:]
        if keep is not None and len(self._kept) > 2 * keep:
            del self._kept[:-keep]  # trimmed now and then, not at every chunk

    @property
    def output(self) -> bytes:
        """What is kept: the stream's last `keep` bytes."""
        kept = self._kept if self._keep is None else self._kept[-self._keep :]
        return bytes(kept)


async def run_shell(command: str, *, keep: int | None = KEPT_BYTES) -> tuple[int, bytes]:
    """Run `command` in a shell without lastgood's secrets in its environment
    (`command_environment`), and keep the last `keep` bytes it printed (None: all of
    them, for a verify command, whose whole answer is judged); what it printed is
    redacted when shown or recorded (`incident.app.command_runs.shown_output`)."""
    process = await asyncio.create_subprocess_shell(
        command,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        env=command_environment(os.environ),
    )
    assert process.stdout is not None  # PIPE above
    tail = OutputTail(keep)
    try:
        while chunk := await process.stdout.read(CHUNK_BYTES):
            tail.add(chunk)
        code = await process.wait()
    except BaseException:  # cancelled (the app quitting): the command does not outlive it
        if process.returncode is None:
            process.kill()
            await asyncio.shield(process.wait())
        raise
    return code, tail.output


def run_shell_waiting(command: str) -> tuple[int, bytes]:
    """`run_shell` for a face that waits on the command (the CLI): the same shell,
    environment and kept tail, read without an event loop."""
    import subprocess

    with subprocess.Popen(
        command,
        shell=True,
        bufsize=0,  # unbuffered: each read returns what the pipe holds, up to a chunk
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=command_environment(os.environ),
    ) as process:
        assert process.stdout is not None  # PIPE above
        tail = OutputTail()
        try:
            while chunk := process.stdout.read(CHUNK_BYTES):
                tail.add(chunk)
            code = process.wait()
        except BaseException:  # Ctrl-C: as `subprocess.run` does, the command ends too
            process.kill()
            raise
    return code, tail.output


async def _run_whole(command: str) -> tuple[int, bytes]:
    """A verify command's run, all of its answer kept: a regex or a JSON path looks
    anywhere in it."""
    return await run_shell(command, keep=None)


class Verification(Struct, frozen=True):
    """How a verify command answered, at its last try."""

    check: CommandCheck
    passed: bool
    tries: int
    seconds: float
    exit_code: int
    output: bytes
    why: str
    """What the last answer showed, one line: `output matched /rolled out/: '...'`."""

    @property
    def evidence(self) -> str:
        tries = counted(self.tries, "try", "tries")
        return f"`{self.check.command}`: {self.why} ({tries}, {self.seconds:.0f} s)"


async def verify_command(
    check: CommandCheck, *, clock: Clock, shell: Shell = _run_whole, sleep: Sleep = asyncio.sleep
) -> Verification:
    """Run `check`'s command until it shows what is expected or `within_s` has passed.

    A try that would start after the deadline is not made, so the wait is bounded by
    `within_s` plus one command's run.
    """
    start = clock.monotonic_ns()
    tries = 0
    while True:
        tries += 1
        code, output = await shell(check.command)
        passed, why = judge(check, code, output.decode("utf-8", errors="replace"))
        seconds = (clock.monotonic_ns() - start) / 1e9
        if passed or seconds + check.every_s > check.within_s:
            return Verification(check, passed, tries, seconds, code, output, why)
        await sleep(check.every_s)
