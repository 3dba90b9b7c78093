"""`lastgood monitor --open`: the monitor for every incident, as a service runs it.

It waits while no incident is open (one line saying so, then a line per change),
checks every `CHECK_EVERY_S` with one query (`EventRecord.open_incidents`:
declarations with no close, drills left out), and monitors each open incident as
`lastgood monitor ID` does, by running exactly that: one child process per incident
(`monitor ID --exit-on-eof`, in a session of its own), whose lines it passes on, each
after the incident's ID; with `--json`, the children's JSON lines as they are (each
names its incident), and the driver's own lines on stderr. A closed incident's child
stops itself, and the driver waits again once none is left.

Children, not tasks or threads beside each other in this process: the per-incident
monitor owns its process (it runs its own event loop with `asyncio.run`, takes the
stopping signals on it, and says its lines through process-wide streams, which a
second signal silences for good), and its lines do not name the incident, which a
child's pipe does here. A child also keeps its own exit status: 2 (refused for good:
a runbook with nothing to watch) is said once and not tried again; any other failure
is tried again at the next check.

SIGTERM or Ctrl-C (SIGINT, SIGHUP) stops it: each child's standard input is closed,
which stops it as its own first signal would (its queued samples recorded, its stop
line said); a second signal is passed to the children twice, which leaves what they
had queued. It says on stderr what it watches as it starts and how it stopped.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

from incident.core.text import counted, visible
from store.backends import EventRecord
from store.errors import StoreError
from tui.cli.arguments import Arguments
from tui.cli.context import db_location, known_actor, open_log_at, something_at
from tui.cli.errors import CliError
from tui.cli.monitor_lines import emit

CHECK_EVERY_S = 2.0
"""How often the open incidents are asked for: an incident declared is monitored
within this (one indexed query; nothing else is read while none is open)."""

REFUSED = 2
"""A child's exit status for a refusal that trying again will not change."""

SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def cmd_monitor_open(args: Arguments) -> int:
    """`monitor --open`, its options checked first; `monitor` given neither is refused."""
    if not args.open:
        raise CliError("give the incident's ID, or --open to monitor every open incident")
    if args.id is not None:
        raise CliError(f"--open monitors every open incident: give it, or the ID '{args.id}'")
    for name, option in (("exit_on_eof", "--exit-on-eof"), ("keys_first", "--keys-first")):
        if getattr(args, name, None) not in (None, False):
            raise CliError(f"--open does not take {option}; run `monitor ID {option}` instead")
    location = db_location(args)
    child = ["monitor", "--exit-on-eof"]
    if args.probes_only:
        child.append("--probes-only")
    if args.json:
        child.append("--json")
    if (actor := known_actor(args)) is not None:
        child += ["--as", actor]
    # The children find the record in their environment, as serve's do: a PostgreSQL
    # URL may carry a password, which a command line would show to the whole machine.
    env = {**os.environ, "LASTGOOD_DB": str(location)}
    driver = OpenMonitor(location, child, env, as_json=bool(args.json))
    with contextlib.suppress(KeyboardInterrupt):  # before the loop took the signal over
        asyncio.run(driver.run(args.duration))
    return 0


