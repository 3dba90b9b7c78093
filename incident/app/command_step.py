"""Running a command step and reading back that it took, the same way in every face.

The CLI waits on `asyncio.run(...)`; the TUI awaits the same coroutine in a worker,
so its screen keeps drawing while a rollout finishes.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable

from msgspec import Struct

from incident.app.command_output import command_environment
from incident.core.clock import Clock
from incident.core.text import counted
from incident.health.command_check import judge
from runbooks.model import CommandCheck

Shell = Callable[[str], Awaitable[tuple[int, bytes]]]
"""Runs a shell command, stderr merged into stdout: (exit code, output)."""
Sleep = Callable[[float], Awaitable[None]]


async def run_shell(command: str) -> tuple[int, bytes]:
    """Run `command` in a shell without lastgood's secrets in its environment
    (`command_environment`); what it printed is redacted when shown or recorded
    (`incident.app.steps.shown_output`)."""
    process = await asyncio.create_subprocess_shell(
        command,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        env=command_environment(os.environ),
    )
    output, _ = await process.communicate()
    return (process.returncode if process.returncode is not None else -1), output


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
    check: CommandCheck, *, clock: Clock, shell: Shell = run_shell, sleep: Sleep = asyncio.sleep
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
