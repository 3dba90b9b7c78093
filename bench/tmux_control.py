"""One tmux control-mode client: keys in and screens out without a process per call.

The keypress bench used to run `tmux send-keys` and then `tmux capture-pane`
every 2 ms until the press showed: each call a fresh tmux client (fork, exec,
connect; 2.3 ms), so the instrument spent about a core while it waited, on a
2-core machine where the app, its poller and tmux wanted them, and a press was
seen up to a poll late. A control-mode client (`tmux -C`) is one process on one
socket: commands are lines on its stdin and their replies come back between
`%begin` and `%end`; whatever a pane prints is announced as `%output`. So a wait
here looks at the screen only when the pane has printed something, and the time
it reports is when tmux received the output that made the screen right, not when
the bench happened to look.
"""

from __future__ import annotations

import shlex
import subprocess
import threading
import time
from collections.abc import Callable
from queue import Empty, Queue

from terminal import BenchError, Tmux


class ControlClient:
    """A control-mode client attached to `session` of `tmux`'s server.

    It attaches with `ignore-size`, so the measured windows keep the size they were
    made with. Commands are sent and answered in turn from one thread (the bench's);
    a reader thread sorts tmux's lines into replies and output notices.
    """

    def __init__(self, tmux: Tmux, session: str) -> None:
        self._process = subprocess.Popen(
            ["tmux", "-L", tmux.socket, "-f", "/dev/null", "-C",
             "attach-session", "-t", session, "-f", "ignore-size"],
            env=tmux.env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0,
        )  # fmt: skip
        self._replies: Queue[tuple[bool, str, dict[str, float]]] = Queue()
        self._printed = threading.Condition()
        self._outputs: dict[str, int] = {}
        """How many `%output` notices each pane has had."""
        self._last_output: dict[str, float] = {}
        """When (perf_counter) each pane's last `%output` notice arrived."""
        self._reader = threading.Thread(target=self._read, name="tmux-control", daemon=True)
        self._reader.start()
        self._replies.get(timeout=10)  # the reply to attaching itself

    def _read(self) -> None:
        assert self._process.stdout is not None
        block: list[str] | None = None
        before: dict[str, float] = {}  # each pane's last output when the reply began
        for raw in self._process.stdout:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            if block is not None:
                if line.startswith(("%end ", "%error ")):
                    self._replies.put((line.startswith("%end "), "\n".join(block), before))
                    block = None
                else:
                    block.append(line)
            elif line.startswith("%begin "):
                block = []
                with self._printed:
                    before = dict(self._last_output)
            elif line.startswith("%output "):
                pane = line.split(" ", 2)[1]
                with self._printed:
                    self._outputs[pane] = self._outputs.get(pane, 0) + 1
                    self._last_output[pane] = time.perf_counter()
                    self._printed.notify_all()
        self._replies.put((False, "the control client exited", {}))

    def command(self, *args: str) -> str:
        """Run one tmux command; its output, or BenchError with tmux's message."""
        return self._command(*args)[0]

    def _command(self, *args: str) -> tuple[str, dict[str, float]]:
        """A command's output, and when each pane last printed before tmux ran it."""
        assert self._process.stdin is not None
        self._process.stdin.write((shlex.join(args) + "\n").encode())
        try:
            ok, text, before = self._replies.get(timeout=10)
        except Empty:
            raise BenchError(f"tmux {' '.join(args)}: no answer in 10 s") from None
        if not ok:
            raise BenchError(f"tmux {' '.join(args)} failed: {text.strip()}")
        return text, before

    def screen(self, pane: str) -> str:
        return self.command("capture-pane", "-p", "-t", pane)

    def outputs(self, pane: str) -> int:
        with self._printed:
            return self._outputs.get(pane, 0)

    def press(
        self, pane: str, keys: list[str], seen: Callable[[str], bool], timeout: float, what: str
    ) -> float:
        """Send `keys` and wait until the screen satisfies `seen`.

        Returns the seconds from sending the keys to the arrival of the output
        after which the screen first satisfied `seen`.
        """
        started = time.perf_counter()
        self.command("send-keys", "-t", pane, *keys)
        return self.wait_for(pane, seen, started, timeout, what)

    def wait_for(
        self, pane: str, seen: Callable[[str], bool], started: float, timeout: float, what: str
    ) -> float:
        """Look at the screen after each output of `pane` until `seen(screen)`."""
        deadline = started + timeout
        while True:
            count = self.outputs(pane)
            screen, before = self._command("capture-pane", "-p", "-t", pane)
            if seen(screen):
                # The output that made the screen right came before tmux captured it:
                # the last one announced before the capture's reply began.
                return max(before.get(pane, started), started) - started
            with self._printed:
                remaining = deadline - time.perf_counter()
                if remaining <= 0:
                    raise BenchError(
                        f"no {what} on screen after {timeout:.0f}s; last screen:\n{screen}"
                    )
                self._printed.wait_for(lambda c=count: self._outputs.get(pane, 0) > c, remaining)

    def close(self) -> None:
        if self._process.stdin is not None:
            self._process.stdin.close()
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
