"""The demo, driven from the keyboard in a real terminal, counting every key.

`lastgood demo` runs in a tmux pane of its own. The driver follows the guidance
panel: before each key it waits until the screen shows the step it is about to act
on and the key the guidance names (`▸ Press KEY:`), then sends one key, and waits
for what that key opens. A free-text entry (a reason) is sent as one key, as typed
text is one decision. Nothing sleeps: every wait polls the pane with a deadline.

Used by `tests/tui/test_keys_to_verified.py` (start to "service verified", at
most 21 keys) and `bench/keys_to_close.py` (on to closed, keys per phase).
"""

from __future__ import annotations

import re
import shlex
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.tmux import Tmux, child_env

WIDTH, HEIGHT = 80, 24
DEADLINE_S = 60.0
"""Generous: the demo's error rate takes about 20 s to settle after the switch."""

PHASES = ("decide", "execute", "verify", "close-out")
HINT = re.compile(r"▸ Press (\S+):")


def demo_env(root: Path, home: Path) -> dict[str, str]:
    """A coordinator's shell: named, the repository on the path, a data home of its own."""
    return child_env(
        {
            "TERM": "xterm-256color",
            "LASTGOOD_USER": "Ada",
            "PYTHONPATH": str(root),
            "XDG_DATA_HOME": str(home),
        }
    )


def start_demo(tmux: Tmux, command: list[str], db: Path) -> str:
    """`lastgood demo --db DB` in a new 80x24 session, in DB's directory (where the
    report is exported); its pane once the incident shows."""
    names = ("TERM", "LASTGOOD_USER", "PYTHONPATH", "XDG_DATA_HOME")
    pinned = [f"{name}={tmux.env[name]}" for name in names]
    line = shlex.join(["env", *pinned, *command, "demo", "--db", str(db)])
    pane = tmux(
        "new-session", "-d", "-s", "demo", "-x", str(WIDTH), "-y", str(HEIGHT),
        "-P", "-F", "#{pane_id}", "-c", str(db.parent), "--", "sh", "-c", line,
    ).strip()  # fmt: skip
    tmux.wait_for(pane, "the demo incident", lambda s: "INC-" in s and "Phase 1/4" in s, 60)
    return pane


def guidance(screen: str) -> str:
    """The right column's text as one line, borders gone: the guidance's wrapped
    lines read as the sentence they are."""
    rows = (line[WIDTH // 2 :].strip(" │╭╮╰╯─▌") for line in screen.splitlines())
    return re.sub(r"\s+", " ", " ".join(rows))


def phases_done(screen: str) -> int:
    return screen.count("✓ DONE")


@dataclass
class KeyDriver:
    """Sends keys to the demo's pane, one decision at a time, and counts them per phase."""

    tmux: Tmux
    pane: str
    counts: Counter[str] = field(default_factory=Counter)
    log: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def wait(self, what: str, ready: Callable[[str], bool]) -> str:
        return self.tmux.wait_for(self.pane, what, ready, DEADLINE_S)

    def press(self, phase: str, key: str, *, literal: bool = False, why: str = "") -> None:
        """One key (or one typed entry), counted against `phase`."""
        self.tmux.keys(self.pane, key, literal=literal)
        self.counts[phase] += 1
        self.log.append(f"{phase}: {'text' if literal else key} {why}".rstrip())

    def follow(self, phase: str, title: str, key: str, ready: str = "") -> None:
        """Wait until the guidance shows `title` naming `key` (and `ready`), then press it."""

        def shown(screen: str) -> bool:
            right = guidance(screen)
            hints = HINT.findall(right)
            return title in right and key in hints and re.search(ready, right) is not None

        self.wait(f"the guidance on '{title}' naming {key} {ready}".rstrip(), shown)
        self.press(phase, tmux_key(key), why=f"on '{title}'")

    def answer(self, phase: str, dialog: str, key: str, *, ready: str = "") -> None:
        """Wait for `dialog` (a line of its text, and `ready`) on screen, then press `key`."""
        self.wait(f"the dialog '{dialog}' {ready}".rstrip(), lambda s: dialog in s and ready in s)
        self.press(phase, key, why=f"in '{dialog}'")

    def type_text(self, phase: str, dialog: str, text: str) -> None:
        self.wait(f"the dialog '{dialog}'", lambda s: dialog in s)
        self.press(phase, text, literal=True, why=f"in '{dialog}'")
        self.wait(f"'{text}' typed", lambda s: text in s)


def tmux_key(key: str) -> str:
    """A key as the guidance names it, as tmux sends it."""
    return {"space": "Space", "enter": "Enter"}.get(key, key)


def to_verified(driver: KeyDriver) -> str:
    """From the demo's first frame to phase 3 done; the screen showing it."""
    decide, execute, verify = PHASES[:3]
    # The demo's declaration names the channel and the commander: it did their steps.
    driver.follow(decide, "Assess severity", "space")
    driver.follow(decide, "Decide to initiate", "d", ready=r"\([1-9]\d* of \d+ triggers met\)")
    driver.answer(decide, "Decision gate", "C-s", ready="● MET")
    # `m` once: each message sent opens the next one due, until none waits.
    driver.follow(decide, "Announce that a rollback", "m")
    for label in ("announce", "paging", "initiating"):
        driver.answer(decide, f"Send: {label}", "C-s")
    driver.follow(execute, "Switch the load balancer", "space")
    driver.answer(execute, "Run: Switch the load balancer", "y")
    driver.follow(execute, "Execute database rollback", "b")
    driver.type_text(execute, "choose a tier", "old code reads the new schema")
    driver.answer(execute, "choose a tier", "Enter")
    driver.follow(verify, "Confirm version", "space", ready="the evidence holds")
    driver.follow(verify, "Check health", "space", ready="the evidence holds")
    driver.follow(verify, "Smoke test", "space")  # no probe: it asks what was seen
    driver.type_text(verify, "Evidence: Smoke test", "logged in and checked out")
    driver.answer(verify, "Evidence: Smoke test", "Enter")
    return driver.wait("phase 3 done: the service verified", lambda s: phases_done(s) >= 3)


def to_closed(driver: KeyDriver) -> str:
    """From verified to closed: the resolution, the report, the root cause, the booking."""
    close = PHASES[3]
    driver.follow(close, "Communicate resolution", "m")
    driver.answer(close, "Send: ", "C-s")
    driver.follow(close, "Document the incident", "space")
    driver.answer(close, "Export", "Enter")
    driver.follow(close, "Preliminary RCA", "space")
    driver.type_text(close, "Root cause", "2.4.1 retried 502s without backoff")
    driver.answer(close, "Root cause", "C-s")
    driver.follow(close, "Schedule post-mortem", "space")
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:00Z")
    driver.type_text(close, "Book post-mortem", tomorrow)
    driver.answer(close, "Book post-mortem", "Enter")
    driver.wait("every step done", lambda s: phases_done(s) >= 4)
    driver.press(close, "X", why="close")
    driver.answer(close, "Close", "y")
    return driver.wait("the incident closed", lambda s: "CLOSED" in s)
