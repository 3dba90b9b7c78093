"""Work that gives way to the coordinator's keys, from a key's arrival to its frame.

A key is what the coordinator waits on; the probes' polling is not. The app tells
whatever gives way (the probe poller, in its child process or on the network thread)
when a key arrives, and lets it go a little after the key's frame is out: once per
key, however many arrive before that frame. The poller's gate (`tui/net/gate.py`)
reads what it was told.

The key's frame is the first one drawn once no key is on its way to its bindings
(`on_their_way`). A frame drawn before that (the clock's, or a batch of samples',
from a refresh that was already due) shows the screen as it was: counted, it let the
polls go while the key's own work (a phase switch, the slowest) had yet to run.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

AFTER_FRAME_S = 0.02
"""How long a hold outlasts the key's frame. When the app hands a frame over, the
driver's thread has yet to write it and the terminal to read and draw it. Let go at
once, the polls held back started together in that moment: with the hold released at
the frame, the median phase switch with 200 probes polled was 1.09-1.16x the one
without, against 1.02-1.05x with no hold at all (`docs/PERFORMANCE.md`)."""

Later = Callable[[float, Callable[[], None]], object]
"""Runs a callback after so many seconds, on the UI loop (`App.set_timer`)."""


class GivesWay(Protocol):
    def hold(self) -> None: ...

    def release(self) -> None: ...


class KeysFirst:
    """Holds what gives way from a key's arrival until `AFTER_FRAME_S` after its frame."""

    def __init__(
        self,
        later: Later,
        *,
        on_their_way: Callable[[], bool] = lambda: False,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self._later = later
        self._on_their_way = on_their_way
        """Whether a key has yet to reach its bindings (`TypeAhead.keys_on_their_way`)."""
        self._now = now
        self._giving_way: list[GivesWay] = []
        self._held = False
        self._keys = 0
        """Keys arrived so far."""
        self._drawn = 0
        """Keys arrived before the last frame that showed them, while held."""
        self._drawn_at = 0.0
        """When that frame was shown."""
        self._release_due = False

    def add(self, work: GivesWay) -> None:
        self._giving_way.append(work)

    def remove(self, work: GivesWay) -> None:
        if work in self._giving_way:
            self._giving_way.remove(work)

    def key_arrived(self) -> None:
        self._keys += 1
        if self._held or not self._giving_way:
            return
        self._held = True
        for work in self._giving_way:
            work.hold()

    def frame_shown(self) -> None:
        """Every frame the app writes: one test unless something is held."""
        if not self._held or self._on_their_way():
            return  # nothing to let go, or drawn before a key's bindings ran: not its frame
        if self._drawn == self._keys:
            return  # a later frame of keys already shown (what they left for later, say
            # the footer's keys): their wait runs out as it was
        self._drawn = self._keys
        self._drawn_at = self._now()
        if not self._release_due:
            self._release_due = True
            self._later(AFTER_FRAME_S, self._release)

    def _release(self) -> None:
        self._release_due = False
        if not self._held or self._drawn != self._keys:
            return  # a key came after that frame: the hold waits for the key's own
        left = self._drawn_at + AFTER_FRAME_S - self._now()
        if left > 0:  # a later key's frame came while this wait ran: it gets its own
            self._release_due = True
            self._later(left, self._release)
            return
        self._held = False
        for work in self._giving_way:
            work.release()


class KeyFlag:
    """Gives way through a flag that a poller on another thread of this process reads."""

    def __init__(self) -> None:
        self._set = False

    def hold(self) -> None:
        self._set = True

    def release(self) -> None:
        self._set = False

    def held(self) -> bool:
        return self._set
