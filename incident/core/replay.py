"""Replay: the incident as it was at any moment, from the same fold as live.

The state at a moment is the fold of the events recorded up to it, so replay
cannot disagree with what the coordinator saw. Seeking forwards applies only the
new events; seeking backwards restarts from the nearest checkpoint before it.
"""

from __future__ import annotations

import bisect
import copy
import re
from collections.abc import Sequence
from datetime import datetime, timedelta

from incident.core.chain import ChainReport
from incident.core.events import Event
from incident.core.state import IncidentState, fold, new_state

CHECKPOINT_EVERY = 2000
"""Events between saved states: bounds the cost of a backwards seek."""

_OFFSET = re.compile(r"^\s*(?:T\s*)?\+?\s*(?:(\d+):)?(\d{1,3}):(\d{2})\s*$")


def parse_offset(text: str) -> timedelta:
    """`T+MM:SS`, `T+H:MM:SS`, `MM:SS` (also without `T+`) as a duration after T+0."""
    match = _OFFSET.match(text)
    if match is None:
        raise ValueError(f"'{text}' is not an offset like T+12:30 or T+1:02:00")
    hours, minutes, seconds = match.groups()
    if int(seconds) >= 60:
        raise ValueError(f"'{text}': seconds must be below 60")
    return timedelta(hours=int(hours or 0), minutes=int(minutes), seconds=int(seconds))


def state_at(events: Sequence[Event], moment: datetime) -> IncidentState:
    """The fold of every event recorded at or before `moment`."""
    return fold(event for event in events if event.at <= moment)


class Replayer:
    """A cursor over a recorded incident that can move to any moment."""

    def __init__(self, events: Sequence[Event]) -> None:
        if not events:
            raise ValueError("nothing to replay: the incident has no events")
        self.events = list(events)
        self._times = [event.at for event in self.events]
        self.position = 1
        """How many events are folded into `state`."""
        self.state = new_state(self.events[0])
        self._checkpoints: dict[int, IncidentState] = {1: copy.deepcopy(self.state)}

    @property
    def started_at(self) -> datetime:
        return self.state.started_at

    @property
    def first_at(self) -> datetime:
        return self._times[0]

    @property
    def last_at(self) -> datetime:
        return self._times[-1]

    def seek(self, moment: datetime) -> list[Event]:
        """Move to `moment`; returns the events newly applied (empty after a rewind)."""
        target = max(bisect.bisect_right(self._times, moment), 1)
        if target < self.position:
            base = max(p for p in self._checkpoints if p <= target)
            self.state = copy.deepcopy(self._checkpoints[base])
            self.position = base
            self._advance_to(target)
            return []
        return self._advance_to(target)

    def seek_offset(self, offset: timedelta) -> list[Event]:
        return self.seek(self.started_at + offset)

    def next_event_at(self) -> datetime | None:
        """When the next not-yet-applied event happened, for stepping."""
        if self.position >= len(self.events):
            return None
        return self._times[self.position]

    def _advance_to(self, target: int) -> list[Event]:
        applied = self.events[self.position : target]
        for event in applied:
            self.state.apply(event)
            self.position += 1
            if self.position % CHECKPOINT_EVERY == 0 and self.position not in self._checkpoints:
                self._checkpoints[self.position] = copy.deepcopy(self.state)
        return applied


class ReplayClock:
    """A clock that replay moves to any recorded moment, backwards included."""

    def __init__(self, start: datetime) -> None:
        self._now = start

    def now(self) -> datetime:
        return self._now

    def monotonic_ns(self) -> int:
        return int(self._now.timestamp() * 1_000_000_000)

    def jump(self, moment: datetime) -> None:
        self._now = moment


class ReadOnlyReplay(Exception):
    """Raised by anything that tries to record during a replay."""


class ReplaySession:
    """Stands in for `IncidentSession` on screen: same state, moved by a cursor.

    `refresh` reveals the events up to the clock's moment; recording is refused,
    so a replay can never write to the record it is showing.
    """

    def __init__(self, events: Sequence[Event], damage: ChainReport | None = None) -> None:
        self.replayer = Replayer(events)
        self.clock = ReplayClock(self.replayer.first_at)
        self.damage = damage
        """Why the recorded chain does not verify, if it does not (as `IncidentSession`)."""
        self.rewound = False
        """Set when the last refresh went backwards, so a view must redraw from scratch."""

    @property
    def state(self) -> IncidentState:
        return self.replayer.state

    def refresh(self) -> list[Event]:
        before = self.replayer.position
        applied = self.replayer.seek(self.clock.now())
        self.rewound = self.replayer.position < before
        return applied

    def visible_events(self) -> list[Event]:
        return self.replayer.events[: self.replayer.position]

    def run(self, command: object) -> Event:
        raise ReadOnlyReplay("this is a replay: nothing can be recorded")

    def run_many(self, command: object) -> list[Event]:
        raise ReadOnlyReplay("this is a replay: nothing can be recorded")
