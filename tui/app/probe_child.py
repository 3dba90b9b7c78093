"""The coordinator's probes, polled by `lastgood monitor` in a child process.

Polling 200 probes a second costs about 1.5 ms of Python per request in httpx, a
third of a core. On the app's own network thread that work competed with the UI
thread for the GIL, and a key pressed during a polling round waited for it: the
probes case answered keys 1.4-1.6x slower (p99) than the same screen without
probes. In a process of its own it competes for a core at most, and the screen
reads the samples from the record like any other writer's events (its tick on
SQLite, the live feed on PostgreSQL).

The child is `monitor --probes-only --exit-on-eof --keys-first FD`: the screen keeps
its standard input open and closes it to stop it, so a screen killed outright still
takes its poller with it. FD is a byte the two share (a memfd, mapped by both): the
screen sets it when a key arrives and clears it once the key's frame is out, and the
child starts no poll while it is set (`tui/net/gate.py`); at a lower priority alone,
the child still took a core the key's frame wanted. Messages stay with the screen.
"""

from __future__ import annotations

import contextlib
import mmap
import os
import subprocess
import sys
import tempfile
import threading

from incident.app.probe_turn import POLLER_VARIABLE
from incident.core.text import visible

NICENESS = 10
"""How much lower the child's CPU priority is than the screen's: on a machine short of
cores, a key waits for no polling round."""

STOP_WAIT_S = 10.0
"""How long the child has to finish its round (a probe's timeout at most) and exit
before it is killed."""


def _shared_file() -> int:
    """A descriptor of a file nobody else can open: a memfd where the system makes
    them (Linux), else an unlinked temporary file."""
    if hasattr(os, "memfd_create"):
        with contextlib.suppress(OSError):  # a sandbox may refuse the call
            return os.memfd_create("lastgood-keys")
    with tempfile.TemporaryFile() as file:
        return os.dup(file.fileno())


def _shared_byte() -> tuple[int, mmap.mmap] | None:
    """A one-byte file mapped here, and its descriptor to hand the child; None where
    the system gives neither (no memfd and no temporary directory to write in): the
    child then polls without giving way to keys, as before it could."""
    try:
        shared = _shared_file()
    except OSError:
        return None
    try:
        os.ftruncate(shared, 1)
        return shared, mmap.mmap(shared, 1)
    except OSError:
        os.close(shared)
        return None


class ProbeChild:
    """One `lastgood monitor --probes-only` for one incident, owned by one screen."""

    def __init__(self, process: subprocess.Popen[bytes], keys: mmap.mmap | None) -> None:
        self.process = process
        self._keys = keys
        """The byte shared with the child: 1 while a key's frame is being made (None:
        none could be made)."""
        self._stopping = False

    @classmethod
    def start(cls, location: str, incident_id: str, *, poller: str = "") -> ProbeChild:
        """Start polling `incident_id`'s probes into the record at `location`, the ticks
        naming `poller` (the screen's own name for it: `incident.app.probe_turn`).

        The location goes in the environment, not the arguments: a PostgreSQL URL
        may hold a password, and any user can read a process's arguments.
        """
        shared = _shared_byte()
        fds = () if shared is None else (shared[0],)
        command = [
            *(sys.executable, "-m", "tui.cli", "monitor", "--probes-only", "--exit-on-eof"),
            *(arg for fd in fds for arg in ("--keys-first", str(fd))),
        ]
        try:
            process = subprocess.Popen(
                [*command, incident_id],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                env=dict(os.environ, LASTGOOD_DB=location, **{POLLER_VARIABLE: poller}),
                pass_fds=fds,
            )
        except BaseException:
            if shared is not None:
                shared[1].close()
            raise
        finally:
            for fd in fds:
                os.close(fd)  # the mapping stays
        # Set at once, while the child is one thread: the threads it starts inherit it.
        with contextlib.suppress(OSError):
            os.setpriority(
                os.PRIO_PROCESS, process.pid, os.getpriority(os.PRIO_PROCESS, 0) + NICENESS
            )
        return cls(process, None if shared is None else shared[1])

    def hold(self) -> None:
        """A key arrived: the child starts no poll until `release` (or its wait lapses).
        A write to shared memory: no call into the kernel, and nobody woken."""
        if self._keys is not None:
            self._keys[0] = 1

    def release(self) -> None:
        """The key's frame is out: poll on."""
        if self._keys is not None:
            self._keys[0] = 0

    @property
    def holding(self) -> bool:
        return self._keys is not None and self._keys[0] != 0

    def failure(self) -> str | None:
        """Why the child stopped by itself, or None while it polls (or it stopped
        because the incident closed, or because `stop` asked it to)."""
        code = self.process.poll()
        if code is None or code == 0 or self._stopping:
            return None
        said = self.process.stderr.read().decode(errors="replace") if self.process.stderr else ""
        lines = [line for line in said.splitlines() if line.strip()]
        reason = lines[-1] if lines else f"exit status {code}"
        if reason.startswith("lastgood") and ": " in reason:  # "lastgood monitor: ..."
            reason = reason.split(": ", 1)[1]
        return visible(reason)

    def stop(self) -> None:
        """Close the child's input: it finishes its round and exits. Not waited for
        here (a round may take a probe's timeout; the screen is going now): a thread
        kills it if it is still there after `STOP_WAIT_S`."""
        self._stopping = True
        if self.process.stdin is not None:
            self.process.stdin.close()
        threading.Thread(target=self._reap, name="lastgood-probe-child", daemon=True).start()

    def _reap(self) -> None:
        try:
            self.process.wait(STOP_WAIT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stderr is not None:
            self.process.stderr.close()
