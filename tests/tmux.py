"""A private tmux server to drive lastgood in a real terminal: the tests' and bench's one.

Each `Tmux` runs its own server (own socket, no user config), so nothing of the
user's tmux leaks in and killing it cleans up every window. Waits poll the pane's
text against a deadline; nothing relies on a fixed sleep. The end-to-end tests
(`tests/tui/test_tmux_e2e.py`, `test_demo_terminal.py`, `test_keys_to_verified.py`)
and the terminal benchmarks (`bench/terminal.py`) all use this one.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from tests.cli_helpers import ROOT

POLL_S = 0.05
"""How often a wait looks at the pane again."""
WAIT_S = 60.0
"""How long `wait_for` waits by default before it fails: a net against a hang, not a
measure. A wait returns the moment the pane shows what it waits for, so a long net
costs a passing test nothing (wait_until's 5 s failed correct tests under load)."""


class TmuxError(Exception):
    """A tmux command failed, or a wait ran out; one line, then the screen if any."""


def child_env(extra: dict[str, str]) -> dict[str, str]:
    """The environment a pane starts with: this one minus whatever could make runs
    differ (Textual's, tmux's and lastgood's own variables, a terminal size), plus
    `extra`."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TEXTUAL", "TMUX", "LASTGOOD_")) and k not in ("COLUMNS", "LINES")
    }
    env.update(extra)
    return env


def app_env(db: str | Path, tmp_path: Path) -> dict[str, str]:
    """What `lastgood start` runs with in a pane: this checkout, a 256-colour terminal,
    the record at `db`, Ada acting, and a state directory of the test's own."""
    return child_env(
        {
            "PYTHONPATH": str(ROOT),
            "TERM": "xterm-256color",
            "LASTGOOD_DB": str(db),
            "LASTGOOD_USER": "ada",
            "XDG_STATE_HOME": str(tmp_path / "xdg"),
        }
    )


def have_tmux(env: dict[str, str]) -> bool:
    return shutil.which("tmux", path=env.get("PATH")) is not None


class Tmux:
    """A tmux server of our own: private socket, no user config, killed at the end."""

    def __init__(self, env: dict[str, str], *, name: str = "lastgood") -> None:
        self.socket = f"{name}-{secrets.token_hex(6)}"
        self.env = env

    def __call__(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.socket, "-f", os.devnull, *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
        if done.returncode != 0:
            raise TmuxError(f"tmux {' '.join(args)} failed: {done.stderr.strip()}")
        return done.stdout

    def screen(self, target: str) -> str:
        """The pane's text as shown now."""
        return self("capture-pane", "-p", "-t", target)

    def show(self, target: str, fmt: str) -> str:
        """A tmux format (`#{pane_pid}`...) of `target`."""
        return self("display-message", "-p", "-t", target, fmt).strip()

    def keys(self, target: str, *keys: str, literal: bool = False) -> None:
        """Send `keys` (tmux key names, or text with `literal`)."""
        self("send-keys", "-t", target, *(["-l"] if literal else []), *keys)

    def wait_for(
        self, target: str, what: str, ready: Callable[[str], bool], timeout: float = WAIT_S
    ) -> str:
        """Poll the pane until `ready(screen)`; TmuxError with the last screen otherwise."""
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen(target)
            if ready(screen):
                return screen
            if time.monotonic() > deadline:
                raise TmuxError(
                    f"timed out after {timeout:.0f}s waiting for {what}; screen:\n{screen}"
                )
            time.sleep(POLL_S)

    def quietly(self, *args: str) -> None:
        """A tmux command whose failure does not matter (cleaning up)."""
        subprocess.run(
            ["tmux", "-L", self.socket, *args],
            env=self.env,
            capture_output=True,
            timeout=10,
            check=False,
        )

    def kill_server(self) -> None:
        self.quietly("kill-server")
        # tmux leaves its socket file behind; it lives where tmux puts `-L` sockets.
        where = Path(self.env.get("TMUX_TMPDIR") or "/tmp") / f"tmux-{os.getuid()}"
        (where / self.socket).unlink(missing_ok=True)
