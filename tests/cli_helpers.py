"""Run `lastgood` as a user would: a separate process, the installed entry point.

`InProcessCli` calls the same `main` in the test's own process, for tests about
what a verb records and prints rather than about the process around it: a
`python -m tui.cli` costs 100-300 ms of CPU to start, most of the suite's CPU when
every call paid it. Each verb family keeps tests that run it as a process.
"""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent


def lastgood_command() -> list[str]:
    """The console script installed beside this interpreter, else the module."""
    script = Path(sys.executable).parent / "lastgood"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "tui.cli"]


def fresh_python(script: str, *args: str, env: dict[str, str] | None = None) -> str:
    """What `script` prints in a fresh interpreter with this checkout importable: for
    what a process loads or sets at start-up, which the test's own has long done."""
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        env={**(os.environ if env is None else env), "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout


@dataclass
class Result:
    code: int
    out: str
    err: str


class Cli:
    """A `lastgood` bound to one database file."""

    def __init__(self, db: Path, actor: str = "tester") -> None:
        self.db = db
        self.env = {
            **os.environ,
            "LASTGOOD_DB": str(db),
            "LASTGOOD_USER": actor,
            "PYTHONPATH": str(ROOT),
        }
        self.cwd = ROOT
        """The directory each call runs in."""

    def run(self, *args: str, stdin: str | None = None) -> Result:
        done = subprocess.run(
            [*lastgood_command(), *args],
            env=self.env,
            cwd=self.cwd,
            capture_output=True,
            text=True,
            input=stdin,
            timeout=60,
            check=False,
        )
        return Result(done.returncode, done.stdout, done.stderr)

    def ok(self, *args: str) -> str:
        result = self.run(*args)
        assert result.code == 0, f"lastgood {' '.join(args)} failed: {result.err}"
        return result.out

    def in_process(self) -> InProcessCli:
        """This `lastgood` (its database, actor, environment and directory) run in this
        process: for the set-up and the reads around the call a test is about, which
        keeps a process of its own."""
        same = InProcessCli(self.db)
        same.env = dict(self.env)
        same.cwd = self.cwd
        return same


NEEDS_A_PROCESS = frozenset({"start", "demo", "attach", "monitor", "serve", "drill"})
"""Verbs that open a screen, run until signalled or start children: only as a process."""


class InProcessCli(Cli):
    """A `lastgood` whose calls run `tui.cli.main.main` in this process.

    What a process gives each call is given here too: the environment and working
    directory of `Cli`, its own stdin, stdout and stderr, and the exit status (also
    argparse's `SystemExit`). An exception escaping `main` fails the test, as the
    traceback it would print is a defect.
    """

    def run(self, *args: str, stdin: str | None = None) -> Result:
        verb = next((a for a in args if not a.startswith("-")), "")
        if verb in NEEDS_A_PROCESS and "--help" not in args:
            raise ValueError(f"lastgood {verb} runs only as a process: use Cli")
        if _loop_running():
            # A verb that delivers runs its own event loop (asyncio.run), which cannot
            # start inside an async test's: run it on a thread, this one waiting as
            # it would on a process.
            with ThreadPoolExecutor(1) as pool:
                return pool.submit(self._call, args, stdin).result()
        return self._call(args, stdin)

    def _call(self, args: tuple[str, ...], stdin: str | None) -> Result:
        from tui.cli.main import main

        out, err = io.StringIO(), io.StringIO()
        cwd = Path.cwd()
        saved_stdin = sys.stdin
        with mock.patch.dict(os.environ, self.env, clear=True):
            os.chdir(self.cwd)
            sys.stdin = io.StringIO(stdin or "")
            try:
                with redirect_stdout(out), redirect_stderr(err):
                    try:
                        code = main(list(args))
                    except SystemExit as exit:
                        code = _exit_status(exit, err)
            finally:
                sys.stdin = saved_stdin
                os.chdir(cwd)
        return Result(code, out.getvalue(), err.getvalue())


async def run_beside(cli: Cli, *args: str) -> Result:
    """`cli.run` off the test's event loop, so a loopback server on it keeps answering."""
    return await asyncio.to_thread(cli.run, *args)


async def declared_beside(cli: Cli, *words: str) -> str:
    """`lastgood declare WORDS...` run beside a loopback server (`run_beside`): the id."""
    declared = await run_beside(cli, "declare", *words)
    assert declared.code == 0, declared.err
    return declared.out.splitlines()[0]


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _exit_status(exit: SystemExit, err: io.StringIO) -> int:
    """The status a process would exit with: an int, 0 for None, 1 with a message."""
    if exit.code is None:
        return 0
    if isinstance(exit.code, int):
        return exit.code
    err.write(f"{exit.code}\n")
    return 1


DECLARED = {
    "--title": "Checkout errors after 2.4.1",
    "--severity": "SEV2",
    "--commander": "Ada",
    "--issue": "checkout failing",
    "--eta": "30",
    "--pattern": "blue-green",
    "--from-version": "2.4.1",
    "--last-good": "2.4.0",
}
"""`declare`'s options, each given once: `extra` replaces one it names (an option given
twice is refused)."""


def declare(cli: Cli, *extra: str) -> str:
    """An incident of the bundled runbook, rolling 2.4.1 back to 2.4.0: its id; `extra`
    options (`"--title", "T"`) add to or replace the defaults."""
    named = {word.partition("=")[0] for word in extra if word.startswith("--")}
    defaults = [
        word
        for option, value in DECLARED.items()
        if option not in named
        for word in (option, value)
    ]
    out = cli.ok("declare", *defaults, *extra)
    return out.strip()