class OpenMonitor:
    """Watches `location` for open incidents and runs one `lastgood` child per each."""

    def __init__(
        self, location: Path | str, child: list[str], env: dict[str, str], *, as_json: bool = False
    ) -> None:
        self.location = location
        self.child = child
        """The child's verb and options; the incident's ID is put after the verb."""
        self.env = env
        self.as_json = as_json
        """`--json`: stdout holds the children's JSON lines alone, each naming its incident
        (`"incident"`), passed on as they are; the driver's own lines go to stderr."""
        self.children: dict[str, asyncio.subprocess.Process] = {}
        """The children running, by incident."""
        self.refused: dict[str, str] = {}
        """Incidents whose child refused for good, with its reason: not tried again."""
        self.said = ""
        """The last waiting line said: a line per change, not per check."""
        self.monitored = 0
        """How many times a child was started."""
        self._heard = 0
        self._reader = ThreadPoolExecutor(1, thread_name_prefix="lastgood-open")
        """The one thread the record is opened and asked on (a connection stays on it)."""
        self._stack = ExitStack()
        self._log: EventRecord | None = None
        self._followers: list[asyncio.Task[None]] = []

    async def run(self, duration_s: float | None) -> None:
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        for number in SIGNALS:
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(number, lambda: self._signalled(stop))
        stops = "SIGTERM stops" if duration_s is None else f"stops after {duration_s:g}s"
        emit(
            visible(
                f"watching every open incident in {self.location}: checking every "
                f"{CHECK_EVERY_S:g}s; {stops}"
            ),
            sys.stderr,
        )
        deadline = None if duration_s is None else loop.time() + duration_s
        try:
            while not stop.is_set():
                await self._check(loop)
                wait = CHECK_EVERY_S
                if deadline is not None:
                    wait = min(wait, deadline - loop.time())
                    if wait <= 0:
                        break
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), wait)
        finally:
            await self._stop_children()
            await loop.run_in_executor(self._reader, self._stack.close)
            self._reader.shutdown(wait=False)
        emit(f"monitor --open stopped; {counted(self.monitored, 'incident')} monitored", sys.stderr)

    def _signalled(self, stop: asyncio.Event) -> None:
        self._heard += 1
        stop.set()
        if self._heard > 1:  # a second signal: the children leave what they queued
            for process in self.children.values():
                for _ in range(2):
                    with contextlib.suppress(ProcessLookupError):
                        process.send_signal(signal.SIGTERM)

    async def _check(self, loop: asyncio.AbstractEventLoop) -> None:
        found = await loop.run_in_executor(self._reader, self._open_incidents)
        if isinstance(found, str):
            self._say_waiting(found)
            return
        for incident_id in found:
            if incident_id not in self.children and incident_id not in self.refused:
                await self._start(incident_id)
        if not self.children:
            refused = [i for i in found if i in self.refused]
            self._say_waiting(
                f"waiting: no incident open in {self.location}"
                if not refused
                else f"waiting: no incident monitored ({', '.join(refused)} refused)"
            )

    def _open_incidents(self) -> list[str] | str:
        """On the reader's thread: the open incidents, or why there are none to ask."""
        if self._log is None:
            if isinstance(self.location, Path) and not something_at(self.location):
                return f"waiting: no record at {self.location} yet (declared incidents start it)"
            try:
                self._log = self._stack.enter_context(open_log_at(self.location, read_only=True))
            except CliError as error:
                return f"waiting: {error}"
        try:
            return self._log.open_incidents()
        except StoreError as error:
            return f"waiting: the record does not answer: {error}"

    def _say_waiting(self, line: str) -> None:
        if line != self.said:
            self.said = line
            self._say(visible(line))

    def _say(self, line: str) -> None:
        """One of the driver's own lines: on stdout, or stderr beside `--json` lines."""
        emit(line, sys.stderr if self.as_json else None)

    async def _start(self, incident_id: str) -> None:
        verb, *options = self.child
        process = await asyncio.create_subprocess_exec(
            *_lastgood(),
            verb,
            incident_id,
            *options,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self.env,
            start_new_session=True,  # Ctrl-C reaches the driver alone, which stops it
        )
        self.children[incident_id] = process
        self.monitored += 1
        self.said = ""
        self._say(visible(f"{incident_id}: open; monitoring it"))
        self._followers = [task for task in self._followers if not task.done()]
        self._followers.append(asyncio.create_task(self._follow(incident_id, process)))

    async def _follow(self, incident_id: str, process: asyncio.subprocess.Process) -> None:
        """Pass the child's lines on, after its ID; once it ends, say how."""
        assert process.stdout is not None and process.stderr is not None
        last: list[str] = []
        passed_on = emit if self.as_json else lambda line: emit(f"{incident_id}  {line}")
        await asyncio.gather(
            _passed(process.stdout, passed_on),
            _passed(process.stderr, lambda line: _kept(last, f"{incident_id}  {line}")),
        )
        code = await process.wait()
        self.children.pop(incident_id, None)
        if code == REFUSED:
            self.refused[incident_id] = last[-1] if last else ""
            self._say(f"{incident_id}: not monitored (refused, exit {code}); not tried again")
        elif code != 0 and self._heard == 0:
            self._say(f"{incident_id}: monitor ended (exit {code}); tried again at the next check")
        else:
            self._say(f"{incident_id}: monitor ended")

    async def _stop_children(self) -> None:
        """Close each child's input (its stop) and wait for every one to end."""
        for process in list(self.children.values()):
            if process.stdin is not None:
                process.stdin.close()
        await asyncio.gather(*self._followers)


def _kept(last: list[str], line: str) -> None:
    last.append(line)
    emit(line, sys.stderr)


async def _passed(stream: asyncio.StreamReader, say: Callable[[str], None]) -> None:
    async for raw in stream:
        say(visible(raw.decode("utf-8", "replace").rstrip("\n")))


def _lastgood() -> Iterator[str]:
    yield from (sys.executable, "-m", "tui.cli")
